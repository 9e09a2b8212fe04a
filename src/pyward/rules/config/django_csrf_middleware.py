"""PWC502: CsrfViewMiddleware missing from MIDDLEWARE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import CSRF_MIDDLEWARE
from pyward.rules.config.base import DjangoRule


class DjangoCsrfMiddlewareMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `MIDDLEWARE` contains neither
    `django.middleware.csrf.CsrfViewMiddleware` nor a project subclass of it (Django's
    `security.W003`).

    ## Why is this bad?
    Without the middleware no view is protected against cross-site request forgery unless it is
    decorated with `csrf_protect` one by one: any site the victim visits can submit forms to the
    application with the victim's session cookie.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
    ]
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/csrf/
    """

    meta = RuleMeta(
        code="PWC502",
        name="django-csrf-middleware-missing",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(352,),
        summary="Django CSRF middleware is not enabled",
    )
    fix_hint = "Add 'django.middleware.csrf.CsrfViewMiddleware' to MIDDLEWARE"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W003",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if view.middleware_present(CSRF_MIDDLEWARE) is False:
            yield self.finding(
                view.span("MIDDLEWARE"),
                f"MIDDLEWARE ({view.where('MIDDLEWARE')}) has no CsrfViewMiddleware: views are not "
                "protected against cross-site request forgery",
            )
