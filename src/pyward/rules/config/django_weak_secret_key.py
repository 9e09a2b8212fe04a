"""PWC509: SECRET_KEY missing, short, repetitive or startproject's insecure key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import SettingsView, secret_key_problem
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule


class DjangoWeakSecretKey(DjangoRule):
    """
    ## What it does
    Reports deployed Django settings whose `SECRET_KEY` is missing or empty, shorter than 50
    characters, made of fewer than 5 distinct characters, or starts with `django-insecure-` (the
    key `startproject` generates for development) — Django's `security.W009`. A key read from the
    environment is judged on the default the code falls back to; a key with no default
    (`os.environ["SECRET_KEY"]`) is not reported.

    ## Why is this bad?
    The secret key signs sessions, password-reset tokens, messages and anything passed through
    `django.core.signing`. A guessable key lets an attacker forge all of them.

    ## Example
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = os.environ["SECRET_KEY"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#secret-key
    """

    meta = RuleMeta(
        code="PWC509",
        name="django-weak-secret-key",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(330,),
        summary="Django SECRET_KEY is missing or weak",
    )
    fix_hint = 'Read SECRET_KEY from the environment with no fallback; generate it with get_random_secret_key()'
    django_ids: ClassVar[tuple[str, ...]] = ("security.W009",)

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.is_set("SECRET_KEY") and not view.dynamic:
            yield self.finding(view.span("SECRET_KEY"), f"SECRET_KEY is {view.where('SECRET_KEY')}: it is empty")
            return
        if not view.known("SECRET_KEY"):
            return
        key = view.value("SECRET_KEY")
        binding = view.binding("SECRET_KEY")
        problem = "is empty" if key == "" or key is None else secret_key_problem(key)
        if problem is None:
            return
        origin = ""
        if binding is not None and binding.env is not None:
            origin = f" (the default of {binding.env.text}, used when the variable is unset)"
        yield self.finding(view.span("SECRET_KEY"), f"SECRET_KEY{origin} {problem} ({view.where('SECRET_KEY')})")
