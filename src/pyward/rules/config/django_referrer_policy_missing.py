"""PWC517: SECURE_REFERRER_POLICY set to None."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import has_security_middleware, setting_text
from pyward.rules.config.base import DjangoRule


class DjangoReferrerPolicyMissing(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings that enable `SecurityMiddleware` but set
    `SECURE_REFERRER_POLICY = None`, so no `Referrer-Policy` header is sent (Django's
    `security.W022`; the default is `"same-origin"`).

    ## Why is this bad?
    Full URLs of the site's pages — with tokens, search terms or identifiers in their paths and
    query strings — are then sent to every third-party site a page links to or loads from.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_REFERRER_POLICY = None
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]
    SECURE_REFERRER_POLICY = "same-origin"
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/middleware/#referrer-policy
    """

    meta = RuleMeta(
        code="PWC517",
        name="django-referrer-policy-missing",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(200,),
        summary="No Referrer-Policy header is sent",
    )
    fix_hint = "Set SECURE_REFERRER_POLICY = 'same-origin' (Django's default) or stricter"
    django_ids: ClassVar[tuple[str, ...]] = ("security.W022",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if has_security_middleware(view) is not True or not view.is_set("SECURE_REFERRER_POLICY"):
            return
        binding = view.binding("SECURE_REFERRER_POLICY")
        if binding is not None and binding.value is None:
            yield self.finding(
                view.span("SECURE_REFERRER_POLICY"),
                f"no Referrer-Policy header: {setting_text(view, 'SECURE_REFERRER_POLICY')}",
            )
