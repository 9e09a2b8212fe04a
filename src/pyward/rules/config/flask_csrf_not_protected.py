"""PWC630: State-changing Flask route without CSRF protection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskCsrfNotProtected(FlaskRule):
    r"""
    ## What it does
    Reports Flask routes that accept POST, PUT, PATCH or DELETE (decorated views, and the
    `post`/`put`/`patch`/`delete` methods of `MethodView` classes) in a project with cookie-based sessions
    (a secret key is set, or `flask.session`, Flask-Login or Flask-Session is used) when the project
    never sets up `CSRFProtect` (`CSRFProtect(app)`, or `CSRFProtect()` with `init_app`) or SeaSurf, and
    the view does not validate a Flask-WTF form (`validate_on_submit()` or a `FlaskForm` subclass).
    Test files are not reported.

    ## Why is this bad?
    The browser attaches the session cookie to requests that other sites make, so without a CSRF
    token any page the user visits can submit the form on their behalf.

    ## Example
    ```python
    from flask import Flask, request, session

    app = Flask(__name__)
    app.secret_key = __import__("os").environ["SECRET_KEY"]


    @app.route("/email", methods=["POST"])
    def change_email():
        session["email"] = request.form["email"]
        return "ok"
    ```

    ## Use instead
    ```python
    from flask import Flask, request, session
    from flask_wtf.csrf import CSRFProtect

    app = Flask(__name__)
    app.secret_key = __import__("os").environ["SECRET_KEY"]
    csrf = CSRFProtect(app)


    @app.route("/email", methods=["POST"])
    def change_email():
        session["email"] = request.form["email"]
        return "ok"
    ```

    ## References
    - https://flask-wtf.readthedocs.io/en/stable/csrf/
    - https://flask.palletsprojects.com/en/stable/security/#cross-site-request-forgery-csrf
    """

    meta = RuleMeta(
        code="PWC630",
        name="flask-csrf-not-protected",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(352,),
        summary="State-changing Flask route without CSRF protection",
    )
