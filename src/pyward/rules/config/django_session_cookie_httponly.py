"""PWC512: SESSION_COOKIE_HTTPONLY not True while sessions are used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import (
    flag_not_true,
)
from pyward.rules.config.base import DjangoRule
from pyward.rules.config.django_session_cookie_secure import sessions_used


class DjangoSessionCookieHttponlyDisabled(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that use sessions (`django.contrib.sessions` installed or
    `SessionMiddleware` enabled) and set `SESSION_COOKIE_HTTPONLY` to anything but `True`
    (Django's `security.W013`, `W014` and `W015`; the default is `True`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    Without `HttpOnly`, JavaScript can read the session cookie, so any cross-site scripting bug
    becomes a session takeover.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_HTTPONLY = False
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_HTTPONLY = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-httponly
    """

    meta = RuleMeta(
        code="PWC512",
        name="django-session-cookie-httponly-disabled",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(1004,),
        summary="Django session cookie is readable from JavaScript",
    )
    fix_hint = "Set SESSION_COOKIE_HTTPONLY = True (Django's default)"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W013", "security.W014", "security.W015")

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("SESSION_COOKIE_HTTPONLY") or view.value("SESSION_COOKIE_HTTPONLY") is True:
            return
        why = sessions_used(view)
        if why:
            yield flag_not_true(self, view, "SESSION_COOKIE_HTTPONLY", "session cookie lacks the HttpOnly flag", f" while {why}")
