"""PWA204: a block cipher in ECB mode."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.ast._pwa3_util import callee_leaf
from pyward.rules.base import AstRule, RuleMeta

_ECB_CLASSES = frozenset({"cryptography.hazmat.primitives.ciphers.modes.ECB"})


class EcbMode(AstRule):
    """
    ## What it does
    Reports block ciphers used in Electronic Codebook mode: `modes.ECB()` from `cryptography` and a
    `MODE_ECB` argument to a pycryptodome cipher's `new()` (`AES.new(key, AES.MODE_ECB)`), however
    the module was imported.

    ## Why is this bad?
    ECB encrypts equal plaintext blocks to equal ciphertext blocks, so the structure of the data
    shows through (the well-known encrypted penguin image), blocks can be reordered or replayed
    without detection, and an attacker who can have chosen data encrypted next to a secret can
    recover the secret one byte at a time.

    ## Example
    ```python
    from Crypto.Cipher import AES

    def seal(key: bytes, data: bytes) -> bytes:
        return AES.new(key, AES.MODE_ECB).encrypt(data)
    ```

    ## Use instead
    ```python
    from Crypto.Cipher import AES

    def seal(key: bytes, data: bytes) -> tuple[bytes, bytes, bytes]:
        cipher = AES.new(key, AES.MODE_GCM)
        ciphertext, tag = cipher.encrypt_and_digest(data)
        return cipher.nonce, ciphertext, tag
    ```

    ## References
    - CWE-327: Use of a Broken or Risky Cryptographic Algorithm
    """

    meta = RuleMeta(
        code="PWA204",
        name="ecb-mode",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(327,),
        summary="Block cipher in ECB mode",
        bandit=("B305",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"new", "ECB"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        leaf = callee_leaf(node)
        if leaf == "new":
            mode = ctx.argument(node, 1, "mode")
            if mode is None:
                return
            mode_name = ctx.qualname(mode) or ""
            if mode_name.endswith(".MODE_ECB") and mode_name.startswith(("Crypto.", "Cryptodome.")):
                yield self.report(
                    node, ctx, "Block cipher in ECB mode (`MODE_ECB`); use GCM, or CBC/CTR with a MAC"
                )
            return
        if (leaf != "ECB" and not isinstance(func, ast.Name)) or not may_be_imported_call(ctx, node):
            return
        name = ctx.call_name(node)
        if name in _ECB_CLASSES or (name or "").endswith("decrepit.ciphers.modes.ECB"):
            yield self.report(
                node, ctx, "Block cipher in ECB mode (`modes.ECB`); use GCM, or CBC/CTR with a MAC"
            )
