"""PWA225: an ``http://`` URL to a non-local host passed to an HTTP client."""

from __future__ import annotations

import ast
import ipaddress
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urlsplit

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import HTTP_METHODS, imports_any, receiver_call_name
from pyward.rules.base import AstRule, RuleMeta

_CLIENT_MODULES = ("requests", "httpx", "aiohttp", "urllib", "urllib3")
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
#: callee -> position of the URL argument (keyword ``url``).
_URL_POSITION: dict[str, int] = {
    **{f"{mod}.{verb}": 0 for mod in ("requests", "requests.api", "httpx") for verb in _VERBS},
    "requests.request": 1,
    "requests.api.request": 1,
    "httpx.request": 1,
    "httpx.stream": 1,
    "aiohttp.request": 1,
    "urllib.request.urlopen": 0,
    "urllib.request.Request": 0,
    "urllib3.request": 1,
}
_SESSIONS = frozenset(
    {"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession"}
)
_LOCAL_SUFFIXES = (
    ".localhost", ".local", ".internal", ".lan", ".home.arpa", ".test", ".example", ".invalid",
    ".example.com", ".example.org", ".example.net", ".svc", ".cluster.local",
)  # fmt: skip
_DOC_HOSTS = frozenset({"localhost", "example.com", "example.org", "example.net"})


#: The callees and session classes this rule resolves calls to, and all their dotted prefixes.
_TARGET_PREFIXES = frozenset(
    target[:i]
    for target in (*_URL_POSITION, *_SESSIONS)
    for i in range(len(target) + 1)
    if target[i : i + 1] in ("", ".")
)
#: Imports that make any ``x.get(url)`` on an unresolved object a candidate.
_SESSION_LIBRARIES = ("requests", "httpx", "aiohttp")


def _may_report(ctx: FileContext) -> bool:
    """Whether a call of this file can get a URL position at all: its callee (or the constructor of
    its receiver) resolves to a name of ``_URL_POSITION``/``_SESSIONS``, which needs a binding that
    is a dotted prefix of one (an import such as ``urllib`` or ``requests``, not
    ``urllib.parse.urlparse``; or a definition of a module of those packages), or the file imports
    a session library. Computed once per file."""
    cached: bool | None = ctx.__dict__.get("_pwa225_may_report")
    if cached is None:
        module = ctx.module
        cached = (
            any(module == m or module.startswith(m + ".") for m in _CLIENT_MODULES)
            or imports_any(ctx, _SESSION_LIBRARIES)
            or any(name in _TARGET_PREFIXES for name in ctx.semantic.imported_modules())
        )
        ctx.__dict__["_pwa225_may_report"] = cached
    return cached


def url_prefix(ctx: FileContext, expr: ast.expr) -> str | None:
    """The URL, or its constant beginning (f-string, ``+``, ``%`` or ``.format`` on a literal)."""
    value = ctx.const_value(expr)
    if isinstance(value, str):
        return value
    if value is not NOT_CONSTANT:
        return None
    if isinstance(expr, ast.JoinedStr) and expr.values:
        first = expr.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
        return url_prefix(ctx, expr.left) if isinstance(expr.op, ast.Add) else _const_str(ctx, expr.left)
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
        return _const_str(ctx, expr.func.value)
    return None


def _const_str(ctx: FileContext, expr: ast.expr) -> str | None:
    value = ctx.const_value(expr)
    if isinstance(value, str):
        return value.split("%", 1)[0].split("{", 1)[0]
    return None


def remote_http_host(url: str) -> str | None:
    """The host of an ``http://`` URL when it is a public, non-local host, else None."""
    if url[:7].lower() != "http://":
        return None
    rest = url[7:]
    end = len(rest)
    for sep in "/?#":
        i = rest.find(sep)
        if i != -1:
            end = min(end, i)
    authority = rest[:end]
    if end == len(rest) and not authority:
        return None
    try:
        host = (urlsplit("http://" + authority).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host or ("." not in host and ":" not in host):
        return None  # empty, or a single-label name (a container or service name)
    if host in _DOC_HOSTS or host.endswith(_LOCAL_SUFFIXES):
        return None
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_reserved:
        return None
    return host


class CleartextHttpUrl(AstRule):
    """
    ## What it does
    Reports an `http://` URL for a public host passed as the URL of an HTTP client call: requests,
    httpx and aiohttp functions and session methods, `urllib.request.urlopen` and `Request`. The
    URL may be a literal, a module-level constant, or the literal start of an f-string or
    concatenation. Local and private hosts (`localhost`, `127.0.0.1`, `10.x`, `192.168.x`,
    `*.local`, `*.internal`, single-label service names) and documentation domains
    (`example.com`) are not reported, and neither are `https://` URLs.

    ## Why is this bad?
    Plain HTTP is neither encrypted nor authenticated: anyone on the path can read the request,
    including cookies, tokens and form data, and can change the response, for example to inject
    code into a downloaded file. Most public services offer HTTPS.

    ## Example
    ```python
    import requests

    resp = requests.get("http://api.weather-service.io/v1/today")
    ```

    ## Use instead
    ```python
    import requests

    resp = requests.get("https://api.weather-service.io/v1/today")
    local = requests.get("http://localhost:8080/health")
    ```

    ## References
    - CWE-319: Cleartext Transmission of Sensitive Information
    """

    meta = RuleMeta(
        code="PWA225",
        name="cleartext-http-url",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(319,),
        summary="HTTP client call to a public host over plain http://",
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {*HTTP_METHODS, "urlopen", "Request", *(q.rsplit(".", 1)[-1] for q in _URL_POSITION)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not (node.args or node.keywords) or not imports_any(ctx, _CLIENT_MODULES) or not _may_report(ctx):
            return
        if isinstance(func, ast.Attribute) and func.attr not in HTTP_METHODS and func.attr not in (
            "urlopen", "Request",
        ):  # fmt: skip
            return
        if not isinstance(func, (ast.Attribute, ast.Name)):
            return
        name = ctx.call_name(node)
        position: int | None = None
        if name is not None:
            position = _URL_POSITION.get(name)
        elif isinstance(func, ast.Attribute):
            receiver = receiver_call_name(ctx, node)
            known = receiver in _SESSIONS
            if receiver is None and isinstance(func.value, (ast.Name, ast.Attribute)):
                known = imports_any(ctx, _SESSION_LIBRARIES)
            if known:
                position = 1 if func.attr == "request" else 0
        if position is None:
            return
        url_expr = ctx.argument(node, position, "url")
        if url_expr is None:
            return
        prefix = url_prefix(ctx, url_expr)
        host = remote_http_host(prefix) if prefix else None
        if host is not None:
            yield self.report(node, ctx, f"Plain http:// request to `{host}`; use https://")
