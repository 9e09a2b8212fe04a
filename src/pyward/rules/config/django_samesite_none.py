"""PWC534: SameSite=None cookie without Secure."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule

PAIRS = (
    ("SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE", "session"),
    ("CSRF_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF"),
    ("LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_SECURE", "language"),
)


class DjangoSamesiteNoneInsecure(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that set `SESSION_COOKIE_SAMESITE` (or
    `CSRF_COOKIE_SAMESITE`, `LANGUAGE_COOKIE_SAMESITE`) to the string `"None"` while the matching
    `*_COOKIE_SECURE` is not `True`. Setting the session or CSRF one to the Python value `None`
    or `False` (no SameSite attribute at all, instead of Django's default `"Lax"`) without
    `Secure` is reported at low severity: only some browsers treat a missing attribute as `Lax`.

    ## Why is this bad?
    `SameSite=None` sends the cookie on every cross-site request, giving up the browser's CSRF
    defence; browsers also reject a `SameSite=None` cookie that lacks `Secure`, so the setting
    either does not work or, in older browsers, sends the cookie cross-site and over plain HTTP.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_SAMESITE = "None"
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SESSION_COOKIE_SAMESITE = "None"
    SESSION_COOKIE_SECURE = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-samesite
    - https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value
    """

    meta = RuleMeta(
        code="PWC534",
        name="django-samesite-none-insecure",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(1275, 614),
        summary="SameSite=None cookie without the Secure flag",
    )
    fix_hint = "Set the matching *_COOKIE_SECURE = True, or keep SameSite 'Lax'"

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        for samesite, secure, what in PAIRS:
            if not view.is_set(samesite) or not view.known(samesite) or not view.known(secure):
                continue
            value = view.value(samesite)
            if view.value(secure) is True:
                continue
            if isinstance(value, str) and value.lower() == "none":
                yield self.finding(
                    view.span(samesite),
                    f"{what} cookie is SameSite=None without Secure: {setting_text(view, samesite)}, "
                    f"{setting_text(view, secure)}",
                )
            elif (value is None or value is False) and samesite != "LANGUAGE_COOKIE_SAMESITE":
                yield self.finding(
                    view.span(samesite),
                    f"{what} cookie has no SameSite attribute and no Secure flag: {setting_text(view, samesite)} "
                    f"drops Django's 'Lax' default (browsers that do not default to Lax send it cross-site), "
                    f"{setting_text(view, secure)}",
                    severity=Severity.LOW,
                )
