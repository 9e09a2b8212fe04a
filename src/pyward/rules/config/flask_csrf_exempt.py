"""PWC632: State-changing Flask route exempt from CSRF protection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FlaskRule


class FlaskCsrfExempt(FlaskRule):
    r"""
    ## What it does
    Reports `@csrf.exempt` (where `csrf` is a `CSRFProtect` instance, in this module or imported) on
    a route that accepts POST, PUT, PATCH or DELETE. Exempting a GET-only view is not reported.

    ## Why is this bad?
    The exempt view accepts cross-site form posts carrying the user's cookies. Endpoints that really
    are called by other servers (webhooks) should authenticate the caller with a signature instead of
    relying on cookies.

    ## Example
    ```python
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    app = Flask(__name__)
    csrf = CSRFProtect(app)


    @app.post("/transfer")
    @csrf.exempt
    def transfer():
        return "done"
    ```

    ## Use instead
    ```python
    from flask import Flask
    from flask_wtf.csrf import CSRFProtect

    app = Flask(__name__)
    csrf = CSRFProtect(app)


    @app.post("/transfer")
    def transfer():
        return "done"
    ```

    ## References
    - https://flask-wtf.readthedocs.io/en/stable/csrf/#exclude-views-from-protection
    """

    meta = RuleMeta(
        code="PWC632",
        name="flask-csrf-exempt",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(352,),
        summary="State-changing Flask route exempt from CSRF protection",
    )
