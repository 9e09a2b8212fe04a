"""PWT116 log-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class LogInjection(TaintRule):
    """
    ## What it does
    Reports request data written to logs through `logging` (module functions, `Logger`
    methods, `LoggerAdapter`), including as a `%s` argument. Values with line breaks removed
    (`.replace("\\n", ...)` of both `\\n` and `\\r`) or logged with `%r`/`repr()` (which escapes
    them) are not reported. Low severity.

    ## Why is this bad?
    A CR/LF in the logged value starts a new, forged log line ("user admin logged in"), which
    misleads whoever reads the logs and can hide an attack; logs rendered in a web viewer can
    also carry markup (CWE-117).

    ## Example
    ```python
    import logging

    from flask import Flask, request

    app = Flask(__name__)
    log = logging.getLogger(__name__)


    @app.route("/login", methods=["POST"])
    def login():
        log.warning("failed login for %s", request.form["user"])
        return {"ok": False}
    ```

    ## Use instead
    ```python
    import logging

    from flask import Flask, request

    app = Flask(__name__)
    log = logging.getLogger(__name__)


    @app.route("/login", methods=["POST"])
    def login():
        log.warning("failed login for %r", request.form["user"])
        return {"ok": False}
    ```

    ## References
    - CWE-117: Improper Output Neutralization for Logs
    - OWASP, "Log Injection"
    """

    meta = RuleMeta(
        code="PWT116",
        name="log-injection",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(117,),
        summary="Untrusted input written to logs without neutralising line breaks",
    )
    vuln_class = "log"
    what = "Untrusted data written to a log"
    accepts_local = False
