"""PWX005: a file was found but could not be read."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class FileNotRead(DiagnosticRule):
    """
    ## What it does
    Reports a file that discovery found but that could not be read: permission denied, a broken
    symbolic link, a file that vanished during the scan, a binary or oversized template or manifest.

    ## Why is this bad?
    Nothing in that file was checked; the report says so instead of pretending it is clean.

    ## Example
    ```text
    (an unreadable file: chmod 000 app.py)
    ```

    ## Use instead
    ```text
    (make the file readable by the user running pyward, or exclude it)
    ```
    """

    meta = RuleMeta(
        code="PWX005",
        name="file-not-read",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="File found but not readable; it was not analysed",
    )
    examples_testable = False
