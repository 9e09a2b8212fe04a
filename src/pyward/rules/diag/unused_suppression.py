"""PWX003: a suppression comment that suppresses nothing."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class UnusedSuppression(DiagnosticRule):
    """
    ## What it does
    Reports `# pyward: ignore[...]` and `# nosec` comments that did not suppress any finding in this
    scan. Off by default; enable it with `--warn-unused-ignores` (or `warn-unused-ignores = true`).

    ## Why is this bad?
    A stale suppression outlives the code it was written for, and later silences a real finding
    that happens to land on the same statement.

    ## Example
    ```python
    total = 1 + 2  # pyward: ignore[PWA301]
    ```

    ## Use instead
    ```python
    total = 1 + 2
    ```
    """

    meta = RuleMeta(
        code="PWX003",
        name="unused-suppression",
        severity=Severity.INFO,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Suppression comment that suppresses nothing",
        default_enabled=False,
    )
