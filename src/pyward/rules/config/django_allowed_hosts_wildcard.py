"""PWC530: ALLOWED_HOSTS accepts any host."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule


class DjangoAllowedHostsWildcard(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `ALLOWED_HOSTS` contains `"*"` (a value read from the
    environment is judged on its default, so `os.getenv("HOSTS", "*").split(",")` is reported).

    ## Why is this bad?
    `"*"` turns off Host header validation. Django then builds absolute URLs — password-reset
    links, redirects, `request.build_absolute_uri()` — from whatever Host the client sent, so an
    attacker can have reset emails point at their own server, and poison caches keyed on the host.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    ALLOWED_HOSTS = ["*"]
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    ALLOWED_HOSTS = ["example.com", ".example.com"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/topics/security/#host-header-validation
    """

    meta = RuleMeta(
        code="PWC530",
        name="django-allowed-hosts-wildcard",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(20,),
        summary="Django ALLOWED_HOSTS accepts any Host header",
    )
    fix_hint = "List the host names the site serves instead of '*'"

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        hosts = view.list_value("ALLOWED_HOSTS")
        if hosts is not None and "*" in hosts:
            yield self.finding(
                view.span("ALLOWED_HOSTS"),
                f"Host header validation is off: {setting_text(view, 'ALLOWED_HOSTS')} contains '*'",
            )
