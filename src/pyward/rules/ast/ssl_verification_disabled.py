"""PWA221: an ``ssl`` context that skips certificate or host name checks."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import imported_names, imports_any, is_false
from pyward.rules.base import AstRule, RuleMeta

_UNVERIFIED = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
_CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})


class SslVerificationDisabled(AstRule):
    """
    ## What it does
    Reports `ssl` settings that accept any certificate or any host name:
    `ssl._create_unverified_context` (called, or installed as
    `ssl._create_default_https_context`), `context.verify_mode = ssl.CERT_NONE`,
    `context.check_hostname = False`, and `cert_reqs=ssl.CERT_NONE` passed to a socket wrapper.
    Comparisons such as `if ctx.verify_mode == ssl.CERT_NONE:` only read the setting and are not
    reported; urllib3's `cert_reqs` is reported by PWA220.

    ## Why is this bad?
    Without the certificate check anyone able to intercept the connection can present their own
    certificate and read or alter the traffic; without the host name check any valid certificate,
    issued for any site, is accepted. Either way the TLS connection no longer authenticates the
    server.

    ## Example
    ```python
    import ssl
    import urllib.request

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    urllib.request.urlopen("https://internal.example.com", context=context)
    ```

    ## Use instead
    ```python
    import ssl
    import urllib.request

    context = ssl.create_default_context(cafile="/etc/ssl/internal-ca.pem")
    urllib.request.urlopen("https://internal.example.com", context=context)
    ```

    ## References
    - CWE-295: Improper Certificate Validation
    - Python documentation, `ssl` — Security considerations
    """

    meta = RuleMeta(
        code="PWA221",
        name="ssl-verification-disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(295, 297),
        summary="ssl context without certificate or host name verification",
        bandit=("B323",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Attribute, ast.Call, ast.Assign)

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        if isinstance(node, ast.Attribute):
            if node.attr in ("_create_unverified_context", "_create_stdlib_context") and isinstance(
                node.ctx, ast.Load
            ):
                name = ctx.qualname(node)
                if name in _UNVERIFIED:
                    yield self.report(node, ctx, f"`{name}` creates a context that accepts any certificate")
            return
        if isinstance(node, ast.Call):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in imported_names(ctx)
                and ctx.call_name(node) in _UNVERIFIED
            ):
                yield self.report(node, ctx, "`ssl._create_unverified_context` accepts any certificate")
                return
            reqs = ctx.keyword(node, "cert_reqs")
            if reqs is not None and _is_cert_none(ctx, reqs):
                name = ctx.call_name(node) or ""
                if not name.startswith("urllib3."):
                    yield self.report(node, ctx, "`cert_reqs=ssl.CERT_NONE` accepts any certificate")
            return
        assert isinstance(node, ast.Assign)
        for target in node.targets:
            if not isinstance(target, ast.Attribute):
                continue
            if target.attr == "check_hostname" and is_false(ctx, node.value):
                if _guarded_by_missing_host(node, ctx):
                    return  # ``if not server_hostname: ctx.check_hostname = False``: nothing to check
                if imports_any(ctx, ("ssl", "urllib3", "requests", "httpx", "aiohttp", "OpenSSL")):
                    yield self.report(
                        node, ctx, "`check_hostname = False` accepts certificates issued for any host"
                    )
                return
            if target.attr == "verify_mode" and _is_cert_none(ctx, node.value):
                yield self.report(node, ctx, "`verify_mode = CERT_NONE` accepts any certificate")
                return
            if target.attr == "_create_default_https_context" and isinstance(node.value, ast.Name):
                if ctx.qualname(node.value) in _UNVERIFIED:
                    yield self.report(
                        node, ctx, "Every HTTPS request in the process now accepts any certificate"
                    )
                return


def _guarded_by_missing_host(node: ast.AST, ctx: FileContext) -> bool:
    """Whether ``node`` sits directly in the body of an ``if`` testing a host name variable."""
    parent = ctx.parent(node)
    if not isinstance(parent, ast.If) or node not in parent.body:
        return False
    for sub in ast.walk(parent.test):
        ident = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else ""
        if "host" in ident.lower():
            return True
    return False


def _is_cert_none(ctx: FileContext, expr: ast.expr) -> bool:
    return ctx.qualname(expr) in _CERT_NONE
