"""PWT102: untrusted input reaches a shell command or the program of a process."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class CommandInjection(TaintRule):
    """
    ## What it does
    Follows untrusted data to commands run by a shell (`os.system`, `os.popen`, `subprocess.*`
    with `shell=True`, `asyncio.create_subprocess_shell`, Paramiko `exec_command`, `pexpect`,
    the legacy `commands`/`popen2` modules) and to the *program* of a process started without a
    shell (`os.exec*`, `os.spawn*`, the first element of a `subprocess` argument list).
    `shlex.quote` makes a value safe for a shell command line.

    ## Why is this bad?
    A shell interprets `;`, `|`, `$(...)` and backquotes: data placed in a command line can run
    any other command with the application's privileges. Choosing the program itself from
    untrusted data is the same thing without the shell.

    ## Example
    ```python
    import os
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args["host"]
        os.system(f"ping -c 1 {host}")
        return "ok"
    ```

    ## Use instead
    ```python
    import subprocess
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/ping")
    def ping():
        host = request.args["host"]
        subprocess.run(["ping", "-c", "1", "--", host], check=False)
        return "ok"
    ```

    ## References
    - CWE-78: Improper Neutralization of Special Elements used in an OS Command
    """

    meta = RuleMeta(
        code="PWT102",
        name="command-injection",
        severity=Severity.CRITICAL,
        confidence=Confidence.HIGH,
        cwe=(78,),
        summary="OS command built from untrusted input",
        bandit=("B602", "B605"),
    )
    vuln_class = "command"
    what = "OS command built from untrusted input"
