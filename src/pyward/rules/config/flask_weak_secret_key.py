"""PWC601: Flask SECRET_KEY is a well-known example, short or low-entropy value."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskWeakSecretKey(FlaskRule):
    r"""
    ## What it does
    Reports a Flask `SECRET_KEY` (`app.secret_key = ...`, `app.config["SECRET_KEY"] = ...`,
    `config.update(...)`, `config.from_mapping(...)`, or an attribute of a configuration class or
    module loaded with `app.config.from_object`) whose value is guessable: a value published in Flask's
    documentation and tutorials (`dev`, `secret`, `super secret key`, `changeme`, the quickstart's
    example bytes, the docs' example hex key), a readable placeholder, fewer than 16 characters, or
    fewer than 6 distinct characters. Flask-WTF's `WTF_CSRF_SECRET_KEY` is checked the same way.
    A key read from the environment is judged on the default the
    code falls back to when the variable is unset. Development and testing configuration classes
    (`DevelopmentConfig`, `TestingConfig`) and test files are not reported.

    ## Why is this bad?
    Flask signs the session cookie (and Flask-WTF's CSRF tokens, Flask-Login's remember cookie,
    `itsdangerous` tokens) with the secret key. Anyone who knows or guesses it forges a session for any
    user; public lists of example keys exist for exactly this purpose.

    ## Example
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    ```

    ## References
    - https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY
    - https://flask.palletsprojects.com/en/stable/quickstart/#sessions
    """

    meta = RuleMeta(
        code="PWC601",
        name="flask-weak-secret-key",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(330, 798),
        summary="Flask SECRET_KEY is a well-known example, short or low-entropy value",
    )
