"""PWT107 ssrf."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class ServerSideRequestForgery(TaintRule):
    """
    ## What it does
    Reports request data that decides *where* the server connects: the URL of `requests`,
    `httpx`, `urllib.request.urlopen`/`Request`, `urllib3` and `aiohttp` client calls, and the
    host of `http.client.HTTPConnection`/`HTTPSConnection`.

    Only the destination is a sink. Request data in query parameters (`params=`), the body
    (`data=`, `json=`), headers, or the path given to `HTTPConnection.request` on a fixed host is
    not reported. A host checked against an allow-list is safe.

    ## Why is this bad?
    The server usually sits inside a trusted network. Letting the requester choose the URL lets
    them reach internal services and cloud metadata endpoints (`http://169.254.169.254/`), scan
    ports, and use `file://` or other schemes the client library supports (CWE-918).

    ## Example
    ```python
    import requests
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/fetch")
    def fetch():
        resp = requests.get(request.args["url"], timeout=5)
        return {"status": resp.status_code}
    ```

    ## Use instead
    ```python
    import requests
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/search")
    def search():
        resp = requests.get(
            "https://api.example.com/search", params={"q": request.args["q"]}, timeout=5
        )
        return {"status": resp.status_code}
    ```

    ## References
    - CWE-918: Server-Side Request Forgery (SSRF)
    - OWASP, "Server-Side Request Forgery Prevention Cheat Sheet"
    """

    meta = RuleMeta(
        code="PWT107",
        name="ssrf",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(918,),
        summary="Outgoing request destination chosen by untrusted input",
        bandit=("B310",),
    )
    vuln_class = "ssrf"
    what = "Request URL chosen by untrusted data"
    accepts_local = False
