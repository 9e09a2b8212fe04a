"""PWC702: Template variable marked safe and printed without escaping."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import TemplateRule


class TemplateMarkSafe(TemplateRule):
    r"""
    ## What it does
    Reports `{{ value|safe }}` and `{{ values|safeseq }}` (Django) and `{{ value|safe }}` (Jinja2) on a
    variable. A string constant, a `_("...")` translation, or a value that went through an escaping
    filter first (`|escape|safe`, `|tojson`) is not reported. Whether the value can hold user input is
    for the taint rules to decide; this is an audit of where escaping is turned off.

    ## Why is this bad?
    Autoescaping is what stops stored or reflected user input from becoming script in the page;
    `safe` turns it off for that value.

    ## Example
    ```html
    <p>{{ comment.body|safe }}</p>
    ```

    ## Use instead
    ```html
    <p>{{ comment.body }}</p>
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#safe
    - https://jinja.palletsprojects.com/en/stable/templates/#html-escaping
    """

    meta = RuleMeta(
        code="PWC702",
        name="template-mark-safe",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(79,),
        summary="Template variable marked safe and printed without escaping",
    )
