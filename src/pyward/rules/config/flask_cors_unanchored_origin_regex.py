"""PWC646: Flask-CORS origin regex accepts attacker-controlled origins."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskCorsUnanchoredOriginRegex(FlaskRule):
    r"""
    ## What it does
    Reports Flask-CORS origins that are regular expressions (strings containing `*`, `\` or `]`)
    and accept origins the author did not mean: Flask-CORS matches them with `re.match`, anchored only
    at the start, so `https://app\.example\.com` also accepts `https://app.example.com.evil.invalid`;
    an unescaped dot accepts look-alike domains. Medium severity with `supports_credentials=True`, low
    without.

    ## Why is this bad?
    The attacker registers a matching domain and reads the API's cross-origin responses
    (with the user's cookies when credentials are allowed).

    ## Example
    ```python
    from flask import Flask
    from flask_cors import CORS

    app = Flask(__name__)
    CORS(app, origins=[r"https://app\.example\.com"], supports_credentials=True)
    ```

    ## Use instead
    ```python
    from flask import Flask
    from flask_cors import CORS

    app = Flask(__name__)
    CORS(app, origins=[r"https://app\.example\.com$"], supports_credentials=True)
    ```

    ## References
    - https://flask-cors.readthedocs.io/en/latest/api.html
    """

    meta = RuleMeta(
        code="PWC646",
        name="flask-cors-unanchored-origin-regex",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(942, 185),
        summary="Flask-CORS origin regex accepts attacker-controlled origins",
    )
