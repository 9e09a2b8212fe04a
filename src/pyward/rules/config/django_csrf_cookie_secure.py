"""PWC513: CSRF_COOKIE_SECURE not True."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import (
    CSRF_MIDDLEWARE,
    flag_not_true,
)
from pyward.rules.config.base import DjangoRule


class DjangoCsrfCookieInsecure(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `CsrfViewMiddleware` and keep the CSRF token in
    a cookie (`CSRF_USE_SESSIONS` off) without `CSRF_COOKIE_SECURE = True` (Django's
    `security.W016`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    The CSRF cookie is then also sent over plain HTTP, where a network attacker can read it (and
    forge requests carrying the matching token) or overwrite it.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_COOKIE_SECURE = False
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_COOKIE_SECURE = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#csrf-cookie-secure
    """

    meta = RuleMeta(
        code="PWC513",
        name="django-csrf-cookie-insecure",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(614,),
        summary="Django CSRF cookie is sent over plain HTTP",
    )
    fix_hint = 'Set CSRF_COOKIE_SECURE = True'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W016",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("CSRF_USE_SESSIONS") or view.value("CSRF_USE_SESSIONS"):
            return
        if view.middleware_present(CSRF_MIDDLEWARE) is not True or not view.known("CSRF_COOKIE_SECURE"):
            return
        if view.value("CSRF_COOKIE_SECURE") is not True:
            yield flag_not_true(self, view, "CSRF_COOKIE_SECURE", "CSRF cookie lacks the Secure flag")
