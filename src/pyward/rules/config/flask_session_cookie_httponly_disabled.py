"""PWC611: Flask session cookie readable by scripts."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskSessionCookieHttponlyDisabled(FlaskRule):
    r"""
    ## What it does
    Reports `SESSION_COOKIE_HTTPONLY = False` in Flask configuration (Flask's default is True) and
    `REMEMBER_COOKIE_HTTPONLY = False` (Flask-Login's remember-me cookie, whose default is True),
    outside development and testing configurations.

    ## Why is this bad?
    Scripts on the page, including any injected by an XSS flaw, can read the session cookie and send
    it to an attacker, who then reuses the session.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config.update(SESSION_COOKIE_HTTPONLY=False)
    ```

    ## Use instead
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config.update(SESSION_COOKIE_HTTPONLY=True)
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_HTTPONLY
    """

    meta = RuleMeta(
        code="PWC611",
        name="flask-session-cookie-httponly-disabled",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(1004,),
        summary="Flask session cookie readable by scripts",
    )
