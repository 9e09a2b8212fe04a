"""PWC604: FLASK_DEBUG turned on in .flaskenv or .env."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskDebugEnvFile(FlaskRule):
    r"""
    ## What it does
    Reports `FLASK_DEBUG` set to a true value (anything but empty, `0`, `false`, `no`, as Flask's
    `get_debug_flag` reads it) and `FLASK_ENV=development` (debug mode before Flask 2.3) in `.flaskenv`,
    `.env` and `.env.*` files. `.flaskenv` is meant to be committed and is loaded by every `flask run`,
    so it is reported at medium; a production-named file (`.env.production`) at high; `.env` and
    example files (`.env.example`, `.env.production.sample`) at low.

    ## Why is this bad?
    `flask run` loads these files (with python-dotenv installed) and starts the reloader and the
    interactive debugger, which executes code sent from the browser.

    ## Example
    ```text
    FLASK_APP=app
    FLASK_DEBUG=1
    ```

    ## Use instead
    ```text
    FLASK_APP=app
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/cli/#environment-variables-from-dotenv
    """

    meta = RuleMeta(
        code="PWC604",
        name="flask-debug-env-file",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(489,),
        summary="FLASK_DEBUG turned on in .flaskenv or .env",
    )
    example_filename = ".flaskenv"
