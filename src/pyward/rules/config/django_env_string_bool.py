"""PWC539: a boolean setting that gets the environment's raw string."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

#: Settings where a string that is meant as "off" but is truthy weakens security.
WEAKENING_FLAGS = (
    "DEBUG",
    "DEBUG_PROPAGATE_EXCEPTIONS",
    "CORS_ALLOW_ALL_ORIGINS",
    "CORS_ORIGIN_ALLOW_ALL",
    "CORS_ALLOW_CREDENTIALS",
    "CORS_ALLOW_PRIVATE_NETWORK",
)


class DjangoEnvStringAsBool(DjangoRule):
    """
    ## What it does
    Reports `DEBUG` (and other flags whose truthy value weakens security: `CORS_ALLOW_ALL_ORIGINS`,
    `CORS_ORIGIN_ALLOW_ALL`, `CORS_ALLOW_CREDENTIALS`, `CORS_ALLOW_PRIVATE_NETWORK`,
    `DEBUG_PROPAGATE_EXCEPTIONS`) assigned straight from an environment read that returns the raw
    string: `os.getenv("DEBUG", "False")`, `os.environ.get("DEBUG")`, `env("DEBUG")` or
    `env.str(...)` (django-environ) without a bool cast or bool default, `config("DEBUG")`
    (python-decouple) without `cast=bool`. Reported in every settings module, development ones
    included, at a lower severity there.

    ## Why is this bad?
    Every non-empty string is truthy: `DEBUG=False` or `DEBUG=0` in the environment turns debug
    **on**. The only way to switch it off is to unset the variable, which is exactly what nobody
    does when they believe `False` works.

    ## Example
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = os.environ.get("DJANGO_DEBUG", "")
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
    ```

    ## References
    - https://docs.python.org/3/library/stdtypes.html#truth-value-testing
    - https://django-environ.readthedocs.io/en/latest/types.html
    """

    meta = RuleMeta(
        code="PWC539",
        name="django-env-string-as-bool",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(704,),
        summary="A security flag is set from an environment string, so 'False' means on",
    )
    fix_hint = "Parse the string: os.getenv('DEBUG', '') == '1', env.bool('DEBUG', default=False) or config('DEBUG', default=False, cast=bool)"
    production_only = False

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        for name in WEAKENING_FLAGS:
            binding = view.binding(name)
            if binding is None or binding.env is None or not binding.env.yields_string:
                continue
            severity = self.meta.severity if view.role.checked else Severity.LOW
            yield self.finding(
                binding.span,
                f"{name} = {binding.env.text} is the raw string from the environment: any non-empty "
                f"value, 'False' and '0' included, is truthy ({view.where(name)})",
                severity=severity,
            )
