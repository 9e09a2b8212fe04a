"""PWC516: ALLOWED_HOSTS empty."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import setting_text
from pyward.rules.config.base import DjangoRule


class DjangoAllowedHostsEmpty(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `ALLOWED_HOSTS` is empty or not set (Django's
    `security.W020`). A value read from the environment is judged on its default.

    ## Why is this bad?
    With `DEBUG` off, Django rejects every request; the usual "fix" under pressure is
    `ALLOWED_HOSTS = ["*"]`, which disables Host header validation altogether (password-reset
    poisoning, cache poisoning). Name the hosts the site serves.

    ## Example
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "").split(",") if os.environ.get("ALLOWED_HOSTS") else []
    ```

    ## Use instead
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    ALLOWED_HOSTS = ["www.example.com", "example.com"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts
    """

    meta = RuleMeta(
        code="PWC516",
        name="django-allowed-hosts-empty",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(20,),
        summary="Django ALLOWED_HOSTS is empty",
    )
    fix_hint = 'List the host names the site serves in ALLOWED_HOSTS'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W020",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("ALLOWED_HOSTS"):
            return
        if not view.value("ALLOWED_HOSTS"):
            yield self.finding(view.span("ALLOWED_HOSTS"), f"no host is allowed: {setting_text(view, 'ALLOWED_HOSTS')}")
