"""PWC504: SECURE_HSTS_SECONDS not set."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import has_security_middleware, setting_text
from pyward.rules.config.base import DjangoRule


class DjangoHstsMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` but leave
    `SECURE_HSTS_SECONDS` unset or zero (Django's `security.W004`).

    ## Why is this bad?
    Without a `Strict-Transport-Security` header a browser that is sent to `http://` (a typed
    address, an old link, an attacker on the network) talks plain HTTP first, and an attacker
    in the middle can keep it there (SSL stripping).

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_HSTS_SECONDS = 0
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#http-strict-transport-security
    """

    meta = RuleMeta(
        code="PWC504",
        name="django-hsts-missing",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(319,),
        summary="HTTP Strict Transport Security is not enabled",
    )
    fix_hint = 'Set SECURE_HSTS_SECONDS once the whole site is HTTPS-only (start with 3600, then 31536000)'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W004",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.known("SECURE_HSTS_SECONDS"):
            return
        if not view.value("SECURE_HSTS_SECONDS"):
            yield self.finding(
                view.span("SECURE_HSTS_SECONDS"),
                f"HSTS is off: {setting_text(view, 'SECURE_HSTS_SECONDS')}",
            )
