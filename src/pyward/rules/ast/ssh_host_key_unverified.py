"""PWA223: paramiko accepting unknown SSH host keys."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import AstRule, RuleMeta

_POLICIES = {
    "paramiko.AutoAddPolicy": "AutoAddPolicy",
    "paramiko.client.AutoAddPolicy": "AutoAddPolicy",
    "paramiko.WarningPolicy": "WarningPolicy",
    "paramiko.client.WarningPolicy": "WarningPolicy",
}


class SshHostKeyUnverified(AstRule):
    """
    ## What it does
    Reports `set_missing_host_key_policy()` given paramiko's `AutoAddPolicy` or `WarningPolicy`
    (as an instance or as the class), however paramiko was imported.

    ## Why is this bad?
    The host key is how SSH authenticates the server. With these policies a client connects to a
    server it has never seen and trusts whatever key it presents, so an attacker on the path can
    impersonate the server, capture the password or key-based session, and run commands with it.
    `WarningPolicy` only logs the problem and then connects anyway.

    ## Example
    ```python
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("build.example.com", username="deploy")
    ```

    ## Use instead
    ```python
    import paramiko

    client = paramiko.SSHClient()
    client.load_system_host_keys()
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect("build.example.com", username="deploy")
    ```

    ## References
    - CWE-295: Improper Certificate Validation
    - paramiko documentation, `SSHClient.set_missing_host_key_policy`
    """

    meta = RuleMeta(
        code="PWA223",
        name="ssh-host-key-unverified",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(295, 322),
        summary="SSH client accepts unknown host keys",
        bandit=("B507",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"set_missing_host_key_policy"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "set_missing_host_key_policy":
            return
        policy = ctx.argument(node, 0, "policy")
        if isinstance(policy, ast.Call):
            policy = policy.func
        if policy is None:
            return
        name = _POLICIES.get(ctx.qualname(policy) or "")
        if name is not None:
            yield self.report(
                node, ctx, f"`{name}` trusts the key of any SSH server; use RejectPolicy with known hosts"
            )
