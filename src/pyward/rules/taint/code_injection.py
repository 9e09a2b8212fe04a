"""PWT103: untrusted input is evaluated or compiled as Python code."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class CodeInjection(TaintRule):
    """
    ## What it does
    Follows untrusted data to `eval`, `exec`, `compile` and the `code` module's interpreters
    (`InteractiveInterpreter.runsource`, `InteractiveConsole.push`).

    ## Why is this bad?
    Evaluating text as Python gives whoever controls the text everything the process can do:
    reading files and secrets, running commands, changing data. There is no safe way to
    restrict `eval`; `ast.literal_eval` parses literals only and is the usual replacement.

    ## Example
    ```python
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/calc")
    def calc():
        return str(eval(request.args["expr"]))
    ```

    ## Use instead
    ```python
    import ast
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/calc")
    def calc():
        return str(ast.literal_eval(request.args["expr"]))
    ```

    ## References
    - CWE-94: Improper Control of Generation of Code
    - CWE-95: Eval Injection
    """

    meta = RuleMeta(
        code="PWT103",
        name="code-injection",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        cwe=(94, 95),
        summary="Python code built from untrusted input is evaluated",
        bandit=("B307", "B102"),
    )
    vuln_class = "code"
    what = "Untrusted input evaluated as Python code"
