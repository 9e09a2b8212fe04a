"""PWA201: a broken hash algorithm (MD5, SHA-1, MD4, MD2) used where security may depend on it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._hashes import HASH_CALL_NAMES, WEAK, hash_call
from pyward.rules.ast._pwa2_util import mentions_password, terminal_name, words
from pyward.rules.base import AstRule, RuleMeta


class WeakHash(AstRule):
    """
    ## What it does
    Reports MD5, SHA-1, MD4, MD2 and RIPEMD-160 hashes created with `hashlib` (including
    `hashlib.new("md5")` and `hashlib.file_digest(f, "sha1")`), pycryptodome (`Crypto.Hash.MD5.new()`)
    and `cryptography` (`hashes.SHA1()`). A call passing `usedforsecurity=False` is not reported:
    it states that the digest is a checksum or cache key, and it keeps working on FIPS systems.
    Hashing a password is reported by PWA202 instead. A hash passed by reference, as in
    `hmac.new(key, msg, hashlib.md5)`, is not reported: HMAC does not rely on collision resistance.
    When the digest plainly names a non-security purpose (it is assigned to or returned from
    something called etag, checksum, cache key, fingerprint, uuid...), the finding has low
    confidence.

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
    call_names: ClassVar[frozenset[str] | None] = HASH_CALL_NAMES

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        call = hash_call(node, ctx)
        if call is None or call.algorithm not in WEAK or not call.used_for_security:
            return
        if call.data is not None and mentions_password(call.data):
            return  # PWA202 reports it, with the right advice
        parent = ctx.parent(node)
        if isinstance(parent, ast.Attribute) and parent.attr in ("digest_size", "block_size", "name"):
            return  # ``sha1().digest_size``: a property of the algorithm, nothing is hashed
        algo = call.algorithm.upper().replace("_", "-")
        severity = Severity.HIGH if algo in ("MD4", "MD2") else None
        purpose = _non_security_purpose(node, ctx)
        message = (
            f"{algo} is a broken hash (`{call.api}`); use SHA-256 or better, or pass "
            "usedforsecurity=False if this is not a security use"
        )
        if purpose is not None:
            message += f" (it looks like {purpose})"
        yield self.report(
            node, ctx, message, severity=severity, confidence=Confidence.LOW if purpose else None
        )


_NON_SECURITY_WORDS = frozenset(
    {"etag", "checksum", "cache", "cachekey", "fingerprint", "uuid", "dedup", "dedupe", "bucket",
     "shard", "partition", "color", "colour", "filename", "slug", "memo", "memoize"}
)  # fmt: skip


def _non_security_purpose(call: ast.Call, ctx: FileContext) -> str | None:
    """A non-security name the digest is given: its assignment target or enclosing function."""
    names: list[str] = []
    parent = ctx.parent(call)
    for _ in range(6):
        if parent is None:
            break
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            names.extend(t for t in (terminal_name(x) for x in targets) if t)
            break
        if isinstance(parent, ast.Return):
            break
        if not isinstance(parent, (ast.Call, ast.Attribute, ast.Subscript, ast.BinOp, ast.JoinedStr,
                                   ast.FormattedValue)):  # fmt: skip
            break
        parent = ctx.parent(parent)
    scope = ctx.scope_of(call)
    if scope.kind == "function":
        names.append(scope.name)
    for name in names:
        ws = words(name)
        if any(w in _NON_SECURITY_WORDS for w in ws) or "".join(ws) in _NON_SECURITY_WORDS:
            return f"a non-security digest (`{name}`)"
    return None
