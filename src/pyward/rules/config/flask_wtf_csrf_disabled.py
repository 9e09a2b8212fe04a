"""PWC631: Flask-WTF CSRF protection turned off."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskWtfCsrfDisabled(FlaskRule):
    r"""
    ## What it does
    Reports `WTF_CSRF_ENABLED = False` in Flask configuration, outside testing and development
    configurations (turning it off for tests is the documented practice).

    ## Why is this bad?
    With the setting off, neither `CSRFProtect` nor Flask-WTF forms check tokens: every form can be
    submitted by another site with the user's cookies.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.config["WTF_CSRF_ENABLED"] = False
    ```

    ## Use instead
    ```python
    from flask import Flask


    class TestingConfig:
        TESTING = True
        WTF_CSRF_ENABLED = False


    app = Flask(__name__)
    ```

    ## References
    - https://flask-wtf.readthedocs.io/en/stable/config/
    """

    meta = RuleMeta(
        code="PWC631",
        name="flask-wtf-csrf-disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(352,),
        summary="Flask-WTF CSRF protection turned off",
    )
