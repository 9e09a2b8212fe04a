"""PWC606: Flask renders a template without autoescaping because of its file name."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskTemplateNotAutoescaped(FlaskRule):
    r"""
    ## What it does
    Reports `render_template(...)` / `stream_template(...)` calls whose template name ends in
    `.jinja`, `.jinja2`, `.j2`, `.tmpl`, `.tpl` (and similar HTML template extensions) when the
    application keeps Flask's default autoescape selection. `Flask.select_jinja_autoescape` turns
    autoescaping on only for names ending in `.html`, `.htm`, `.xml`, `.xhtml` and `.svg`, so
    `page.jinja2` and `index.html.j2` are rendered with no escaping at all. Not reported when the
    project sets `jinja_env.autoescape`, `jinja_options`, uses `select_autoescape(...)` or overrides
    `select_jinja_autoescape`. Plain-text templates (`.txt`, `.md`) are not reported.

    ## Why is this bad?
    Every `{{ variable }}` in such a template is inserted as raw HTML: any user-controlled value is
    an XSS hole, and nothing in the template itself looks wrong.

    ## Example
    ```python
    from flask import Flask, render_template, request

    app = Flask(__name__)


    @app.get("/hello")
    def hello():
        return render_template("hello.jinja2", name=request.args.get("name", ""))
    ```

    ## Use instead
    ```python
    from flask import Flask, render_template, request

    app = Flask(__name__)


    @app.get("/hello")
    def hello():
        return render_template("hello.html", name=request.args.get("name", ""))
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/templating/#jinja-setup
    - https://flask.palletsprojects.com/en/stable/api/#flask.Flask.select_jinja_autoescape
    """

    meta = RuleMeta(
        code="PWC606",
        name="flask-template-not-autoescaped",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(79, 116),
        summary="Flask renders a template without autoescaping because of its file name",
    )
