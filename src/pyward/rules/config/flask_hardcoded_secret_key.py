"""PWC602: Flask SECRET_KEY is written in the source code."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskHardcodedSecretKey(FlaskRule):
    r"""
    ## What it does
    Reports a Flask `SECRET_KEY` (or Flask-WTF `WTF_CSRF_SECRET_KEY`) that looks random but is a literal in the source code (directly or as
    the default of an environment read), outside development and testing configurations. Weak or
    example values are reported by PWC601 instead.

    ## Why is this bad?
    A key committed to the repository is known to everyone who can read the repository, its forks,
    backups and CI logs, and it cannot be rotated without a code change.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.secret_key = "8f42a73054b1749f8f58848be5e6502c2a1b9d6e7f3c0a4d"
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.secret_key = os.environ["SECRET_KEY"]
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY
    """

    meta = RuleMeta(
        code="PWC602",
        name="flask-hardcoded-secret-key",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(798,),
        summary="Flask SECRET_KEY is written in the source code",
    )
