"""PWC531: SECRET_KEY written in a production settings module."""

from __future__ import annotations

from collections.abc import Iterator

from pyward.frameworks.django import SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule


class DjangoHardcodedSecretKey(DjangoRule):
    """
    ## What it does
    Reports a `SECRET_KEY` (or a fallback default of an environment lookup for it) written as a
    literal in the source of a production or in-effect settings module, whatever its length.
    Development and test settings modules are not reported.

    ## Why is this bad?
    A key committed to the repository is known to everyone with access to the code, its history,
    its forks and its backups; a long random-looking key is exactly as compromised as a short one.
    Anyone holding it can forge sessions, password-reset links and signed data.

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = "8f2k$1x!q9w@z7v&3m^p0r(c)b+n_a-l4j6h5g8t2y1u0i9o*e"
    ```

    ## Use instead
    ```python
    import os

    INSTALLED_APPS = ["django.contrib.sessions"]
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#secret-key
    """

    meta = RuleMeta(
        code="PWC531",
        name="django-hardcoded-secret-key",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(798,),
        summary="Django SECRET_KEY is hardcoded in a production settings module",
    )
    fix_hint = 'Read SECRET_KEY from the environment or a secrets store, and rotate the committed key'

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        binding = view.binding("SECRET_KEY")
        if binding is None or not isinstance(binding.value, str) or not binding.value:
            return
        if binding.env is not None:
            if binding.env.has_default and binding.env.value == binding.value:
                yield self.finding(
                    binding.span,
                    f"SECRET_KEY falls back to a key written in the source ({binding.env.text}) when the "
                    f"variable is unset ({view.where('SECRET_KEY')})",
                )
            return
        yield self.finding(
            binding.span,
            f"SECRET_KEY is a literal written in the source ({view.where('SECRET_KEY')}); "
            "read it from the environment or a secrets store",
        )
