"""PWT109 xss."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class CrossSiteScripting(TaintRule):
    """
    ## What it does
    Reports request data written into an HTML response without escaping: a string returned by a
    Flask view (or the body of a `(body, status)` tuple), `make_response(x)`,
    `flask.Response(x)` and Django's `HttpResponse(x)` / `HttpResponse.write(x)` unless the
    content type is not HTML, Starlette's `HTMLResponse(x)`, aiohttp's `web.Response(text=x)`
    with an HTML `content_type`, and data marked as safe HTML:
    `markupsafe.Markup(x)`, Django's `mark_safe(x)` and `SafeString(x)`.

    Escaped data (`html.escape`, `markupsafe.escape`, Django's `escape`/`format_html`,
    `bleach.clean`), autoescaped templates (`render_template`, `render_template_string`, Django
    `render`, Jinja environments with `autoescape=True` or `select_autoescape()`), JSON
    responses (`jsonify`, a returned `dict`/`list`, `JsonResponse`) and non-HTML content types
    are not reported. A bare `jinja2.Environment()`/`Template()` does not autoescape.

    ## Why is this bad?
    The browser runs any markup in the response as the site's own: a crafted link can steal
    session cookies, act as the user or rewrite the page (reflected XSS, CWE-79). Wrapping data in
    `Markup`/`mark_safe` switches off the template engine's escaping for it.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/hello")
    def hello():
        name = request.args.get("name", "")
        return f"<h1>Hello {name}</h1>"
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from markupsafe import escape

    app = Flask(__name__)


    @app.route("/hello")
    def hello():
        name = request.args.get("name", "")
        return f"<h1>Hello {escape(name)}</h1>"
    ```

    ## References
    - CWE-79: Improper Neutralization of Input During Web Page Generation
    - OWASP, "Cross Site Scripting Prevention Cheat Sheet"
    - Django documentation, `mark_safe` and `format_html`
    """

    meta = RuleMeta(
        code="PWT109",
        name="xss",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(79,),
        summary="Untrusted input written into an HTML response without escaping",
        bandit=("B308", "B703"),
    )
    vuln_class = "xss"
    what = "Unescaped untrusted data in HTML"
    accepts_local = False
