"""PWA207: CBC-mode encryption in a module that never authenticates the ciphertext."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.ast._pwa3_util import callee_leaf
from pyward.rules.base import AstRule, RuleMeta

_CBC = frozenset({"cryptography.hazmat.primitives.ciphers.modes.CBC"})
_MAC_MODULES = (
    "hmac",
    "cryptography.hazmat.primitives.hmac",
    "cryptography.hazmat.primitives.cmac",
    "cryptography.hazmat.primitives.poly1305",
    "Crypto.Hash.HMAC",
    "Crypto.Hash.CMAC",
    "Crypto.Hash.Poly1305",
    "Cryptodome.Hash.HMAC",
    "Cryptodome.Hash.CMAC",
    "Cryptodome.Hash.Poly1305",
    "nacl",
)


def _module_has_mac(ctx: FileContext) -> bool:
    cached: bool | None = ctx.__dict__.get("_pwa207_mac")
    if cached is None:
        names = ctx.semantic.imported_modules()
        cached = any(n == m or n.startswith(m + ".") for n in names for m in _MAC_MODULES) or any(
            n.rsplit(".", 1)[-1] in ("HMAC", "CMAC", "Poly1305", "compare_digest") for n in names
        )
        ctx.__dict__["_pwa207_mac"] = cached
    return cached


class CbcWithoutMac(AstRule):
    """
    ## What it does
    Reports CBC-mode encryption (`modes.CBC(iv)` from `cryptography`, `MODE_CBC` with a
    pycryptodome cipher) in a module that imports nothing to authenticate the ciphertext: no
    `hmac`, no `HMAC`/`CMAC`/`Poly1305` from `cryptography` or pycryptodome. The check is limited
    to what is visible in the module, so confidence is low; a MAC computed in another module is
    not seen.

    ## Why is this bad?
    CBC provides confidentiality only. Without a MAC checked before decryption, an attacker can
    flip bits of the plaintext by editing the ciphertext, and a server that reveals whether the
    padding was valid (an error message, a status code, a timing difference) is a padding oracle
    that decrypts any message block by block.

    ## Example
    ```python
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    def decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        return decryptor.update(data) + decryptor.finalize()
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def decrypt(key: bytes, nonce: bytes, data: bytes) -> bytes:
        return AESGCM(key).decrypt(nonce, data, None)
    ```

    ## References
    - CWE-353: Missing Support for Integrity Check
    - Vaudenay, "Security Flaws Induced by CBC Padding" (2002)
    """

    meta = RuleMeta(
        code="PWA207",
        name="cbc-without-mac",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        cwe=(353, 327),
        summary="CBC encryption with no message authentication in the module",
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"new", "CBC"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        leaf = callee_leaf(node)
        if leaf == "new":
            mode = ctx.argument(node, 1, "mode")
            if mode is None or not isinstance(mode, (ast.Attribute, ast.Name)):
                return
            mode_name = ctx.qualname(mode) or ""
            if not (mode_name.endswith(".MODE_CBC") and mode_name.startswith(("Crypto.", "Cryptodome."))):
                return
        elif leaf == "CBC" or isinstance(func, ast.Name):
            if not may_be_imported_call(ctx, node) or ctx.call_name(node) not in _CBC:
                return
        else:
            return
        if not _module_has_mac(ctx):
            yield self.report(
                node,
                ctx,
                "CBC encryption and no MAC in this module; use AES-GCM or ChaCha20-Poly1305, "
                "or encrypt-then-MAC and verify before decrypting",
            )
