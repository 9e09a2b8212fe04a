"""PWC521: SECURE_CSP / SECURE_CSP_REPORT_ONLY that is not a dict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule


class DjangoCspNotDict(DjangoRule):
    """
    ## What it does
    Reports `SECURE_CSP` or `SECURE_CSP_REPORT_ONLY` set to something other than a dict (or
    `None`), such as a policy string copied from a header (Django 6.0's `security.E026`).

    ## Why is this bad?
    Django's Content-Security-Policy middleware expects a mapping of directives to sources; any
    other value is an error that stops the project from passing its system checks, and a policy
    written as a header string is not applied — the site runs without the CSP it was meant to
    have.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
    SECURE_CSP = "default-src 'self'"
    ```

    ## Use instead
    ```python
    from django.utils.csp import CSP

    MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
    SECURE_CSP = {"default-src": [CSP.SELF]}
    ```

    ## References
    - https://docs.djangoproject.com/en/dev/ref/settings/#secure-csp
    """

    meta = RuleMeta(
        code="PWC521",
        name="django-csp-not-dict",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="Content-Security-Policy setting is not a dict",
    )
    fix_hint = "Write the policy as a dict of directives: {'default-src': [CSP.SELF]}"
    django_ids: ClassVar[tuple[str, ...]] = ("security.E026",)
    production_only: ClassVar[bool] = False

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        for name in ("SECURE_CSP", "SECURE_CSP_REPORT_ONLY"):
            if not view.is_set(name) or not view.known(name):
                continue
            value = view.value(name)
            if value is not None and not isinstance(value, dict):
                yield self.finding(
                    view.span(name),
                    f"{setting_text(view, name)} must be a dict of directives (the policy is not applied)",
                )
