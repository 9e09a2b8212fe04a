"""PWC519: SECURE_CROSS_ORIGIN_OPENER_POLICY with an invalid value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import has_security_middleware, setting_text
from pyward.rules.config.base import DjangoRule

COOP_VALUES = frozenset({"same-origin", "same-origin-allow-popups", "unsafe-none"})


class DjangoCoopInvalid(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` and set
    `SECURE_CROSS_ORIGIN_OPENER_POLICY` to something other than `None`, `"same-origin"`,
    `"same-origin-allow-popups"` or `"unsafe-none"` (Django's `security.E024`).

    ## Why is this bad?
    Browsers ignore an unknown Cross-Origin-Opener-Policy, so pages opened by other sites keep a
    handle on the site's windows (cross-window attacks such as XS-Leaks) although the setting
    was meant to isolate them.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same_origin"
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#cross-origin-opener-policy
    """

    meta = RuleMeta(
        code="PWC519",
        name="django-coop-invalid",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="Cross-Origin-Opener-Policy setting has an invalid value",
    )
    fix_hint = "Use 'same-origin', 'same-origin-allow-popups' or 'unsafe-none'"
    django_ids: ClassVar[tuple[str, ...]] = ("security.E024",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.known("SECURE_CROSS_ORIGIN_OPENER_POLICY"):
            return
        value = view.value("SECURE_CROSS_ORIGIN_OPENER_POLICY")
        try:
            valid = value is None or value in COOP_VALUES
        except TypeError:
            valid = False
        if not valid:
            yield self.finding(
                view.span("SECURE_CROSS_ORIGIN_OPENER_POLICY"),
                f"invalid Cross-Origin-Opener-Policy: {setting_text(view, 'SECURE_CROSS_ORIGIN_OPENER_POLICY')}",
            )
