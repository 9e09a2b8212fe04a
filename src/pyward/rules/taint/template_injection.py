"""PWT104 template-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class TemplateInjection(TaintRule):
    """
    ## What it does
    Reports request data used as the *source text* of a template: `jinja2.Template(x)`,
    `Environment.from_string(x)`, Flask's `render_template_string(x)`, Django's `Template(x)` and
    `engines[...].from_string(x)`, and Mako's `Template(x)`.

    Passing request data as template *variables* (`render_template_string("{{ name }}", name=x)`,
    `Template("...").render(name=x)`) is the intended use and is not reported. Jinja's
    `SandboxedEnvironment`, which exists to render untrusted templates, is not a sink.

    ## Why is this bad?
    Template languages are programming languages. Whoever writes the template text can reach
    Python objects through attribute lookups (`{{ ''.__class__.__mro__ }}` in Jinja2, `${...}`
    expressions in Mako) and from there read configuration and secrets or run commands on the
    server (server-side template injection, CWE-1336).

    ## Example
    ```python
    from flask import Flask, request, render_template_string

    app = Flask(__name__)


    @app.route("/hello")
    def hello():
        name = request.args.get("name", "")
        return render_template_string("<h1>Hello " + name + "</h1>")
    ```

    ## Use instead
    ```python
    from flask import Flask, request, render_template_string

    app = Flask(__name__)


    @app.route("/hello")
    def hello():
        name = request.args.get("name", "")
        return render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    ```

    ## References
    - CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine
    - Jinja documentation, "Sandbox": https://jinja.palletsprojects.com/en/stable/sandbox/
    - OWASP WSTG, "Testing for Server-side Template Injection"
    """

    meta = RuleMeta(
        code="PWT104",
        name="template-injection",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(1336,),
        summary="Template source text built from untrusted input",
    )
    vuln_class = "template"
    what = "Template source built from untrusted data"
    accepts_local = False
