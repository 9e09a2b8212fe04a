"""PWA372: ``logging.config.listen`` accepts configuration from the network."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import is_none, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_LISTEN = frozenset({"logging.config.listen"})


class LoggingConfigListen(AstRule):
    """
    ## What it does
    Reports `logging.config.listen(...)` called without a `verify` function (or with
    `verify=None`). A call that passes `verify=` — a function that checks a signature or decrypts
    the bytes before they are applied — is not reported.

    ## Why is this bad?
    The listener applies any logging configuration sent to its port. A `fileConfig`-style
    configuration names classes and arguments that are evaluated, so whoever can connect to the
    port (every local user, or anyone if the port is reachable) can run code in your process.

    ## Example
    ```python
    import logging.config

    thread = logging.config.listen(9999)
    thread.start()
    ```

    ## Use instead
    ```python
    import hmac
    import logging.config

    KEY = b"loaded-from-a-secret-store"

    def verified(data):
        mac, _, body = data.partition(b"\\n")
        return body if hmac.compare_digest(mac, hmac.digest(KEY, body, "sha256")) else None

    thread = logging.config.listen(9999, verify=verified)
    thread.start()
    ```

    ## References
    - CWE-94: Improper Control of Generation of Code
    - Python documentation, `logging.config.listen` (security note on `verify`)
    """

    meta = RuleMeta(
        code="PWA372",
        name="logging-config-listen",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(94,),
        summary="logging.config.listen without a verify function",
        bandit=("B612",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"listen"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr != "listen":
                return
        elif not (isinstance(func, ast.Name) and func.id in local_aliases(ctx, _LISTEN)):
            return
        if ctx.call_name(node) not in _LISTEN:
            return
        verify = ctx.argument(node, 1, "verify")
        if verify is None and ctx.has_star_kwargs(node):
            return
        if verify is None or is_none(ctx, verify):
            yield self.report(
                node,
                ctx,
                "`logging.config.listen` applies configuration from anyone who can connect; pass `verify=`",
            )
