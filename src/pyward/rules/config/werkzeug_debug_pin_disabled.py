"""PWC605: The Werkzeug debugger PIN is disabled."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class WerkzeugDebugPinDisabled(FlaskRule):
    r"""
    ## What it does
    Reports `WERKZEUG_DEBUG_PIN=off` in `.flaskenv`/`.env` files and `os.environ["WERKZEUG_DEBUG_PIN"] = "off"`
    (or `os.environ.setdefault`/`os.putenv`) in code. Werkzeug compares the value with exactly `off`.

    ## Why is this bad?
    Without the PIN, anyone who can reach the development server and trigger an error gets an
    interactive Python console in the server process.

    ## Example
    ```text
    FLASK_DEBUG=0
    WERKZEUG_DEBUG_PIN=off
    ```

    ## Use instead
    ```text
    FLASK_DEBUG=0
    ```

    ## References
    - https://werkzeug.palletsprojects.com/en/stable/debug/#debugger-pin
    """

    meta = RuleMeta(
        code="PWC605",
        name="werkzeug-debug-pin-disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(489, 306),
        summary="The Werkzeug debugger PIN is disabled",
    )
    example_filename = ".flaskenv"
