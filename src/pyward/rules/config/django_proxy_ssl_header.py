"""PWC536: SECURE_PROXY_SSL_HEADER that cannot work or trusts the wrong value."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule

_META_NAME = re.compile(r"^HTTP_[A-Z0-9_]+$")
_SECURE_VALUES = frozenset({"https", "on", "1", "true", "ssl", "yes"})


def proxy_header_problem(value: object) -> str | None:
    if value is None:
        return None
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return "must be a 2-tuple (header, value); Django raises ImproperlyConfigured on every HTTPS check"
    header, expected = value
    if not _META_NAME.match(header):
        return (
            f"header {header!r} is not a request.META key (expected 'HTTP_' + upper-case name with "
            "underscores, e.g. 'HTTP_X_FORWARDED_PROTO'), so it never matches and is_secure() is always False"
        )
    if expected.strip().lower() not in _SECURE_VALUES:
        return f"value {expected!r} does not mean HTTPS: requests carrying it would be treated as secure"
    return None


class DjangoProxySslHeaderMisuse(DjangoRule):
    """
    ## What it does
    Reports a `SECURE_PROXY_SSL_HEADER` in deployed settings that is not a `(header, value)`
    pair, names a header the way it is sent (`"X-Forwarded-Proto"`) instead of its
    `request.META` key (`"HTTP_X_FORWARDED_PROTO"`), or expects a value that does not mean HTTPS
    (`"http"`).

    ## Why is this bad?
    Django marks a request secure when the header has the expected value. A misspelled key never
    matches: `is_secure()` stays False, `SECURE_SSL_REDIRECT` loops, secure cookies and the CSRF
    referer check break and get "fixed" by turning protections off. An expected value of `http`
    marks plain-HTTP requests as secure. (Whether the proxy strips the header from client
    requests cannot be seen in the code; only set this setting if it does.)

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secure-proxy-ssl-header
    """

    meta = RuleMeta(
        code="PWC536",
        name="django-proxy-ssl-header-misuse",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(348,),
        summary="SECURE_PROXY_SSL_HEADER is malformed or trusts a non-HTTPS value",
    )
    fix_hint = "Use ('HTTP_X_FORWARDED_PROTO', 'https') and make the proxy overwrite that header"

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.is_set("SECURE_PROXY_SSL_HEADER") or not view.known("SECURE_PROXY_SSL_HEADER"):
            return
        problem = proxy_header_problem(view.value("SECURE_PROXY_SSL_HEADER"))
        if problem:
            yield self.finding(
                view.span("SECURE_PROXY_SSL_HEADER"),
                f"{setting_text(view, 'SECURE_PROXY_SSL_HEADER')}: {problem}",
            )
