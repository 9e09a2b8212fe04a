"""PWA205: a constant IV or nonce passed to a cipher."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.ast._pwa3_util import callee_leaf
from pyward.rules.base import AstRule, RuleMeta

_MODES = "cryptography.hazmat.primitives.ciphers.modes."
#: cryptography mode classes and the parameter holding their IV/nonce (position 0).
_MODE_PARAMS = {"CBC": "initialization_vector", "CFB": "initialization_vector", "CFB8": "initialization_vector",
                "OFB": "initialization_vector", "CTR": "nonce", "GCM": "initialization_vector"}  # fmt: skip
_AEAD = "cryptography.hazmat.primitives.ciphers.aead."
_AEAD_CLASSES = frozenset({"AESGCM", "AESCCM", "ChaCha20Poly1305", "AESOCB3", "AESSIV", "AESGCMSIV"})


def constant_bytes(ctx: FileContext, expr: ast.expr) -> str | None:
    """A description of ``expr`` when it is a fixed IV/nonce (a literal, ``bytes(16)``, ``b"\\0" * 16``)."""
    value = ctx.const_value(expr)
    if isinstance(value, (bytes, str)) and value:
        return "a constant"
    if value is not NOT_CONSTANT:
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
        left, right = ctx.const_value(expr.left), ctx.const_value(expr.right)
        if (isinstance(left, (bytes, str)) and isinstance(right, int)) or (
            isinstance(right, (bytes, str)) and isinstance(left, int)
        ):
            return "a constant"
    if not isinstance(expr, ast.Call) or len(expr.args) != 1 or expr.keywords:
        return None
    arg = ctx.const_value(expr.args[0])
    if (
        isinstance(expr.func, ast.Name)
        and isinstance(arg, int)
        and ctx.call_name(expr) in ("builtins.bytes", "builtins.bytearray")
    ):
        return "all zero bytes"
    if isinstance(expr.func, ast.Attribute) and expr.func.attr == "fromhex" and isinstance(arg, str):
        return "a constant"
    return None


class StaticIv(AstRule):
    """
    ## What it does
    Reports an initialization vector or nonce that is the same on every call: a literal, a
    module-level constant, `bytes(16)` or `b"\\0" * 16`, passed to a `cryptography` mode
    (`modes.CBC(iv)`, `modes.CTR(nonce)`, `modes.GCM(iv)`...), to an AEAD's `encrypt()`
    (`AESGCM(key).encrypt(nonce, ...)`), or as `iv=`/`nonce=` (or the third positional argument)
    to a pycryptodome cipher's `new()`.

    ## Why is this bad?
    A fixed IV makes CBC deterministic, so equal messages (or equal prefixes) are recognisable. For
    CTR, GCM and ChaCha20 it is far worse: reusing a nonce with the same key reuses the keystream,
    which reveals the XOR of the plaintexts, and for GCM lets an attacker forge messages.

    ## Example
    ```python
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    IV = b"0123456789abcdef"

    def encryptor(key: bytes):
        return Cipher(algorithms.AES(key), modes.CBC(IV)).encryptor()
    ```

    ## Use instead
    ```python
    import os

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    def encryptor(key: bytes):
        iv = os.urandom(16)
        return iv, Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ```

    ## References
    - CWE-329: Generation of Predictable IV with CBC Mode
    - CWE-323: Reusing a Nonce, Key Pair in Encryption
    """

    meta = RuleMeta(
        code="PWA205",
        name="static-iv",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(329, 323, 1204),
        summary="Constant IV or nonce passed to a cipher",
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"new", "encrypt", *_MODE_PARAMS})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        leaf = callee_leaf(node)
        if not (node.args or node.keywords):
            return
        if leaf == "new":
            name = ctx.call_name(node) or ""
            if not name.startswith(("Crypto.Cipher.", "Cryptodome.Cipher.")):
                return
            for kw in ("iv", "nonce", "IV"):
                arg = ctx.keyword(node, kw)
                if arg is not None:
                    yield from self._judge(node, ctx, arg, kw)
                    return
            if len(node.args) >= 3:
                yield from self._judge(node, ctx, node.args[2], "iv")
            return
        if leaf == "encrypt" and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
            owner = ctx.call_name(func.value) or ""
            if owner.startswith(_AEAD) and owner[len(_AEAD) :] in _AEAD_CLASSES:
                nonce = ctx.argument(node, 0, "nonce")
                if nonce is not None:
                    yield from self._judge(node, ctx, nonce, "nonce")
            return
        if (leaf in _MODE_PARAMS or isinstance(func, ast.Name)) and may_be_imported_call(ctx, node):
            name = ctx.call_name(node) or ""
            if name.startswith(_MODES) and name[len(_MODES) :] in _MODE_PARAMS:
                param = _MODE_PARAMS[name[len(_MODES) :]]
                iv = ctx.argument(node, 0, param)
                if iv is not None:
                    yield from self._judge(node, ctx, iv, "nonce" if param == "nonce" else "IV")

    def _judge(self, node: ast.Call, ctx: FileContext, expr: ast.expr, what: str) -> Iterator[Finding]:
        how = constant_bytes(ctx, expr)
        if how is not None:
            yield self.report(
                node, ctx, f"The {what} is {how}; generate a fresh random {what} for every message"
            )
