"""PWA224: Telnet or plain FTP clients."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.base import AstRule, RuleMeta

_CLIENTS = {
    "telnetlib.Telnet": ("Telnet", "SSH (paramiko, asyncssh)"),
    "telnetlib3.open_connection": ("Telnet", "SSH (paramiko, asyncssh)"),
    "ftplib.FTP": ("FTP", "ftplib.FTP_TLS or SFTP"),
}


class CleartextProtocol(AstRule):
    """
    ## What it does
    Reports clients for protocols that send credentials and data unencrypted: `telnetlib.Telnet`
    and `ftplib.FTP` (not `ftplib.FTP_TLS`). Importing the modules is not reported, only creating
    a client.

    ## Why is this bad?
    Telnet and FTP send the user name, the password and every byte of the session in clear text.
    Anyone on the network path can read the credentials and reuse them, and can change the data in
    transit.

    ## Example
    ```python
    import ftplib

    ftp = ftplib.FTP("files.example.com")
    ftp.login("deploy", "secret")
    ```

    ## Use instead
    ```python
    import ftplib

    ftp = ftplib.FTP_TLS("files.example.com")
    ftp.login("deploy", "secret")
    ftp.prot_p()
    ```

    ## References
    - CWE-319: Cleartext Transmission of Sensitive Information
    """

    meta = RuleMeta(
        code="PWA224",
        name="cleartext-protocol",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(319,),
        summary="Telnet or unencrypted FTP client",
        bandit=("B312", "B321", "B401", "B402"),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"Telnet", "FTP", "open_connection"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr not in ("Telnet", "FTP", "open_connection"):
            return
        if not isinstance(func, (ast.Attribute, ast.Name)):
            return
        if not may_be_imported_call(ctx, node):
            return
        found = _CLIENTS.get(ctx.call_name(node) or "")
        if found is not None:
            proto, fix = found
            yield self.report(node, ctx, f"{proto} sends credentials and data in clear text; use {fix}")
