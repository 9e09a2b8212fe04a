"""PWC703: Template variable printed with autoescaping turned off."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import TemplateRule


class TemplateAutoescapeOff(TemplateRule):
    r"""
    ## What it does
    Reports each variable printed inside `{% autoescape off %}` (Django) or `{% autoescape false %}`
    (Jinja2), unless it is a constant, rendered template content (`block.super`, `super()`,
    `caller()`), or passes through an escaping filter.

    ## Why is this bad?
    Inside the block, user-controlled values are inserted as raw HTML: an XSS hole for every
    variable in it.

    ## Example
    ```html
    {% autoescape off %}
    <p>{{ comment.body }}</p>
    {% endautoescape %}
    ```

    ## Use instead
    ```html
    {% autoescape off %}
    <p>{{ comment.body|escape }}</p>
    {% endautoescape %}
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape
    - https://jinja.palletsprojects.com/en/stable/templates/#autoescape-overrides
    """

    meta = RuleMeta(
        code="PWC703",
        name="template-autoescape-off",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(79,),
        summary="Template variable printed with autoescaping turned off",
    )
