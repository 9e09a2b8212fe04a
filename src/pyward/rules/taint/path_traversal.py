"""PWT106 path-traversal."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class PathTraversal(TaintRule):
    """
    ## What it does
    Reports request data used as a file system path: `open`, `io.open`, `os` and `shutil` file
    operations, `pathlib.Path` methods (`read_text`, `write_bytes`, `unlink`...), Flask's
    `send_file` and Werkzeug's `FileStorage.save`.

    These make the value safe: `os.path.basename`, `werkzeug.utils.secure_filename`, Django's
    `safe_join`, an allow-list check, and the resolve-then-check guard: the path is first made
    absolute and normalised (`os.path.realpath`/`abspath`/`normpath` or `Path.resolve()`), then
    checked with `startswith`, `is_relative_to` or `os.path.commonpath`, the failing branch
    leaving the function (`return`, `raise`, `abort()`). A `startswith` check on a path that was
    not normalised does not count: `"/srv/uploads/../../etc/passwd"` starts with `/srv/uploads`.
    Flask's `send_from_directory` is safe by design and is not a sink.

    ## Why is this bad?
    `..` components and absolute paths let the requester read, overwrite or delete any file the
    server process can reach: source code, configuration with secrets, SSH keys (CWE-22).
    `os.path.join(base, "/etc/passwd")` ignores `base` entirely.

    ## Example
    ```python
    import os

    from flask import Flask, request, send_file

    app = Flask(__name__)


    @app.route("/download")
    def download():
        return send_file(os.path.join("/srv/uploads", request.args["file"]))
    ```

    ## Use instead
    ```python
    from flask import Flask, request, send_from_directory

    app = Flask(__name__)


    @app.route("/download")
    def download():
        return send_from_directory("/srv/uploads", request.args["file"])
    ```

    ## References
    - CWE-22: Improper Limitation of a Pathname to a Restricted Directory
    - Flask `send_from_directory` and Werkzeug `secure_filename` documentation
    - OWASP, "Path Traversal"
    """

    meta = RuleMeta(
        code="PWT106",
        name="path-traversal",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(22,),
        summary="File system path built from untrusted input",
    )
    vuln_class = "path"
    what = "File path built from untrusted data"
    accepts_local = False
