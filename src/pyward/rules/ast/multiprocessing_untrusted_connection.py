"""PWA374: pickle-based multiprocessing connections open to unauthenticated peers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import const, is_none, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_LISTENER = frozenset({"multiprocessing.connection.Listener"})
_CLIENT = frozenset({"multiprocessing.connection.Client"})
_NAMES = _LISTENER | _CLIENT
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "ip6-localhost"})


class MultiprocessingUntrustedConnection(AstRule):
    """
    ## What it does
    Reports, at low severity, `multiprocessing.connection.Listener` and `Client` used over TCP
    without an `authkey` (or with `authkey=None`), unless the address is a constant loopback
    address (`127.0.0.1`, `localhost`, `::1`) or a Unix socket / named pipe path. With an
    `authkey` both ends run an HMAC challenge before any data is exchanged, and the rule is
    silent.

    ## Why is this bad?
    `Connection.recv()` unpickles what the peer sends. A listener without an `authkey` accepts any
    peer that can reach the port, and a client without one trusts whatever answers at the
    address: in both cases the other side can send a pickle that runs code in your process.

    ## Example
    ```python
    from multiprocessing.connection import Listener

    with Listener(("0.0.0.0", 6000)) as listener:
        with listener.accept() as conn:
            job = conn.recv()
    ```

    ## Use instead
    ```python
    import os
    from multiprocessing.connection import Listener

    with Listener(("0.0.0.0", 6000), authkey=os.environ["WORKER_KEY"].encode()) as listener:
        with listener.accept() as conn:
            job = conn.recv()
    ```

    ## References
    - CWE-502: Deserialization of Untrusted Data
    - CWE-306: Missing Authentication for Critical Function
    - Python documentation, `multiprocessing` — Authentication keys and `Connection.recv`
    """

    meta = RuleMeta(
        code="PWA374",
        name="multiprocessing-untrusted-connection",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(502, 306),
        summary="multiprocessing Listener/Client over TCP without an authkey (pickle from the peer)",
        bandit=(),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"Listener", "Client"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in ("Listener", "Client"):
                return
        elif not (isinstance(func, ast.Name) and func.id in local_aliases(ctx, _NAMES)):
            return
        name = ctx.call_name(node)
        if name not in _NAMES:
            return
        authkey = ctx.argument(node, 3 if name in _LISTENER else 2, "authkey")
        if authkey is not None and not is_none(ctx, authkey):
            return
        if authkey is None and ctx.has_star_kwargs(node):
            return
        address = ctx.argument(node, 0, "address")
        if address is None:
            if name in _LISTENER:
                return  # no address: a fresh Unix socket / named pipe of the default family
        elif _local_address(ctx, address):
            return
        role = "accepts any peer" if name in _LISTENER else "trusts whatever answers"
        yield self.report(
            node,
            ctx,
            f"`{name.rpartition('.')[2]}` without `authkey` {role}; `recv()` unpickles what it sends",
        )


def _local_address(ctx: FileContext, address: ast.expr) -> bool:
    value = const(ctx, address)
    if isinstance(value, str):
        return True  # AF_UNIX path or Windows named pipe
    host: object = NOT_CONSTANT
    if isinstance(value, tuple) and value:
        host = value[0]
    elif isinstance(address, ast.Tuple) and address.elts:
        host = const(ctx, address.elts[0])
    return isinstance(host, str) and host in _LOOPBACK
