"""PWT117: a module is imported by a name taken from untrusted input."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class UnsafeDynamicImport(TaintRule):
    """
    ## What it does
    Follows untrusted data to the module name of `importlib.import_module`, `__import__` and
    `pkgutil.resolve_name`.

    ## Why is this bad?
    Importing a module runs its top-level code. Letting a request choose the module lets an
    attacker run any importable module (including ones with side effects on import, or a file
    they managed to place on the path), and reach objects the application never meant to
    expose. Map the allowed names to modules explicitly instead.

    ## Example
    ```python
    import importlib
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/plugin")
    def plugin():
        module = importlib.import_module(request.args["name"])
        return module.__name__
    ```

    ## Use instead
    ```python
    import importlib
    from flask import Flask, request

    app = Flask(__name__)
    PLUGINS = {"csv": "myapp.plugins.csv", "json": "myapp.plugins.json"}

    @app.route("/plugin")
    def plugin():
        name = request.args["name"]
        if name not in PLUGINS:
            return "unknown plugin", 404
        module = importlib.import_module(PLUGINS[name])
        return module.__name__
    ```

    ## References
    - CWE-706: Use of Incorrectly-Resolved Name or Reference
    """

    meta = RuleMeta(
        code="PWT117",
        name="unsafe-dynamic-import",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(706,),
        summary="Module imported by a name from untrusted input",
    )
    vuln_class = "import"
    what = "Module name from untrusted input"
