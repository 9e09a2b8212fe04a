"""PWC508: SECURE_SSL_REDIRECT not True."""

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


class DjangoSslRedirectDisabled(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` but do not set
    `SECURE_SSL_REDIRECT = True` (Django's `security.W008`).

    A non-empty string (`os.getenv("X", "True")`, no cast) is reported at low severity: Django
    only tests the flag for truth at run time, so it is on (even for `"False"`), but
    `check --deploy` rejects anything but `True`.

    ## Why is this bad?
    Requests that arrive over plain HTTP are then served over plain HTTP: credentials, session
    cookies and page content travel unencrypted. (If a proxy or load balancer already redirects
    to HTTPS, the finding can be suppressed with that explanation.)

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_SSL_REDIRECT = False
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_SSL_REDIRECT = True
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secure-ssl-redirect
    """

    meta = RuleMeta(
        code="PWC508",
        name="django-ssl-redirect-disabled",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(319,),
        summary="HTTP requests are not redirected to HTTPS",
    )
    fix_hint = 'Set SECURE_SSL_REDIRECT = True, or redirect to HTTPS at the proxy'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W008",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.known("SECURE_SSL_REDIRECT"):
            return
        if view.value("SECURE_SSL_REDIRECT") is not True:
            yield flag_not_true(self, view, "SECURE_SSL_REDIRECT", "plain HTTP is not redirected to HTTPS")
