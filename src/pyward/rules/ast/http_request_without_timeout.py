"""PWA334: HTTP client calls that can wait forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import constructor_of, imports_any, is_none, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
#: No timeout at all unless one is passed.
_REQUESTS = frozenset({f"requests.{m}" for m in _METHODS} | {f"requests.api.{m}" for m in _METHODS})
_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
#: ``urlopen(url, data=None, timeout=<socket default>)``: the socket default is "block forever".
_URLOPEN = frozenset({"urllib.request.urlopen", "urllib2.urlopen"})
#: httpx has a 5-second default: only an explicit ``timeout=None`` disables it.
_HTTPX = frozenset({f"httpx.{m}" for m in (*_METHODS, "stream")} | {"httpx.Client", "httpx.AsyncClient"})
_NAMES = _REQUESTS | _URLOPEN | _HTTPX


class HttpRequestWithoutTimeout(AstRule):
    """
    ## What it does
    Reports HTTP requests that may wait forever: `requests.get`/`post`/`...`/`request` and the
    methods of a `requests.Session` created in the same function, without `timeout=` or with
    `timeout=None`; `urllib.request.urlopen` without a timeout; and httpx calls or clients with an
    explicit `timeout=None` (httpx otherwise applies a 5-second default, so a missing timeout is
    fine there). aiohttp sessions default to a 5-minute total timeout and are not reported.

    ## Why is this bad?
    requests and urllib have no timeout by default: a server that accepts the connection and
    never answers (or answers one byte a minute) holds the worker forever. A handful of such
    requests exhausts a thread pool, which is an easy denial of service when the URL or the peer
    is not yours.

    ## Example
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://api.example.com/rates").json()
    ```

    ## Use instead
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://api.example.com/rates", timeout=10).json()
    ```

    ## References
    - CWE-400: Uncontrolled Resource Consumption
    - requests documentation, "Timeouts"
    """

    meta = RuleMeta(
        code="PWA334",
        name="http-request-without-timeout",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(400,),
        summary="HTTP request without a timeout",
        bandit=("B113",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {*_METHODS, "urlopen", "stream", "Client", "AsyncClient", *(n.rpartition(".")[2] for n in _NAMES)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _METHODS and func.attr not in ("urlopen", "stream", "Client", "AsyncClient"):
                return
        elif isinstance(func, ast.Name):
            if func.id not in local_aliases(ctx, _NAMES):
                return
        else:
            return
        if not _may_name_clients(ctx):
            return
        name = ctx.call_name(node)
        if (
            name is None
            and isinstance(func, ast.Attribute)
            and func.attr in _METHODS
            and _may_name(ctx, ("requests",))
            and constructor_of(ctx, func.value) in _SESSIONS
        ):
            name = f"requests.Session.{func.attr}"
        if name is None:
            return
        timeout = ctx.keyword(node, "timeout")
        if name in _REQUESTS or name.startswith("requests.Session."):
            if timeout is None and not ctx.has_star_kwargs(node):
                yield self.report(node, ctx, f"`{name}` without `timeout=` can wait forever")
            elif is_none(ctx, timeout):
                yield self.report(node, ctx, f"`{name}(timeout=None)` can wait forever")
        elif name in _URLOPEN:
            timeout = ctx.argument(node, 2, "timeout")
            if timeout is None and not ctx.has_star_kwargs(node):
                yield self.report(node, ctx, f"`{name}` without a timeout can wait forever")
            elif is_none(ctx, timeout):
                yield self.report(node, ctx, f"`{name}(timeout=None)` can wait forever")
        elif name in _HTTPX and is_none(ctx, timeout):
            yield self.report(node, ctx, f"`{name}(timeout=None)` disables httpx's default timeout")


#: The top-level modules of every name this rule reports.
_CLIENT_MODULES = tuple(sorted({n.partition(".")[0] for n in _NAMES | _SESSIONS}))


def _may_name(ctx: FileContext, modules: tuple[str, ...]) -> bool:
    """Whether a name in this file can resolve to a qualified name under one of ``modules``. The
    semantic model resolves a name through an import of the file, a builtin, or a definition of
    this module (``<module>.<name>``): only a file importing one of them (or something inside), or
    a module of one of those packages itself, can name ``requests.get`` or ``requests.Session``."""
    return _may_name_module(ctx, modules) or imports_any(ctx, modules)


#: Every name this rule acts on (the callees it reports, the session classes) and their dotted
#: prefixes: ``urllib``, ``urllib.request``, ``urllib.request.urlopen``...
_TARGET_PREFIXES = frozenset(
    target[:i] for target in _NAMES | _SESSIONS for i in range(len(target) + 1) if target[i:i + 1] in ("", ".")
)


def _may_name_clients(ctx: FileContext) -> bool:
    """Whether a call of this file can resolve to a name this rule reports (or a session class).
    A qualified name is what a name is bound to (by an import, a definition of this module as
    ``<module>.<name>``, or a builtin) followed by attributes, so the binding must be a dotted
    prefix of such a name (``urllib`` after ``import urllib.parse``, not ``urllib.parse.urlparse``
    after ``from urllib.parse import urlparse``), or lie under ``requests.Session``, all of whose
    methods count. Module definitions are judged by :func:`_may_name` (a superset)."""
    cached: bool | None = ctx.__dict__.get("_pwa334_may_name")
    if cached is None:
        cached = _may_name_module(ctx, _CLIENT_MODULES) or any(
            name in _TARGET_PREFIXES or name.startswith("requests.Session.")
            for name in ctx.semantic.imported_modules()
        )
        ctx.__dict__["_pwa334_may_name"] = cached
    return cached


def _may_name_module(ctx: FileContext, modules: tuple[str, ...]) -> bool:
    """Whether this module is one of ``modules`` or inside one."""
    module = ctx.module
    return any(module == m or module.startswith(m + ".") for m in modules)
