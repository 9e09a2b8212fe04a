"""PWA220: HTTP client with TLS certificate verification switched off."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import HTTP_METHODS, const, imports_any, is_false, receiver_call_name
from pyward.rules.base import AstRule, RuleMeta

_REQUESTS_FUNCS = frozenset(
    f"{mod}.{m}"
    for mod in ("requests", "requests.api")
    for m in ("get", "post", "put", "patch", "delete", "head", "options", "request")
)
_HTTPX_FUNCS = frozenset(
    {f"httpx.{m}" for m in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")}
    | {"httpx.Client", "httpx.AsyncClient", "httpx.HTTPTransport", "httpx.AsyncHTTPTransport"}
)
_SESSION_FACTORIES = frozenset(
    {"requests.Session", "requests.session", "requests.sessions.Session", "httpx.Client", "httpx.AsyncClient"}
)
_BOTO = frozenset({"boto3.client", "boto3.resource"})
_AIOHTTP_CONNECTORS = frozenset({"aiohttp.TCPConnector", "aiohttp.connector.TCPConnector", "aiohttp.request"})
_URLLIB3 = frozenset(
    {
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.proxy_from_url",
        "urllib3.request",
        "urllib3.poolmanager.PoolManager",
        "urllib3.poolmanager.ProxyManager",
        "urllib3.connectionpool.HTTPSConnectionPool",
    }
)
_CLIENT_MODULES = ("requests", "httpx")
_ANY_CLIENT = ("requests", "httpx", "aiohttp", "urllib3", "boto3")
_KEYWORDS = frozenset({"verify", "ssl", "verify_ssl", "cert_reqs", "assert_hostname"})


class TlsVerificationDisabled(AstRule):
    """
    ## What it does
    Reports HTTP client calls that switch off TLS certificate verification: `verify=False` for
    requests, httpx and boto3, `ssl=False` / `verify_ssl=False` for aiohttp, `cert_reqs="CERT_NONE"`
    or `assert_hostname=False` for urllib3, and `session.verify = False`. The value is folded through
    module-level constants, so `verify=VERIFY` with `VERIFY = False` is reported, while a value read
    from settings or the environment is not.

    ## Why is this bad?
    Without certificate verification the client accepts any certificate, so anyone on the network
    path (a proxy, a Wi-Fi hotspot, a compromised router) can impersonate the server, read the
    traffic, including credentials and tokens, and change the responses. The connection is still
    encrypted, which makes the problem easy to overlook.

    ## Example
    ```python
    import requests

    resp = requests.get("https://internal.example.com/api", verify=False)
    ```

    ## Use instead
    ```python
    import requests

    resp = requests.get("https://internal.example.com/api", verify="/etc/ssl/internal-ca.pem")
    ```

    ## References
    - CWE-295: Improper Certificate Validation
    - requests documentation, "SSL Cert Verification"
    """

    meta = RuleMeta(
        code="PWA220",
        name="tls-verification-disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(295,),
        summary="TLS certificate verification disabled in an HTTP client",
        bandit=("B501",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    #: Only calls passing one of these keywords can disable verification.
    call_keywords: ClassVar[frozenset[str] | None] = _KEYWORDS

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        for assign in ctx.semantic.nodes_by_type.get(ast.Assign, ()):
            assert isinstance(assign, ast.Assign)
            for target in assign.targets:
                if isinstance(target, ast.Attribute) and target.attr == "verify":
                    yield from self._assign(assign, ctx)
                    break

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        if not node.keywords:
            return
        kws = {kw.arg for kw in node.keywords}
        if not kws & _KEYWORDS or not imports_any(ctx, _ANY_CLIENT):
            return
        name = ctx.call_name(node)
        if name is None:
            receiver = receiver_call_name(ctx, node)
            if receiver is not None and isinstance(node.func, ast.Attribute):
                # ``X(...).get(...)``: we know what X is, so judge by that alone.
                name = f"{receiver}.{node.func.attr}"
        if name is not None:
            yield from self._resolved(node, name, ctx)
            return
        # A method on an object we cannot name (a session or client kept in a variable).
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in HTTP_METHODS:
            return
        if "verify" in kws and is_false(ctx, ctx.keyword(node, "verify")):
            if imports_any(ctx, _CLIENT_MODULES):
                yield self.report(
                    node,
                    ctx,
                    f"TLS certificate verification disabled: `.{func.attr}(..., verify=False)`",
                    confidence=Confidence.MEDIUM,
                )
            return
        for kw in ("ssl", "verify_ssl"):
            if kw in kws and is_false(ctx, ctx.keyword(node, kw)) and imports_any(ctx, ("aiohttp",)):
                yield self.report(
                    node,
                    ctx,
                    f"TLS certificate verification disabled: `.{func.attr}(..., {kw}=False)` (aiohttp)",
                    confidence=Confidence.MEDIUM,
                )
                return

    def _resolved(self, node: ast.Call, name: str, ctx: FileContext) -> Iterator[Finding]:
        verify = ctx.keyword(node, "verify")
        if (verify is not None and is_false(ctx, verify)) and (
            name in _REQUESTS_FUNCS or name in _HTTPX_FUNCS or name in _BOTO or _is_session_method(name)
        ):
            yield self.report(node, ctx, f"TLS certificate verification disabled: `{name}(verify=False)`")
            return
        if name in _AIOHTTP_CONNECTORS or (name.startswith("aiohttp.ClientSession.") and _is_method(name)):
            for kw in ("ssl", "verify_ssl"):
                if is_false(ctx, ctx.keyword(node, kw)):
                    yield self.report(
                        node, ctx, f"TLS certificate verification disabled: `{name}({kw}=False)`"
                    )
                    return
        if name in _URLLIB3:
            reqs = ctx.keyword(node, "cert_reqs")
            if reqs is not None and _is_cert_none(ctx, reqs):
                yield self.report(
                    node, ctx, f"TLS certificate verification disabled: `{name}(cert_reqs=CERT_NONE)`"
                )
                return
            if is_false(ctx, ctx.keyword(node, "assert_hostname")):
                yield self.report(
                    node, ctx, f"TLS host name verification disabled: `{name}(assert_hostname=False)`"
                )

    def _assign(self, node: ast.Assign, ctx: FileContext) -> Iterator[Finding]:
        for target in node.targets:
            if (
                isinstance(target, ast.Attribute)
                and target.attr == "verify"
                and is_false(ctx, node.value)
                and imports_any(ctx, _CLIENT_MODULES)
            ):
                yield self.report(
                    node,
                    ctx,
                    "TLS certificate verification disabled: `session.verify = False`",
                    confidence=Confidence.MEDIUM,
                )
                return


def _is_method(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in HTTP_METHODS


def _is_session_method(name: str) -> bool:
    prefix, _, method = name.rpartition(".")
    return prefix in _SESSION_FACTORIES and method in HTTP_METHODS


def _is_cert_none(ctx: FileContext, expr: ast.expr) -> bool:
    value = const(ctx, expr)
    if isinstance(value, str):
        return value.upper() in ("CERT_NONE", "NONE")
    if value is not None and not isinstance(value, bool) and value == 0:
        return True  # ssl.CERT_NONE is 0
    return ctx.qualname(expr) in ("ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE")
