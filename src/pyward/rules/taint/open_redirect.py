"""PWT108 open-redirect."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class OpenRedirect(TaintRule):
    """
    ## What it does
    Reports request data used as the target of a redirect: Flask/Werkzeug `redirect`, Django
    `redirect`, `HttpResponseRedirect` and `HttpResponsePermanentRedirect`, Starlette/FastAPI
    `RedirectResponse`, and a `Location` header set by hand.

    Targets built by the framework's URL builders (`url_for`, `reverse`, `resolve_url` with a
    view name) are safe, as is a value that passed Django's `url_has_allowed_host_and_scheme` or
    an allow-list check, and a string whose constant start fixes the destination (`"/profile?u="
    + name`, `f"https://example.com/{path}"`). Checking only that `urlparse(url).netloc` is empty
    is not enough and does not count: browsers read `/\\evil.example` as `//evil.example`.

    ## Why is this bad?
    A link on the trusted domain that bounces the visitor to an attacker's site makes phishing
    convincing, and a redirect after login can leak tokens to another host (CWE-601).

    ## Example
    ```python
    from flask import Flask, redirect, request

    app = Flask(__name__)


    @app.route("/login", methods=["POST"])
    def login():
        return redirect(request.args.get("next", "/"))
    ```

    ## Use instead
    ```python
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme


    def login_done(request):
        nxt = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            nxt = "/"
        return HttpResponseRedirect(nxt)
    ```

    ## References
    - CWE-601: URL Redirection to Untrusted Site ('Open Redirect')
    - Django documentation, `django.utils.http.url_has_allowed_host_and_scheme`
    """

    meta = RuleMeta(
        code="PWT108",
        name="open-redirect",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(601,),
        summary="Redirect target chosen by untrusted input",
    )
    vuln_class = "redirect"
    what = "Redirect target chosen by untrusted data"
    accepts_local = False
