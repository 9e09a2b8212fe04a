"""PWX020: Part of a template could not be understood."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import TemplateDiagnosticRule


class TemplateParseProblem(TemplateDiagnosticRule):
    r"""
    ## What it does
    Reports template constructs pyward's tolerant template reader could not make sense of: a
    `{{`, `{%` or `{#` that is never closed, `{% endautoescape %}` without an opener, an
    `{% autoescape %}` never closed. The rest of the template is still checked.

    ## Why is this bad?
    Checks of the part that was not understood (CSRF tokens, escaping) may be incomplete; the report
    says so rather than pretending the template is clean.

    ## Example
    ```html
    <p>{{ user.name </p>
    ```

    ## Use instead
    ```html
    <p>{{ user.name }}</p>
    ```
    """

    meta = RuleMeta(
        code="PWX020",
        name="template-parse-problem",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="Part of a template could not be understood",
    )
