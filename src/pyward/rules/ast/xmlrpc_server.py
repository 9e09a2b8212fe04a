"""PWA342: XML-RPC servers, and the one option that exposes module internals."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import is_true, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_SERVERS = frozenset(
    f"{mod}.{cls}"
    for mod in ("xmlrpc.server", "SimpleXMLRPCServer", "DocXMLRPCServer")
    for cls in ("SimpleXMLRPCServer", "MultiPathXMLRPCServer", "DocXMLRPCServer", "CGIXMLRPCRequestHandler",
                "DocCGIXMLRPCRequestHandler")
)  # fmt: skip


class XmlrpcServer(AstRule):
    """
    ## What it does
    Reports `register_instance(obj, allow_dotted_names=True)` on an XML-RPC server (high), and,
    at low severity, the creation of a stdlib XML-RPC server (`SimpleXMLRPCServer`,
    `MultiPathXMLRPCServer`, `DocXMLRPCServer` and the CGI handlers from `xmlrpc.server`).

    ## Why is this bad?
    With `allow_dotted_names=True` a client can walk attributes of the registered object —
    `obj.__init__.__globals__` and on to the module's globals — and call what it finds: the Python
    documentation warns that this allows arbitrary code execution. The stdlib servers themselves
    have no authentication, no TLS and no request size limit, and parse XML from whoever connects;
    the XML attacks the `xml` documentation lists (entity expansion on an old Expat, decompression
    bombs) apply. Put them behind authentication or use `defusedxml.xmlrpc.monkey_patch()`.

    ## Example
    ```python
    from xmlrpc.server import SimpleXMLRPCServer

    class Api:
        def ping(self):
            return "pong"

    server = SimpleXMLRPCServer(("127.0.0.1", 8000))
    server.register_instance(Api(), allow_dotted_names=True)
    ```

    ## Use instead
    ```python
    from xmlrpc.client import ServerProxy

    proxy = ServerProxy("https://rpc.example.com/")
    ```

    ## References
    - CWE-20: Improper Input Validation
    - CWE-776: Improper Restriction of Recursive Entity References in DTDs
    - Python documentation, `xmlrpc.server` — `register_instance` warning
    """

    meta = RuleMeta(
        code="PWA342",
        name="xmlrpc-server",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(20, 776),
        summary="Stdlib XML-RPC server (unauthenticated XML parsing), dotted-name dispatch",
        bandit=("B411",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {"register_instance", *(n.rpartition(".")[2] for n in _SERVERS)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "register_instance":
                dotted = ctx.argument(node, 1, "allow_dotted_names")
                if is_true(ctx, dotted):
                    yield self.report(
                        node,
                        ctx,
                        "`allow_dotted_names=True` lets clients reach module globals and run code",
                        severity=Severity.HIGH,
                    )
                return
            if not func.attr.endswith(("Server", "Handler")):
                return
        elif not (isinstance(func, ast.Name) and func.id in local_aliases(ctx, _SERVERS)):
            return
        name = ctx.call_name(node)
        if name in _SERVERS:
            yield self.report(
                node,
                ctx,
                f"`{name.rpartition('.')[2]}` parses XML from any client without authentication or "
                "size limits; consider `defusedxml.xmlrpc.monkey_patch()` and an authenticating proxy",
            )
