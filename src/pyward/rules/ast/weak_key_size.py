"""PWA206: RSA/DSA keys shorter than 2048 bits, elliptic curves under 224 bits."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import may_be_imported_call
from pyward.rules.ast._pwa3_util import callee_leaf
from pyward.rules.base import AstRule, RuleMeta

_HAZMAT = "cryptography.hazmat.primitives.asymmetric."
#: callee -> (algorithm, position, keyword) of the key size argument.
_SIZED = {
    _HAZMAT + "rsa.generate_private_key": ("RSA", 1, "key_size"),
    _HAZMAT + "dsa.generate_private_key": ("DSA", 0, "key_size"),
    _HAZMAT + "dsa.generate_parameters": ("DSA", 0, "key_size"),
    _HAZMAT + "dh.generate_parameters": ("DH", 1, "key_size"),
    "Crypto.PublicKey.RSA.generate": ("RSA", 0, "bits"),
    "Cryptodome.PublicKey.RSA.generate": ("RSA", 0, "bits"),
    "Crypto.PublicKey.DSA.generate": ("DSA", 0, "bits"),
    "Cryptodome.PublicKey.DSA.generate": ("DSA", 0, "bits"),
    "rsa.newkeys": ("RSA", 0, "nbits"),
    "paramiko.RSAKey.generate": ("RSA", 0, "bits"),
    "paramiko.rsakey.RSAKey.generate": ("RSA", 0, "bits"),
    "paramiko.DSSKey.generate": ("DSA", 0, "bits"),
}
_SMALL_CURVES = frozenset({"SECP192R1", "SECT163K1", "SECT163R2", "SECP160R1", "SECP112R1"})
_SMALL_CURVE_NAMES = frozenset({"p192", "p-192", "nist p-192", "prime192v1", "secp192r1", "secp160r1"})
_ECC_GENERATE = frozenset({"Crypto.PublicKey.ECC.generate", "Cryptodome.PublicKey.ECC.generate"})
_EC_GENERATE = _HAZMAT + "ec.generate_private_key"


class WeakKeySize(AstRule):
    """
    ## What it does
    Reports key generation with too small a key: RSA, DSA and Diffie-Hellman below 2048 bits and
    elliptic curves below 224 bits (`SECP192R1`, `SECT163K1`, `P-192`...), with `cryptography`,
    pycryptodome, the `rsa` package and paramiko. The size is folded through module-level
    constants; a size computed at run time is not reported.

    ## Why is this bad?
    1024-bit RSA and DSA keys are within reach of well-funded attackers and are disallowed by
    current standards; curves below 224 bits give less than 112 bits of security. Anything
    signed or encrypted with such a key can be forged or read by someone able to factor the
    modulus or solve the discrete logarithm.

    ## Example
    ```python
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ```

    ## Use instead
    ```python
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ```

    ## References
    - CWE-326: Inadequate Encryption Strength
    - NIST SP 800-57 Part 1, Table 2 (comparable strengths)
    """

    meta = RuleMeta(
        code="PWA206",
        name="weak-key-size",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(326,),
        summary="RSA/DSA/DH key under 2048 bits or elliptic curve under 224 bits",
        bandit=("B505",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {"generate_private_key", "generate_parameters", "generate", "newkeys"}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        leaf = callee_leaf(node)
        if isinstance(func, ast.Attribute) and leaf not in (
            "generate_private_key", "generate_parameters", "generate", "newkeys",
        ):  # fmt: skip
            return
        if not may_be_imported_call(ctx, node):
            return
        name = ctx.call_name(node)
        if name is None:
            return
        sized = _SIZED.get(name)
        if sized is not None:
            algo, pos, kw = sized
            bits = ctx.const_value(ctx.argument(node, pos, kw))
            if isinstance(bits, int) and not isinstance(bits, bool) and 0 < bits < 2048:
                yield self.report(
                    node, ctx, f"{algo} key of {bits} bits; use at least 2048 (3072 for use past 2030)"
                )
            return
        if name == _EC_GENERATE:
            curve = ctx.argument(node, 0, "curve")
            if isinstance(curve, ast.Call):
                curve = curve.func
            curve_name = ctx.qualname(curve) if curve is not None else None
            if curve_name and curve_name.rsplit(".", 1)[-1] in _SMALL_CURVES:
                yield self.report(
                    node,
                    ctx,
                    f"Elliptic curve {curve_name.rsplit('.', 1)[-1]} is under 224 bits; use SECP256R1 or better",
                )
            return
        if name in _ECC_GENERATE:
            value = ctx.const_value(ctx.keyword(node, "curve"))
            if isinstance(value, str) and value.lower() in _SMALL_CURVE_NAMES:
                yield self.report(node, ctx, f"Elliptic curve {value} is under 224 bits; use P-256 or better")
