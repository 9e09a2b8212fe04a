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
    A context made with `ssl.SSLContext()` or `ssl.SSLContext(ssl.PROTOCOL_TLS)` is reported when
    the same function uses it as a client (`wrap_socket(..., server_hostname=...)`, `context=ctx`)
    without setting `verify_mode` or `check_hostname`: unlike `PROTOCOL_TLS_CLIENT` and
    `create_default_context()`, those contexts default to `CERT_NONE`. Comparisons such as
    `if ctx.verify_mode == ssl.CERT_NONE:` only read the setting and are not
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
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {"_create_unverified_context", "_create_stdlib_context", "SSLContext"}
    )
    call_keywords: ClassVar[frozenset[str] | None] = frozenset({"cert_reqs"})

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        index = ctx.semantic.nodes_by_type
        for attribute in ctx.attributes_named(("_create_unverified_context", "_create_stdlib_context")):
            if isinstance(attribute.ctx, ast.Load):
                name = ctx.qualname(attribute)
                if name in _UNVERIFIED:
                    yield self.report(
                        attribute, ctx, f"`{name}` creates a context that accepts any certificate"
                    )
        for assign in index.get(ast.Assign, ()):
            assert isinstance(assign, ast.Assign)
            for target in assign.targets:
                if isinstance(target, ast.Attribute) and target.attr in _ASSIGNED_ATTRS:
                    yield from self._assign(assign, ctx)
                    break

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            if (
                isinstance(node.func, ast.Name)
                and node.func.id in imported_names(ctx)
                and ctx.call_name(node) in _UNVERIFIED
            ):
                yield self.report(node, ctx, "`ssl._create_unverified_context` accepts any certificate")
                return
            func = node.func
            if (
                (isinstance(func, ast.Attribute) and func.attr == "SSLContext")
                or (isinstance(func, ast.Name) and func.id in imported_names(ctx))
            ) and ctx.call_name(node) == "ssl.SSLContext":
                if _unverified_client_context(node, ctx):
                    yield self.report(
                        node,
                        ctx,
                        "`ssl.SSLContext()` without PROTOCOL_TLS_CLIENT verifies nothing by default "
                        "(verify_mode CERT_NONE) and is used by a client; use ssl.create_default_context()",
                        confidence=Confidence.MEDIUM,
                    )
                return
            reqs = ctx.keyword(node, "cert_reqs")
            if reqs is not None and _is_cert_none(ctx, reqs):
                name = ctx.call_name(node) or ""
                if not name.startswith("urllib3."):
                    yield self.report(node, ctx, "`cert_reqs=ssl.CERT_NONE` accepts any certificate")

    def _assign(self, node: ast.Assign, ctx: FileContext) -> Iterator[Finding]:
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


#: Attributes whose assignment :meth:`SslVerificationDisabled._assign` judges.
_ASSIGNED_ATTRS = frozenset({"check_hostname", "verify_mode", "_create_default_https_context"})
_LEGACY_PROTOCOLS = frozenset({"ssl.PROTOCOL_TLS", "ssl.PROTOCOL_SSLv23"})


def _unverified_client_context(call: ast.Call, ctx: FileContext) -> bool:
    """``c = ssl.SSLContext()`` (or PROTOCOL_TLS) whose ``verify_mode`` stays CERT_NONE and that a
    client uses (``c.wrap_socket(..., server_hostname=...)``, ``context=c``), in one function."""
    protocol = ctx.argument(call, 0, "protocol")
    if protocol is not None and ctx.qualname(protocol) not in _LEGACY_PROTOCOLS:
        return False
    parent = ctx.parent(call)
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return False
    var = parent.targets[0].id
    scope = ctx.scope_of(parent)
    client = False
    for node in ast.walk(scope.node):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == var
                    and target.attr in ("verify_mode", "check_hostname")
                ):
                    return False  # configured explicitly (CERT_NONE itself is reported on that line)
        elif isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "server_side" and ctx.const_value(kw.value) is True:
                    return False
                if (
                    kw.arg in ("context", "ssl_context", "ssl")
                    and isinstance(kw.value, ast.Name)
                    and kw.value.id == var
                ):
                    client = True
            f = node.func
            if (
                isinstance(f, ast.Attribute)
                and isinstance(f.value, ast.Name)
                and f.value.id == var
                and f.attr in ("wrap_socket", "wrap_bio")
                and ctx.keyword(node, "server_hostname") is not None
            ):
                client = True
    return client


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
