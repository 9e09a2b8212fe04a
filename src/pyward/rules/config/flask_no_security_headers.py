"""PWC640: Flask app without HSTS, CSP or X-Frame-Options headers."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskNoSecurityHeaders(FlaskRule):
    r"""
    ## What it does
    Reports each `Flask(...)` application (outside test files) in a project that neither uses
    Flask-Talisman nor mentions `Strict-Transport-Security`, `Content-Security-Policy` or
    `X-Frame-Options` anywhere (for example in an `after_request` hook). Headers added by a reverse
    proxy are invisible to pyward, hence the low confidence.

    ## Why is this bad?
    Without HSTS the first request can be downgraded to HTTP; without CSP an XSS flaw runs any
    script; without frame protection the pages can be framed for clickjacking.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    ```

    ## Use instead
    ```python
    from flask import Flask
    from flask_talisman import Talisman

    app = Flask(__name__)
    Talisman(app)
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/security/#security-headers
    - https://github.com/wntrblm/flask-talisman
    """

    meta = RuleMeta(
        code="PWC640",
        name="flask-no-security-headers",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        cwe=(693, 1021),
        summary="Flask app without HSTS, CSP or X-Frame-Options headers",
    )
