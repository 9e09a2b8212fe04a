"""PWC511: SESSION_COOKIE_SECURE not True while sessions are used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import (
    SESSION_MIDDLEWARE,
    flag_not_true,
)
from pyward.rules.config.base import DjangoRule


def sessions_used(view: SettingsView) -> str | None:
    """Why the session cookie is in use (app installed / middleware enabled), None if not or unknown."""
    apps = view.list_value("INSTALLED_APPS")
    reasons: list[str] = []
    if apps is not None and "django.contrib.sessions" in apps:
        reasons.append("'django.contrib.sessions' is in INSTALLED_APPS")
    if view.middleware_present(SESSION_MIDDLEWARE):
        reasons.append("SessionMiddleware is in MIDDLEWARE")
    return " and ".join(reasons) or None


class DjangoSessionCookieInsecure(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that use sessions (`django.contrib.sessions` installed or
    `SessionMiddleware` enabled) without `SESSION_COOKIE_SECURE = True` (Django's
    `security.W010`, `W011` and `W012`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    Without the `Secure` flag the browser also sends the session cookie over plain HTTP, where
    anyone on the network path can read it and take over the session.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_SECURE = False
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_SECURE = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure
    """

    meta = RuleMeta(
        code="PWC511",
        name="django-session-cookie-insecure",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(614,),
        summary="Django session cookie is sent over plain HTTP",
    )
    fix_hint = 'Set SESSION_COOKIE_SECURE = True'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W010", "security.W011", "security.W012")

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("SESSION_COOKIE_SECURE") or view.value("SESSION_COOKIE_SECURE") is True:
            return
        why = sessions_used(view)
        if why:
            yield flag_not_true(self, view, "SESSION_COOKIE_SECURE", "session cookie lacks the Secure flag", f" while {why}")
