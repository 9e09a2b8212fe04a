"""PWA222: SSL 2/3, TLS 1.0 or TLS 1.1 selected explicitly."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import AstRule, RuleMeta

_OLD = {
    "ssl.PROTOCOL_SSLv2": "SSL 2.0",
    "ssl.PROTOCOL_SSLv3": "SSL 3.0",
    "ssl.PROTOCOL_TLSv1": "TLS 1.0",
    "ssl.PROTOCOL_TLSv1_1": "TLS 1.1",
    "ssl.TLSVersion.SSLv3": "SSL 3.0",
    "ssl.TLSVersion.TLSv1": "TLS 1.0",
    "ssl.TLSVersion.TLSv1_1": "TLS 1.1",
    "OpenSSL.SSL.SSLv2_METHOD": "SSL 2.0",
    "OpenSSL.SSL.SSLv3_METHOD": "SSL 3.0",
    "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
    "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1",
    "OpenSSL.SSL.TLS1_VERSION": "TLS 1.0",
    "OpenSSL.SSL.TLS1_1_VERSION": "TLS 1.1",
}
_LEAVES = frozenset(q.rsplit(".", 1)[1] for q in _OLD)


class InsecureTlsProtocol(AstRule):
    """
    ## What it does
    Reports the protocol constants for SSL 2.0, SSL 3.0, TLS 1.0 and TLS 1.1 used to make or
    configure a connection: `ssl.PROTOCOL_TLSv1`, `ssl.TLSVersion.TLSv1_1` (for example as
    `minimum_version`), pyOpenSSL's `SSL.TLSv1_METHOD`, whether passed to a constructor, assigned,
    or used as a parameter default. A comparison with the constant (reading which protocol a
    connection negotiated) is not reported.

    ## Why is this bad?
    These protocol versions have known attacks (POODLE, BEAST, downgrade attacks) and weak cipher
    suites, and are deprecated by RFC 8996. A client or server pinned to them negotiates a
    connection that an attacker on the path can decrypt or tamper with.

    ## Example
    ```python
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ```

    ## Use instead
    ```python
    import ssl

    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    ```

    ## References
    - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
    - RFC 8996: Deprecating TLS 1.0 and TLS 1.1
    """

    meta = RuleMeta(
        code="PWA222",
        name="insecure-tls-protocol",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(327, 757),
        summary="Obsolete SSL/TLS protocol version selected",
        bandit=("B502", "B503"),
    )

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        for attribute in ctx.attributes_named(_LEAVES):
            if isinstance(attribute.ctx, ast.Load):
                yield from self._judge(attribute, ctx)
        # ``from ssl import PROTOCOL_TLSv1 as OLD``: names imported at module level, only looked for
        # when the file imports one.
        aliases = {k for k, v in ctx.semantic.module_scope.imports.items() if v in _OLD}
        if not aliases:
            return
        for node in ctx.semantic.nodes_by_type.get(ast.Name, ()):
            assert isinstance(node, ast.Name)
            if node.id in aliases and isinstance(node.ctx, ast.Load):
                yield from self._judge(node, ctx)

    def _judge(self, node: ast.Attribute | ast.Name, ctx: FileContext) -> Iterator[Finding]:
        name = ctx.qualname(node)
        version = _OLD.get(name or "")
        if version is None:
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Compare) or (
            isinstance(parent, (ast.Tuple, ast.List, ast.Set)) and isinstance(ctx.parent(parent), ast.Compare)
        ):
            return
        if isinstance(parent, (ast.Dict, ast.Subscript)):
            return  # a lookup table of protocol names, not a choice
        if isinstance(parent, ast.Assign) and all(isinstance(t, ast.Subscript) for t in parent.targets):
            return  # ``table[ssl.PROTOCOL_TLSv1] = SSL.TLSv1_METHOD``: a mapping entry
        yield self.report(
            node, ctx, f"{version} is obsolete and insecure (`{name}`); require TLS 1.2 or later"
        )
