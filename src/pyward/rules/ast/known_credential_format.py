"""PWA241: a string literal in a recognisable credential format (AWS, GitHub, Slack, PEM key...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import mask
from pyward.rules.ast._secrets import known_format
from pyward.rules.base import AstRule, RuleMeta


class KnownCredentialFormat(AstRule):
    """
    ## What it does
    Reports string and bytes literals, wherever they appear, that contain a credential in a format
    its issuer made recognisable: AWS access key ids (`AKIA...`), GitHub tokens (`ghp_...`,
    `github_pat_...`), GitLab personal access tokens (`glpat-...`), Slack tokens (`xoxb-...`) and
    webhook URLs, Stripe live secret keys (`sk_live_...`), Google API keys (`AIza...`), JSON Web
    Tokens, passwords in URLs (`postgres://app:s3cret@db/app`, not `user:password@` or
    `user:${DB_PASSWORD}@`), and PEM private key blocks with key material (a bare
    `-----BEGIN PRIVATE KEY-----` line, as a parser would compare against, is not reported). AWS's documented example keys (ending in
    `EXAMPLE`) are not reported, nor are URL passwords in docstrings. The message shows only the
    first characters of the value.

    ## Why is this bad?
    These formats exist so that leaked credentials can be found: secret scanners used by attackers
    look for exactly these prefixes in public repositories, packages and container images, and use
    a leaked key within minutes. A key in source also stays in version-control history after it is
    removed; the only fix is to revoke it.

    ## Example
    ```python
    GITHUB_TOKEN = "ghp_Xk2mR8vLq4Tn7Wz1Yb5Hc9Jd3Fg6Sa0Pe2Ku"
    ```

    ## Use instead
    ```python
    import os

    GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
    ```

    ## References
    - CWE-798: Use of Hard-coded Credentials
    - GitHub documentation, "About secret scanning"
    """

    meta = RuleMeta(
        code="PWA241",
        name="known-credential-format",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(798,),
        summary="Credential in a known token or key format in a string literal",
    )

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        # One tight loop over the file's constants (there are many; few are long strings).
        for node in ctx.semantic.nodes_by_type.get(ast.Constant, ()):
            assert isinstance(node, ast.Constant)
            value: Any = node.value
            cls = value.__class__  # a constant's value is exactly str, bytes, int, float...
            if cls is str:
                if len(value) < 12:
                    continue
            elif cls is bytes:
                if len(value) < 20:
                    continue
                value = value.decode("latin-1")
            else:
                continue
            found = known_format(value)
            if found is None:
                continue
            kind, text = found
            if kind == "password in a URL" and _is_docstring(node, ctx):
                continue  # ``scheme://user:pass@host`` in documentation is an example
            confidence = Confidence.MEDIUM if kind in ("JSON Web Token", "password in a URL") else None
            yield self.report(
                node,
                ctx,
                f"{kind} in a string literal ({mask(text)}); revoke it and load it at run time",
                confidence=confidence,
                redact=(text, value),
            )


def _is_docstring(node: ast.Constant, ctx: FileContext) -> bool:
    parent = ctx.parent(node)
    if not isinstance(parent, ast.Expr):
        return False
    owner = ctx.parent(parent)
    if not isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    return bool(owner.body) and owner.body[0] is parent
