"""PWC522: CSP nonce used without the csp template context processor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pyward.frameworks.django import CSP_CONSTANTS, SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

CSP_MIDDLEWARE = "django.middleware.csp.ContentSecurityPolicyMiddleware"
CSP_CONTEXT_PROCESSOR = "django.template.context_processors.csp"
NONCE = CSP_CONSTANTS["NONCE"]


def policy_uses_nonce(policy: Any) -> bool:
    if not isinstance(policy, dict):
        return False
    for values in policy.values():
        if values == NONCE:
            return True
        if isinstance(values, (list, tuple, set, frozenset)) and NONCE in values:
            return True
    return False


def context_processor_configured(templates: Any) -> bool | None:
    if not isinstance(templates, (list, tuple)):
        return None
    for template in templates:
        if not isinstance(template, dict):
            continue
        options = template.get("OPTIONS", {})
        processors = options.get("context_processors", []) if isinstance(options, dict) else []
        if isinstance(processors, (list, tuple)) and CSP_CONTEXT_PROCESSOR in processors:
            return True
    return False


class DjangoCspNonceWithoutContextProcessor(DjangoRule):
    """
    ## What it does
    Reports settings that enable Django's `ContentSecurityPolicyMiddleware` with a policy
    (`SECURE_CSP` or `SECURE_CSP_REPORT_ONLY`) that uses `CSP.NONCE`, while no template backend
    lists the `django.template.context_processors.csp` context processor (Django 6.0's
    `security.W027`).

    ## Why is this bad?
    The middleware puts a fresh nonce in the header, but templates never see it, so no inline
    script carries it: either every inline script is blocked, or — the usual "fix" — the policy
    gets `'unsafe-inline'` and the CSP stops protecting against injected scripts.

    ## Example
    ```python
    from django.utils.csp import CSP

    MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
    SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
    TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
        }
    ]
    ```

    ## Use instead
    ```python
    from django.utils.csp import CSP

    MIDDLEWARE = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
    SECURE_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
    TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.template.context_processors.csp",
                ]
            },
        }
    ]
    ```

    ## References
    - https://docs.djangoproject.com/en/dev/ref/csp/
    """

    meta = RuleMeta(
        code="PWC522",
        name="django-csp-nonce-without-context-processor",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(693,),
        summary="CSP nonce is sent but never reaches templates",
    )
    fix_hint = "Add 'django.template.context_processors.csp' to a template backend's context processors"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W027",)
    production_only: ClassVar[bool] = False

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if view.middleware_present(CSP_MIDDLEWARE) is not True:
            return
        nonce_in = [
            n for n in ("SECURE_CSP", "SECURE_CSP_REPORT_ONLY") if view.known(n) and policy_uses_nonce(view.value(n))
        ]
        if not nonce_in or not view.known("TEMPLATES"):
            return
        if context_processor_configured(view.value("TEMPLATES")) is False:
            yield self.finding(
                view.span(nonce_in[0]),
                f"{nonce_in[0]} uses CSP.NONCE but no TEMPLATES backend has the "
                f"'{CSP_CONTEXT_PROCESSOR}' context processor ({view.where('TEMPLATES')}): the nonce "
                "never reaches the templates",
            )
