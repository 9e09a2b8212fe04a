"""PWA333: a server bound to every network interface."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const
from pyward.rules.base import AstRule, RuleMeta

_ANY_HOSTS = frozenset({"0.0.0.0", "::", "[::]", "::0", "0:0:0:0:0:0:0:0"})
_HOST_KEYWORDS = frozenset({"host", "hostname", "bind", "listen", "bind_address", "address", "server_name"})
#: Callees whose first positional argument is an address tuple to listen on.
_TUPLE_LISTENERS = ("bind", "Server", "server", "Listener")


class BindAllInterfaces(AstRule):
    """
    ## What it does
    Reports a listening address that means "every interface": `"0.0.0.0"`, `"::"` (and `""` in
    an address tuple), in `sock.bind((host, port))`, in the address tuple of a server class
    (`HTTPServer(("", 8000), ...)`, `socketserver.TCPServer`, `multiprocessing.connection.Listener`),
    and in `host=`/`bind=`/`listen=` keywords of run and serve calls (`app.run(host="0.0.0.0")`,
    `uvicorn.run(...)`, `waitress.serve(listen="0.0.0.0:8080")`). The same string elsewhere — a
    comparison, a log message, a list of allowed addresses — is not reported. Low severity: inside
    a container this is usually what you want, with the exposure decided by the port mapping.

    ## Why is this bad?
    A service bound to all interfaces is reachable from every network the machine is attached
    to, not only from the proxy or the local host it was meant for. Development servers and admin
    endpoints exposed this way are a common way in.

    ## Example
    ```python
    from flask import Flask

    app = Flask(__name__)
    app.run(host="0.0.0.0", port=8080)
    ```

    ## Use instead
    ```python
    import os

    from flask import Flask

    app = Flask(__name__)
    app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"), port=8080)
    ```

    ## References
    - CWE-605: Multiple Binds to the Same Port
    - CWE-1327: Binding to an Unrestricted IP Address
    """

    meta = RuleMeta(
        code="PWA333",
        name="bind-all-interfaces",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(605, 1327),
        summary="Server listening on every network interface",
        bandit=("B104",),
    )

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        # Every call is a candidate (the listeners are matched by suffix, so calls cannot be routed
        # by name): one tight loop over the index instead of one visit per call.
        # The tests before ``_call`` only skip calls it would find nothing in.
        name_type, attribute_type = ast.Name, ast.Attribute
        for node in ctx.semantic.nodes_by_type.get(ast.Call, ()):
            candidate = False
            for kw in node.keywords:  # type: ignore[attr-defined]
                if kw.arg in _HOST_KEYWORDS:
                    candidate = True
                    break
            if not candidate and node.args:  # type: ignore[attr-defined]
                func = node.func  # type: ignore[attr-defined]
                cls = func.__class__
                last = func.attr if cls is attribute_type else func.id if cls is name_type else ""
                candidate = last.endswith(_TUPLE_LISTENERS)
            if candidate:
                assert isinstance(node, ast.Call)
                yield from self._call(node, ctx)

    def _call(self, node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
        for kw in node.keywords:
            if kw.arg in _HOST_KEYWORDS and _any_host(ctx, kw.value, allow_port=True):
                yield self.report(node, ctx, f"`{kw.arg}=` listens on every interface")
                return
        if not node.args:
            return
        last = callee_leaf(node)
        if not last.endswith(_TUPLE_LISTENERS):
            return
        first = node.args[0]
        value = const(ctx, first)
        if isinstance(first, ast.Tuple) and first.elts:
            host: object = const(ctx, first.elts[0])
        elif isinstance(value, tuple) and value:
            host = value[0]
        else:
            return
        if isinstance(host, str) and (host in _ANY_HOSTS or host == ""):
            yield self.report(
                node, ctx, f"`{last}` on {host or 'the empty host'!r} listens on every interface"
            )


def _any_host(ctx: FileContext, expr: ast.expr, *, allow_port: bool) -> bool:
    value = const(ctx, expr)
    if not isinstance(value, str):
        return False
    if value in _ANY_HOSTS:
        return True
    if allow_port:
        host, sep, port = value.rpartition(":")
        return bool(sep) and port.isdigit() and host in _ANY_HOSTS
    return False
