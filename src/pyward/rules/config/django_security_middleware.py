"""PWC501: SecurityMiddleware missing from MIDDLEWARE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import SECURITY_MIDDLEWARE
from pyward.rules.config.base import DjangoRule


class DjangoSecurityMiddlewareMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `MIDDLEWARE` contains neither
    `django.middleware.security.SecurityMiddleware` nor a project class derived from it
    (Django's `security.W001`).

    ## Why is this bad?
    The security middleware is what sends HSTS, `X-Content-Type-Options: nosniff`,
    `Referrer-Policy` and `Cross-Origin-Opener-Policy`, and what redirects plain HTTP to HTTPS.
    Without it, `SECURE_HSTS_SECONDS`, `SECURE_SSL_REDIRECT` and the other `SECURE_*` settings
    do nothing, however carefully they are set. Unlike `check --deploy`, a subclass of the
    middleware counts as present.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
    MIDDLEWARE = [
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes"]
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#module-django.middleware.security
    - https://docs.djangoproject.com/en/stable/ref/checks/#security
    """

    meta = RuleMeta(
        code="PWC501",
        name="django-security-middleware-missing",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="Django SecurityMiddleware is not enabled",
    )
    fix_hint = "Add 'django.middleware.security.SecurityMiddleware' at the top of MIDDLEWARE"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W001",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if view.middleware_present(SECURITY_MIDDLEWARE) is False:
            yield self.finding(
                view.span("MIDDLEWARE"),
                f"MIDDLEWARE ({view.where('MIDDLEWARE')}) has no SecurityMiddleware: HSTS, nosniff, "
                "Referrer-Policy, COOP and SECURE_SSL_REDIRECT have no effect",
            )
