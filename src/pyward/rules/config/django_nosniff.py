"""PWC507: SECURE_CONTENT_TYPE_NOSNIFF not True."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import (
    flag_not_true,
    has_security_middleware,
)
from pyward.rules.config.base import DjangoRule


class DjangoNosniffDisabled(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` but set
    `SECURE_CONTENT_TYPE_NOSNIFF` to anything but `True` (Django's `security.W006`; the default
    is `True`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    Without `X-Content-Type-Options: nosniff` browsers may guess a response's type from its
    content, so an uploaded "image" or a JSON response can be executed as HTML or script.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_CONTENT_TYPE_NOSNIFF = False
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#x-content-type-options-nosniff
    """

    meta = RuleMeta(
        code="PWC507",
        name="django-nosniff-disabled",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="X-Content-Type-Options: nosniff is disabled",
    )
    fix_hint = "Set SECURE_CONTENT_TYPE_NOSNIFF = True (Django's default)"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W006",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.known("SECURE_CONTENT_TYPE_NOSNIFF"):
            return
        if view.value("SECURE_CONTENT_TYPE_NOSNIFF") is not True:
            yield flag_not_true(self, view, "SECURE_CONTENT_TYPE_NOSNIFF", "nosniff header is off")
