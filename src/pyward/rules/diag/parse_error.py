"""PWX001: a Python file could not be parsed."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class ParseError(DiagnosticRule):
    """
    ## What it does
    Reports a Python file that pyward could not parse or decode (a syntax error under every Python
    version pyward understands, an unknown or wrong encoding, NUL bytes, a file too deeply nested to
    analyse), with the parser's message and line.

    ## Why is this bad?
    Nothing in that file was checked. A scanner that skips such files silently reports a clean
    result it never earned; pyward lists them so you know what was not covered.

    ## Example
    ```python
    def broken(:
        pass
    ```

    ## Use instead
    ```python
    def fixed():
        pass
    ```
    """

    meta = RuleMeta(
        code="PWX001",
        name="parse-error",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="File could not be parsed or decoded; it was not analysed",
    )
