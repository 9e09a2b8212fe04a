"""PWC506: HSTS without preload."""

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


class DjangoHstsPreloadMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that send HSTS (`SecurityMiddleware` and a non-zero
    `SECURE_HSTS_SECONDS`) without `SECURE_HSTS_PRELOAD = True` (Django's `security.W021`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    HSTS protects only after a browser has seen the header once; the very first visit can still
    be downgraded. The `preload` directive is required to submit the site to the browsers'
    built-in HSTS preload list, which closes that gap.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
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
    - https://docs.djangoproject.com/en/stable/ref/settings/#secure-hsts-preload
    - https://hstspreload.org/
    """

    meta = RuleMeta(
        code="PWC506",
        name="django-hsts-preload-missing",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(319,),
        summary="HSTS is not marked for preloading",
    )
    fix_hint = 'Set SECURE_HSTS_PRELOAD = True and submit the domain to the HSTS preload list'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W021",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True:
            return
        if not view.known("SECURE_HSTS_SECONDS") or not view.value("SECURE_HSTS_SECONDS"):
            return
        if view.known("SECURE_HSTS_PRELOAD") and view.value("SECURE_HSTS_PRELOAD") is not True:
            yield flag_not_true(self, view, "SECURE_HSTS_PRELOAD", "HSTS is not preloadable")
