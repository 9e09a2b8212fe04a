"""PWX004: pyward itself failed on a file."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class InternalError(DiagnosticRule):
    """
    ## What it does
    Reports that an analysis or a rule raised an unexpected error on a file. The rest of the file's
    rules, and every other file, are still analysed.

    ## Why is this bad?
    The failing rule did not check that file, so its result there is unknown. It is a bug in pyward:
    please report it with the message and, if you can, the file.

    ## Example
    ```text
    (no source triggers this on purpose)
    ```

    ## Use instead
    ```text
    (nothing to change in your code)
    ```
    """

    meta = RuleMeta(
        code="PWX004",
        name="internal-error",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="pyward failed on a file; some checks did not run there",
    )
    examples_testable = False
