"""PWT114 header-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class HeaderInjection(TaintRule):
    """
    ## What it does
    Reports request data written into HTTP response headers by APIs that do not reject line
    breaks: `http.server.BaseHTTPRequestHandler.send_header`/`send_response` and the headers
    list a WSGI application passes to `start_response`.

    The request target and header values `http.server` reads (`self.path`, `self.headers`)
    cannot hold a raw CR/LF; they count once decoded (`unquote`, `parse_qs`, base64). Values
    formatted with `%r`/`!r` or as numbers are safe.

    Werkzeug/Flask (`ValueError`), Django (`BadHeaderError`), Tornado, aiohttp and the ASGI
    servers reject header values containing CR or LF, so setting a header from request data
    there is not header injection and is not reported (a `Location` header is an open redirect,
    PWT108).

    ## Why is this bad?
    A CR/LF in a header value ends the header and lets the requester add headers of their own
    (`Set-Cookie`) or a whole forged body (HTTP response splitting, CWE-113); with caches in
    front, the forged response can be served to other users.

    ## Example
    ```python
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs, urlparse


    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            lang = parse_qs(urlparse(self.path).query).get("lang", ["en"])[0]
            self.send_response(200)
            self.send_header("Content-Language", lang)
            self.end_headers()
    ```

    ## Use instead
    ```python
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs, urlparse


    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            lang = parse_qs(urlparse(self.path).query).get("lang", ["en"])[0]
            if lang not in ("en", "fr", "de"):
                lang = "en"
            self.send_response(200)
            self.send_header("Content-Language", lang)
            self.end_headers()
    ```

    ## References
    - CWE-113: Improper Neutralization of CRLF Sequences in HTTP Headers
    - PEP 3333: header values "must not contain control characters"
    """

    meta = RuleMeta(
        code="PWT114",
        name="header-injection",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(113,),
        summary="HTTP response header written from untrusted input without CR/LF checks",
    )
    vuln_class = "header"
    what = "Response header written from untrusted data"
    accepts_local = False
