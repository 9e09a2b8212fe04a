"""PWC510: a weak key in SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView, secret_key_problem
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule


class DjangoWeakSecretKeyFallback(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `SECRET_KEY_FALLBACKS` holds a key that
    `check --deploy` would reject as a `SECRET_KEY`: shorter than 50 characters, fewer than 5
    distinct characters, or prefixed `django-insecure-` (Django's `security.W025`).

    ## Why is this bad?
    Fallback keys are still accepted when verifying signatures, so a weak old key lets an
    attacker forge sessions and tokens exactly as a weak current key would.

    ## Example
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = os.environ["SECRET_KEY"]
    SECRET_KEY_FALLBACKS = ["django-insecure-old-key"]
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = os.environ["SECRET_KEY"]
    SECRET_KEY_FALLBACKS = [os.environ["OLD_SECRET_KEY"]]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key-fallbacks
    """

    meta = RuleMeta(
        code="PWC510",
        name="django-weak-secret-key-fallback",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(330,),
        summary="A weak key is accepted through SECRET_KEY_FALLBACKS",
    )
    fix_hint = 'Drop weak keys from SECRET_KEY_FALLBACKS once what they signed has expired'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W025",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.is_set("SECRET_KEY_FALLBACKS"):
            return
        keys = view.value("SECRET_KEY_FALLBACKS")
        if not isinstance(keys, (list, tuple)):
            return
        for position, key in enumerate(keys):
            problem = secret_key_problem(key) if key is not None else "is None"
            if problem is not None and key is not None and not isinstance(key, str):
                continue  # an unknown value, not a weak key
            if problem is not None:
                yield self.finding(
                    view.span("SECRET_KEY_FALLBACKS"),
                    f"SECRET_KEY_FALLBACKS[{position}] {problem} ({view.where('SECRET_KEY_FALLBACKS')})",
                )
