"""PWA203: a broken or obsolete block or stream cipher (DES, 3DES, RC4, RC2, Blowfish, IDEA...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.base import AstRule, RuleMeta

_PYCRYPTODOME = {"DES": "DES", "DES3": "3DES", "ARC4": "RC4", "ARC2": "RC2", "Blowfish": "Blowfish",
                 "CAST": "CAST5", "XOR": "XOR"}  # fmt: skip
_CRYPTOGRAPHY = {"TripleDES": "3DES", "ARC4": "RC4", "Blowfish": "Blowfish", "IDEA": "IDEA", "CAST5": "CAST5",
                 "SEED": "SEED", "RC4": "RC4"}  # fmt: skip
_LEAVES = frozenset({"new", *_CRYPTOGRAPHY, "des", "triple_des"})


def weak_cipher_name(name: str) -> str | None:
    """The weak cipher a qualified callee creates, else None."""
    for prefix in ("Crypto.Cipher.", "Cryptodome.Cipher."):
        if name.startswith(prefix) and name.endswith(".new"):
            return _PYCRYPTODOME.get(name[len(prefix) : -len(".new")])
    for prefix in (
        "cryptography.hazmat.primitives.ciphers.algorithms.",
        "cryptography.hazmat.decrepit.ciphers.algorithms.",
    ):
        if name.startswith(prefix):
            return _CRYPTOGRAPHY.get(name[len(prefix) :])
    if name in ("pyDes.des", "pyDes.triple_des"):
        return "DES" if name.endswith(".des") else "3DES"
    return None


class WeakCipher(AstRule):
    """
    ## What it does
    Reports ciphers that are broken or obsolete: DES, Triple DES, RC4, RC2, Blowfish, IDEA,
    CAST5, SEED and XOR, created with pycryptodome (`Crypto.Cipher.DES.new`, also as
    `Cryptodome`), `cryptography` (`algorithms.TripleDES`, `algorithms.ARC4`, including the
    `decrepit` module they moved to) or pyDes.

    ## Why is this bad?
    DES keys are brute-forced in hours; RC4's keystream is biased enough to recover plaintext; the
    64-bit blocks of 3DES, Blowfish, IDEA and CAST5 repeat after about 32 GB under one key (the
    Sweet32 attack). Data encrypted with them should be considered readable by a determined
    attacker, and current standards no longer permit them.

    ## Example
    ```python
    from Crypto.Cipher import DES

    def seal(key: bytes, data: bytes) -> bytes:
        return DES.new(key, DES.MODE_CBC).encrypt(data)
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def seal(key: bytes, nonce: bytes, data: bytes) -> bytes:
        return AESGCM(key).encrypt(nonce, data, None)
    ```

    ## References
    - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
    - NIST SP 800-131A Rev. 2 (Triple DES disallowed for encryption after 2023)
    """

    meta = RuleMeta(
        code="PWA203",
        name="weak-cipher",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(327,),
        summary="Broken or obsolete cipher (DES, 3DES, RC4, Blowfish, IDEA...)",
        bandit=("B304",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LEAVES

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr not in _LEAVES:
            return
        if not may_be_imported_call(ctx, node):
            return
        name = ctx.call_name(node)
        if name is None:
            return
        cipher = weak_cipher_name(name)
        if cipher is not None:
            yield self.report(
                node,
                ctx,
                f"{cipher} is a broken or obsolete cipher (`{name}`); use AES-GCM or ChaCha20-Poly1305",
            )
