"""PWC612: Flask session cookie sent with cross-site requests (SameSite=None)."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskSessionCookieSamesiteNone(FlaskRule):
    r"""
    ## What it does
    Reports `SESSION_COOKIE_SAMESITE = "None"` (the string, which sends `SameSite=None`) in Flask
    configuration (and the same for Flask-Login's `REMEMBER_COOKIE_SAMESITE`). Python `None` (Flask's default, no attribute) is not reported: browsers then apply
    their own default.

    ## Why is this bad?
    `SameSite=None` asks the browser to attach the session cookie to requests started by other sites,
    which removes the browser's CSRF mitigation.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config["SESSION_COOKIE_SAMESITE"] = "None"
    ```

    ## Use instead
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SAMESITE
    """

    meta = RuleMeta(
        code="PWC612",
        name="flask-session-cookie-samesite-none",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(1275,),
        summary="Flask session cookie sent with cross-site requests (SameSite=None)",
    )
