"""PWX002: ``# pyward: ignore`` without codes."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class BlanketSuppression(DiagnosticRule):
    """
    ## What it does
    Reports a `# pyward: ignore` comment that names no rule codes.

    ## Why is this bad?
    A blanket suppression silences every rule on that statement, including findings that do not
    exist yet: a later change that introduces an injection on the same line is never reported.
    Naming the codes keeps the suppression as narrow as the reason for it.

    ## Example
    ```python
    import yaml
    data = yaml.load(open("config.yml"))  # pyward: ignore
    ```

    ## Use instead
    ```python
    import yaml
    data = yaml.load(open("config.yml"))  # pyward: ignore[PWA301]
    ```
    """

    meta = RuleMeta(
        code="PWX002",
        name="blanket-suppression",
        severity=Severity.INFO,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Suppression comment without rule codes",
    )
