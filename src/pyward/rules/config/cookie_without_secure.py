"""PWC620: Session or identity cookie set without secure=True."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import CookieRule


class CookieWithoutSecure(CookieRule):
    r"""
    ## What it does
    Reports `response.set_cookie(...)` (Flask/Werkzeug, Django, Starlette/FastAPI) and Django's
    `set_signed_cookie(...)` for a cookie whose constant name says it carries a session, token or
    identity (`session`, `sid`, `token`, `auth`, `jwt`, `remember`, `user_id`...) when `secure` is
    missing (all three frameworks default it to False) or false. A flag pyward cannot evaluate is not
    reported.

    ## Why is this bad?
    Without `Secure` the browser also sends the cookie over plain HTTP, where it can be read by
    anyone on the network path and replayed.

    ## Example
    ```python
    from flask import Flask, make_response

    app = Flask(__name__)


    @app.get("/login")
    def login():
        response = make_response("hello")
        response.set_cookie("session_token", "abc", httponly=True)
        return response
    ```

    ## Use instead
    ```python
    from flask import Flask, make_response

    app = Flask(__name__)


    @app.get("/login")
    def login():
        response = make_response("hello")
        response.set_cookie("session_token", "abc", secure=True, httponly=True, samesite="Lax")
        return response
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/security/#set-cookie-options
    - https://cwe.mitre.org/data/definitions/614.html
    """

    meta = RuleMeta(
        code="PWC620",
        name="cookie-without-secure",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(614,),
        summary="Session or identity cookie set without secure=True",
    )
