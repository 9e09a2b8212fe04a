"""PWC704: {% debug %} tag in a template."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import TemplateRule


class TemplateDebugTag(TemplateRule):
    r"""
    ## What it does
    Reports the Django `{% debug %}` tag (and Jinja's `debug` extension tag).

    ## Why is this bad?
    It prints the whole template context — objects, settings-derived values, user data — and the
    list of imported modules into the page.

    ## Example
    ```html
    <div>{% debug %}</div>
    ```

    ## Use instead
    ```html
    <div>{{ user.username }}</div>
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#debug
    """

    meta = RuleMeta(
        code="PWC704",
        name="template-debug-tag",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(215,),
        summary="{% debug %} tag in a template",
    )
