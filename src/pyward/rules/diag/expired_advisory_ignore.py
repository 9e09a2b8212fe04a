"""PWX012: a ``[tool.pyward.deps] ignore`` entry has expired."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class ExpiredAdvisoryIgnore(DiagnosticRule):
    """
    ## What it does
    Reports an entry of `[tool.pyward.deps] ignore` whose `until` date has passed (or is not a
    valid date). The entry no longer suppresses its advisory, which is reported again.

    ## Why is this bad?
    An accepted risk was meant to be reviewed by that date; silently keeping it would turn a
    temporary exception into a permanent blind spot.

    ## Example
    ```toml
    [tool.pyward.deps]
    ignore = [{ id = "GHSA-fvgf-6h6h-3322", reason = "not reachable", until = "2020-01-31" }]
    ```

    ## Use instead
    ```toml
    [tool.pyward.deps]
    ignore = [{ id = "GHSA-fvgf-6h6h-3322", reason = "not reachable", until = "2099-01-31" }]
    ```
    """

    meta = RuleMeta(
        code="PWX012",
        name="expired-advisory-ignore",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="An advisory ignore entry has expired and no longer suppresses",
    )
    examples_testable = False
