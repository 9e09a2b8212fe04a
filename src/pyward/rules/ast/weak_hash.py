"""PWA201: a broken hash algorithm (MD5, SHA-1, MD4, MD2) used where security may depend on it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._hashes import WEAK, hash_call
from pyward.rules.ast._pwa2_util import mentions_password
from pyward.rules.base import AstRule, RuleMeta


class WeakHash(AstRule):
    """
    ## What it does
    Reports MD5, SHA-1, MD4, MD2 and RIPEMD-160 hashes created with `hashlib` (including
    `hashlib.new("md5")` and `hashlib.file_digest(f, "sha1")`), pycryptodome (`Crypto.Hash.MD5.new()`)
    and `cryptography` (`hashes.SHA1()`). A call passing `usedforsecurity=False` is not reported:
    it states that the digest is a checksum or cache key, and it keeps working on FIPS systems.
    Hashing a password is reported by PWA202 instead.

    ## Why is this bad?
    Collisions for MD5 and SHA-1 can be computed cheaply, so a digest made with them cannot prove
    that data is authentic or unchanged: two different documents, certificates or packages can be
    made to share a digest. Signatures, integrity checks and content-addressed identifiers built on
    them can be forged.

    ## Example
    ```python
    import hashlib

    def signature(document: bytes) -> str:
        return hashlib.md5(document).hexdigest()
    ```

    ## Use instead
    ```python
    import hashlib

    def signature(document: bytes) -> str:
        return hashlib.sha256(document).hexdigest()

    def cache_key(url: str) -> str:
        return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    ```

    ## References
    - CWE-328: Use of Weak Hash
    - Python documentation, `hashlib` (the `usedforsecurity` parameter)
    """

    meta = RuleMeta(
        code="PWA201",
        name="weak-hash",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(328, 327),
        summary="Broken hash algorithm (MD5, SHA-1, MD4, MD2)",
        bandit=("B303", "B324"),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        call = hash_call(node, ctx)
        if call is None or call.algorithm not in WEAK or not call.used_for_security:
            return
        if call.data is not None and mentions_password(call.data):
            return  # PWA202 reports it, with the right advice
        algo = call.algorithm.upper().replace("_", "-")
        severity = Severity.HIGH if algo in ("MD4", "MD2") else None
        yield self.report(
            node,
            ctx,
            f"{algo} is a broken hash (`{call.api}`); use SHA-256 or better, or pass "
            "usedforsecurity=False if this is not a security use",
            severity=severity,
        )
