"""PWC503: XFrameOptionsMiddleware missing from MIDDLEWARE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import XFRAME_MIDDLEWARE
from pyward.rules.config.base import DjangoRule


class DjangoClickjackingMiddlewareMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `MIDDLEWARE` contains neither
    `django.middleware.clickjacking.XFrameOptionsMiddleware` nor a project subclass of it
    (Django's `security.W002`).

    ## Why is this bad?
    Pages are then served without an `X-Frame-Options` header, so another site can load them in
    an invisible frame and trick users into clicking buttons they cannot see (clickjacking).

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/clickjacking/
    """

    meta = RuleMeta(
        code="PWC503",
        name="django-clickjacking-middleware-missing",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(1021,),
        summary="Django X-Frame-Options middleware is not enabled",
    )
    fix_hint = "Add 'django.middleware.clickjacking.XFrameOptionsMiddleware' to MIDDLEWARE"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W002",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if view.middleware_present(XFRAME_MIDDLEWARE) is False:
            yield self.finding(
                view.span("MIDDLEWARE"),
                f"MIDDLEWARE ({view.where('MIDDLEWARE')}) has no XFrameOptionsMiddleware: pages can be "
                "framed by other sites (clickjacking)",
            )
