"""PWC514: DEBUG on in a deployed settings module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._django_helpers import show
from pyward.rules.config.base import DjangoRule


class DjangoDebugEnabled(DjangoRule):
    """
    ## What it does
    Reports production and in-effect Django settings in which `DEBUG` is truthy (Django's
    `security.W018`). A value read from the environment is judged on its default, as Django
    would see it with the variable unset: `os.getenv("DEBUG", "False")` is the non-empty string
    `"False"`, which is truthy. Development and test settings modules are not reported.

    ## Why is this bad?
    With `DEBUG` on, every error page shows source code, local variables, the settings (with
    most secrets only partly masked) and the SQL queries run; Django also keeps every query in
    memory.

    ## Example
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = os.getenv("DEBUG", "False")
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = os.getenv("DEBUG", "False").lower() in ("1", "true", "yes")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#debug
    """

    meta = RuleMeta(
        code="PWC514",
        name="django-debug-enabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(489, 215),
        summary="Django DEBUG is on in deployed settings",
    )
    fix_hint = 'Set DEBUG = False in deployed settings; parse environment strings to a bool'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W018",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.known("DEBUG") or not view.value("DEBUG"):
            return
        binding = view.binding("DEBUG")
        value = view.value("DEBUG")
        if binding is not None and binding.env is not None:
            detail = f"{binding.env.text} is {show(value)} when the variable is unset"
            if isinstance(value, str):
                detail += " (a non-empty string, so truthy)"
        else:
            detail = f"DEBUG = {show(value)}"
        yield self.finding(view.span("DEBUG"), f"DEBUG is on: {detail} ({view.where('DEBUG')})")
