"""PWT115 trust-boundary-violation."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class TrustBoundaryViolation(TaintRule):
    """
    ## What it does
    Reports request data stored in the server-side trusted session: `flask.session[...] = x`
    (and `session.update`/`setdefault`), and Django's `request.session[...] = x`.

    Values that were validated (allow-list, type conversion such as `int()`) or produced by the
    application itself are not reported.

    ## Why is this bad?
    Code reading the session treats its content as facts the application established ("the
    user's role", "the verified e-mail"). Copying unvalidated input there mixes trusted and
    untrusted data, so a later check can be satisfied by whatever the requester sent
    (CWE-501).

    ## Example
    ```python
    from flask import Flask, request, session

    app = Flask(__name__)


    @app.route("/prefs", methods=["POST"])
    def prefs():
        session["role"] = request.form["role"]
        return {"ok": True}
    ```

    ## Use instead
    ```python
    from flask import Flask, request, session

    app = Flask(__name__)


    @app.route("/prefs", methods=["POST"])
    def prefs():
        theme = request.form["theme"]
        if theme not in ("light", "dark"):
            theme = "light"
        session["theme"] = theme
        return {"ok": True}
    ```

    ## References
    - CWE-501: Trust Boundary Violation
    """

    meta = RuleMeta(
        code="PWT115",
        name="trust-boundary-violation",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(501,),
        summary="Untrusted input stored in the server-side session",
    )
    vuln_class = "trust-boundary"
    what = "Untrusted data stored in the session"
    accepts_local = False
