"""PWX010: the advisory database is older than ``db-max-age-days``."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import DiagnosticRule, RuleMeta


class AdvisoryDbStale(DiagnosticRule):
    """
    ## What it does
    Warns when the local advisory database used by the dependency audit was built longer ago than
    `db-max-age-days` (7 by default, in `[tool.pyward]`). The audit still runs against it.

    ## Why is this bad?
    Advisories published after the database was built are missing, so a dependency that became
    known-vulnerable last week is reported as fine.

    ## Example
    ```text
    (an advisory database built more than 7 days ago)
    ```

    ## Use instead
    ```text
    pyward db update
    ```
    """

    meta = RuleMeta(
        code="PWX010",
        name="advisory-db-stale",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Advisory database older than the configured maximum age",
    )
    examples_testable = False
