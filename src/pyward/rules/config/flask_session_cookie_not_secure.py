"""PWC610: Flask session cookie is not restricted to HTTPS."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskSessionCookieNotSecure(FlaskRule):
    r"""
    ## What it does
    Reports `SESSION_COOKIE_SECURE = False` in Flask configuration (outside development and testing
    configurations), and a production configuration class (named `Production...`, `Live...`,
    `Staging...`, loaded by `from_object` or named `*Config`) that does not set it to True, itself or
    through a base class. Flask's default is False. Flask-Talisman sets it (True by default), so a
    project using Talisman is not reported for the missing setting. An explicit false
    `REMEMBER_COOKIE_SECURE` (Flask-Login's long-lived login cookie) is reported too.

    ## Why is this bad?
    Without `Secure`, the browser also sends the session cookie over plain HTTP, where anyone on the
    network path can read it and take over the session.

    ## Example
    ```python
    import os

    from flask import Flask


    class ProductionConfig:
        SECRET_KEY = os.environ["SECRET_KEY"]


    app = Flask(__name__)
    app.config.from_object(ProductionConfig)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask


    class ProductionConfig:
        SECRET_KEY = os.environ["SECRET_KEY"]
        SESSION_COOKIE_SECURE = True


    app = Flask(__name__)
    app.config.from_object(ProductionConfig)
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/security/#set-cookie-options
    - https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SECURE
    """

    meta = RuleMeta(
        code="PWC610",
        name="flask-session-cookie-not-secure",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(614,),
        summary="Flask session cookie is not restricted to HTTPS",
    )
