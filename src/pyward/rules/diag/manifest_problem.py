"""PWX011: part of a dependency manifest could not be understood."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class ManifestProblem(DiagnosticRule):
    """
    ## What it does
    Reports a line of a requirements file, `pyproject.toml`, lock file or other manifest that
    pyward could not read: an invalid requirement, an `-r` include that is missing or loops, a
    malformed TOML table.

    ## Why is this bad?
    Dependencies on that line were not audited; the report says so instead of pretending they
    are clean.

    ## Example
    ```text
    requests==>=2.0
    ```

    ## Use instead
    ```text
    requests==2.32.3
    ```
    """

    meta = RuleMeta(
        code="PWX011",
        name="manifest-problem",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Part of a dependency manifest could not be understood and was not audited",
    )
    # Diagnostics alone do not start the dependency analysis, so the example cannot run by itself.
    examples_testable = False
