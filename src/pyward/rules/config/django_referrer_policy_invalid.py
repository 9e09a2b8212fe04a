"""PWC518: SECURE_REFERRER_POLICY with a value browsers do not know."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import has_security_middleware, setting_text
from pyward.rules.config.base import DjangoRule

REFERRER_POLICY_VALUES = frozenset(
    {
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    }
)


class DjangoReferrerPolicyInvalid(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` and set
    `SECURE_REFERRER_POLICY` to a value (or, for a comma-separated string or a list, any part)
    that is not a Referrer-Policy token (Django's `security.E023`).

    ## Why is this bad?
    Browsers ignore a policy they do not understand and fall back to their default, so the
    protection the setting was meant to give is silently absent.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_REFERRER_POLICY = "same_origin"
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_REFERRER_POLICY = "same-origin"
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secure-referrer-policy
    - https://www.w3.org/TR/referrer-policy/#referrer-policies
    """

    meta = RuleMeta(
        code="PWC518",
        name="django-referrer-policy-invalid",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(200,),
        summary="Referrer-Policy setting has an invalid value",
    )
    fix_hint = "Use valid Referrer-Policy tokens only, e.g. 'same-origin'"
    django_ids: ClassVar[tuple[str, ...]] = ("security.E023",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.known("SECURE_REFERRER_POLICY"):
            return
        value = view.value("SECURE_REFERRER_POLICY")
        if value is None:
            return
        if isinstance(value, str):
            parts = {v.strip() for v in value.split(",")}
        elif isinstance(value, (list, tuple, set, frozenset)):
            parts = set(value)
        else:
            parts = {value}
        bad = sorted(str(p) for p in parts if p not in REFERRER_POLICY_VALUES)
        if bad:
            yield self.finding(
                view.span("SECURE_REFERRER_POLICY"),
                f"invalid Referrer-Policy value(s) {', '.join(repr(b) for b in bad)}: "
                f"{setting_text(view, 'SECURE_REFERRER_POLICY')}",
            )
