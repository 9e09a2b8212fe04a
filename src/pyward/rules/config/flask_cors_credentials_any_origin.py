"""PWC645: Flask-CORS allows credentials from any origin."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskCorsCredentialsAnyOrigin(FlaskRule):
    r"""
    ## What it does
    Reports `CORS(app, supports_credentials=True)` and `@cross_origin(supports_credentials=True)` whose
    origins are the default (`"*"`), contain `"*"`, or are a regular expression accepting any origin;
    per-resource options in `resources={...}` are merged with the top-level ones as Flask-CORS does.

    ## Why is this bad?
    With the default `send_wildcard=False`, Flask-CORS answers a wildcard configuration by echoing the
    request's `Origin` header and adds `Access-Control-Allow-Credentials: true`: any website can send
    requests with the user's cookies and read the responses.

    ## Example
    ```python
    from flask import Flask
    from flask_cors import CORS

    app = Flask(__name__)
    CORS(app, supports_credentials=True)
    ```

    ## Use instead
    ```python
    from flask import Flask
    from flask_cors import CORS

    app = Flask(__name__)
    CORS(app, origins=["https://app.example.com"], supports_credentials=True)
    ```

    ## References
    - https://flask-cors.readthedocs.io/en/latest/api.html
    - https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
    """

    meta = RuleMeta(
        code="PWC645",
        name="flask-cors-credentials-any-origin",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(942, 346),
        summary="Flask-CORS allows credentials from any origin",
    )
