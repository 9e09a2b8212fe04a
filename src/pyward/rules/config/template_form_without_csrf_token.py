"""PWC701: POST form in a template without a CSRF token."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import TemplateRule


class TemplateFormWithoutCsrfToken(TemplateRule):
    r"""
    ## What it does
    Reports `<form method="post">` in Django and Jinja2 templates that contains no CSRF token:
    `{% csrf_token %}`, `{{ csrf_input }}` (Django's Jinja2 backend), `{{ csrf_token() }}`,
    `{{ form.csrf_token }}` or `{{ form.hidden_tag() }}` (Flask-WTF), or a hidden input named like
    `csrfmiddlewaretoken`. Not reported: forms posting to an absolute URL (another site cannot use our
    token), forms whose token comes from an `{% include %}`d template, or from a template that
    `{% extends %}` this one and fills a `{% block %}` inside the form; forms containing something
    pyward cannot follow (a non-constant include, a macro call, a custom tag such as
    `{% crispy form %}`) are left alone.

    ## Why is this bad?
    Django's `CsrfViewMiddleware` and Flask-WTF reject the post (so the form is broken), or, when
    protection was turned off for the view, anyone can submit it cross-site with the user's cookies.

    ## Example
    ```html
    <form method="post" action="/profile">
      <input name="email">
      <button>Save</button>
    </form>
    ```

    ## Use instead
    ```html
    <form method="post" action="/profile">
      {% csrf_token %}
      <input name="email">
      <button>Save</button>
    </form>
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/howto/csrf/
    - https://flask-wtf.readthedocs.io/en/stable/csrf/
    """

    meta = RuleMeta(
        code="PWC701",
        name="template-form-without-csrf-token",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(352,),
        summary="POST form in a template without a CSRF token",
    )
    example_filename = "templates/form.html"
