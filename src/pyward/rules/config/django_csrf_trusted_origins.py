"""PWC535: CSRF_TRUSTED_ORIGINS with plain-HTTP or wildcard origins."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

_LOCAL = ("http://localhost", "http://127.0.0.1", "http://[::1]")


def origin_problem(origin: str) -> tuple[str, Severity] | None:
    """Why a trusted origin weakens CSRF protection, with how much."""
    text = origin.strip()
    host = text.split("://", 1)[-1]
    if host.strip("*") in ("", "."):
        return "trusts every origin", Severity.HIGH
    if "*" in host:
        if text.startswith("http://"):
            return "trusts every subdomain over plain HTTP", Severity.MEDIUM
        return "trusts every subdomain (one taken-over or user-controlled subdomain can forge requests)", Severity.LOW
    if text.startswith("http://") and not text.startswith(_LOCAL):
        return "trusts a plain-HTTP origin (a network attacker can inject pages into it)", Severity.MEDIUM
    return None


class DjangoCsrfTrustedOriginsInsecure(DjangoRule):
    """
    ## What it does
    Reports entries of `CSRF_TRUSTED_ORIGINS` in deployed settings that are plain `http://`
    origins (other than localhost) or contain a wildcard (`https://*.example.com`, or `*`).

    ## Why is this bad?
    A trusted origin may submit unsafe requests with the user's cookies. A plain-HTTP origin can
    be impersonated by anyone on the network path, and a wildcard trusts every subdomain,
    including forgotten or user-controlled ones, so CSRF protection is only as strong as the
    weakest of them.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_TRUSTED_ORIGINS = ["http://shop.example.com", "https://*.example.com"]
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_TRUSTED_ORIGINS = ["https://shop.example.com", "https://admin.example.com"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#csrf-trusted-origins
    """

    meta = RuleMeta(
        code="PWC535",
        name="django-csrf-trusted-origins-insecure",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(352,),
        summary="CSRF_TRUSTED_ORIGINS trusts plain-HTTP or wildcard origins",
    )
    fix_hint = 'Trust https:// origins by exact host only'

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        origins = view.list_value("CSRF_TRUSTED_ORIGINS")
        if not origins:
            return
        problems: list[tuple[str, str, Severity]] = []
        for origin in origins:
            if isinstance(origin, str):
                found = origin_problem(origin)
                if found is not None:
                    problems.append((origin, found[0], found[1]))
        if problems:
            worst = max(p[2] for p in problems)
            detail = "; ".join(f"{o!r} {why}" for o, why, _ in problems)
            yield self.finding(
                view.span("CSRF_TRUSTED_ORIGINS"),
                f"CSRF_TRUSTED_ORIGINS ({view.where('CSRF_TRUSTED_ORIGINS')}): {detail}",
                severity=worst,
            )
