"""PWA202: a password hashed with a fast, general-purpose hash instead of a password KDF."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._hashes import FAST, HASH_CALL_NAMES, HashCall, hash_call
from pyward.rules.ast._pwa2_util import imports_any, mentions_password
from pyward.rules.base import AstRule, RuleMeta


class PasswordFastHash(AstRule):
    """
    ## What it does
    Reports a password (a value whose name says password, passwd, pwd or passphrase) passed to a
    fast general-purpose hash: MD5, SHA-1, SHA-2, SHA-3 or BLAKE2 from `hashlib`, pycryptodome or
    `cryptography`, either as the constructor's argument or to `.update()` of a hash object made in
    the same function.

    ## Why is this bad?
    General-purpose hashes are designed to be fast: a single GPU computes billions of SHA-256
    digests per second, so a leaked table of such password hashes, salted or not, is cracked for
    most real passwords within hours. Password hashing needs a deliberately slow, memory-hard key
    derivation function with a per-user salt.

    ## Example
    ```python
    import hashlib

    def store(user, password: str) -> None:
        user.password_hash = hashlib.sha256(password.encode()).hexdigest()
    ```

    ## Use instead
    ```python
    import hashlib
    import os

    def store(user, password: str) -> None:
        salt = os.urandom(16)
        user.password_hash = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
        user.salt = salt
    ```

    ## References
    - CWE-916: Use of Password Hash With Insufficient Computational Effort
    - OWASP Password Storage Cheat Sheet (Argon2id, scrypt, bcrypt, PBKDF2)
    """

    meta = RuleMeta(
        code="PWA202",
        name="password-fast-hash",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(916, 328),
        summary="Password hashed with a fast hash instead of a key derivation function",
        bandit=("B303", "B324"),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = HASH_CALL_NAMES | {"update"}

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name):
            if not node.args:
                return
            made = _hash_object(func.value, ctx)
            if made is not None and made.algorithm in FAST:
                name = mentions_password(node.args[0])
                if name is not None:
                    yield self._finding(node, ctx, made, name)
            return
        call = hash_call(node, ctx)
        if call is None or call.data is None or call.algorithm not in FAST:
            return
        name = mentions_password(call.data)
        if name is not None:
            yield self._finding(node, ctx, call, name)

    def _finding(self, node: ast.Call, ctx: FileContext, call: HashCall, name: str) -> Finding:
        algo = call.algorithm.upper().replace("_", "-")
        return self.report(
            node,
            ctx,
            f"`{name}` hashed with {algo}, a fast hash; use a password KDF "
            "(argon2, bcrypt, hashlib.scrypt or pbkdf2_hmac with a salt)",
        )


_HASH_MODULES = ("hashlib", "_hashlib", "Crypto", "Cryptodome", "cryptography")
_CONFLICT = object()


def _hash_object(name: ast.Name, ctx: FileContext) -> HashCall | None:
    """The hash call assigned to ``name`` in the same scope (``h = hashlib.sha256()``), if unique."""
    if not imports_any(ctx, _HASH_MODULES):
        return None
    table: dict[tuple[int, str], object] | None = ctx.__dict__.get("_pwa202_hash_objects")
    if table is None:
        table = {}
        for stmt in ctx.semantic.nodes_by_type.get(ast.Assign, ()):
            assert isinstance(stmt, ast.Assign)
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                continue
            call = hash_call(stmt.value, ctx) if isinstance(stmt.value, ast.Call) else None
            key = (id(ctx.scope_of(stmt)), stmt.targets[0].id)
            previous = table.get(key)
            # Any other value bound to the same name makes the object unknown.
            table[key] = call if call is not None and (previous is None or previous == call) else _CONFLICT
        ctx.__dict__["_pwa202_hash_objects"] = table
    found = table.get((id(ctx.scope_of(name)), name.id))
    return found if isinstance(found, HashCall) else None
