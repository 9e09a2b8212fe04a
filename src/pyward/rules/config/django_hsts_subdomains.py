"""PWC505: HSTS without includeSubDomains."""

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


class DjangoHstsSubdomainsMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that send HSTS (`SecurityMiddleware` and a non-zero
    `SECURE_HSTS_SECONDS`) without `SECURE_HSTS_INCLUDE_SUBDOMAINS = True` (Django's
    `security.W005`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    HSTS then covers only the exact host. A subdomain reached over plain HTTP can be spoofed by
    a network attacker and used to set cookies for the parent domain.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_PRELOAD = True
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
    - https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-include-subdomains
    """

    meta = RuleMeta(
        code="PWC505",
        name="django-hsts-subdomains-missing",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(319,),
        summary="HSTS does not include subdomains",
    )
    fix_hint = 'Set SECURE_HSTS_INCLUDE_SUBDOMAINS = True if every subdomain is HTTPS-only'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W005",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True:
            return
        if not view.known("SECURE_HSTS_SECONDS") or not view.value("SECURE_HSTS_SECONDS"):
            return
        if view.known("SECURE_HSTS_INCLUDE_SUBDOMAINS") and view.value("SECURE_HSTS_INCLUDE_SUBDOMAINS") is not True:
            yield flag_not_true(self, view, "SECURE_HSTS_INCLUDE_SUBDOMAINS", "HSTS does not cover subdomains")
