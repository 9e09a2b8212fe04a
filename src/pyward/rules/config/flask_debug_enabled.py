"""PWC603: Flask debug mode or the Werkzeug debugger is turned on in code."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskDebugEnabled(FlaskRule):
    r"""
    ## What it does
    Reports `app.run(debug=True)`, `app.run(use_debugger=True)`, `run_simple(..., use_debugger=True)`,
    `app.debug = True` and `DEBUG = True` in Flask configuration (not in development or testing
    configuration classes). A call under `if __name__ == "__main__":` is reported at low severity: it
    only runs when the file is executed as a script, and `flask run` and WSGI servers ignore it.
    Unguarded calls run whenever the module is imported or executed and are reported at high severity;
    `DEBUG = True` in configuration at medium.

    ## Why is this bad?
    The Werkzeug debugger executes arbitrary Python from the browser for anyone who can reach it
    (the PIN is the only guard, and it is derivable from information an attacker can often read).
    Debug mode also shows tracebacks with source code and configuration.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.run(host="0.0.0.0", debug=True)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/debugging/
    - https://werkzeug.palletsprojects.com/en/stable/debug/
    """

    meta = RuleMeta(
        code="PWC603",
        name="flask-debug-enabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(489, 215),
        summary="Flask debug mode or the Werkzeug debugger is turned on in code",
    )
