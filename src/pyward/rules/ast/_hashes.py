"""Which calls compute a plain (fast, unkeyed) hash, shared by PWA201 and PWA202."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.rules.ast._pwa2_util import may_be_imported_call

WEAK = frozenset({"md5", "sha1", "md4", "md2", "sha", "sha-1", "md5-sha1", "ripemd160"})
FAST = frozenset(
    {
        "sha224", "sha256", "sha384", "sha512", "sha512_224", "sha512_256", "sha3_224", "sha3_256",
        "sha3_384", "sha3_512", "blake2b", "blake2s", "shake_128", "shake_256", "sm3", "sha-256",
        "sha-512", "sha2", "keccak", "sha3", "sha3-256", "sha3-512",
    }
) | WEAK  # fmt: skip

_PYCRYPTO_MODULES = {
    "MD5": "md5", "SHA1": "sha1", "SHA": "sha1", "MD4": "md4", "MD2": "md2", "RIPEMD160": "ripemd160",
    "RIPEMD": "ripemd160", "SHA224": "sha224", "SHA256": "sha256", "SHA384": "sha384", "SHA512": "sha512",
    "SHA3_224": "sha3_224", "SHA3_256": "sha3_256", "SHA3_384": "sha3_384", "SHA3_512": "sha3_512",
    "BLAKE2b": "blake2b", "BLAKE2s": "blake2s", "keccak": "keccak",
}  # fmt: skip
_CRYPTOGRAPHY = {
    "MD5": "md5", "SHA1": "sha1", "SM3": "sm3", "SHA224": "sha224", "SHA256": "sha256", "SHA384": "sha384",
    "SHA512": "sha512", "SHA3_256": "sha3_256", "SHA3_512": "sha3_512", "BLAKE2b": "blake2b",
    "BLAKE2s": "blake2s",
}  # fmt: skip


#: Every last segment of a callee :func:`hash_call` can recognise (for ``AstRule.call_names``):
#: hashlib constructors, ``new``/``file_digest``, the ``_hashlib.openssl_*`` functions and the
#: ``cryptography`` hash classes.
HASH_CALL_NAMES = frozenset(
    {*FAST, "new", "file_digest", *_CRYPTOGRAPHY, *(f"openssl_{n}" for n in (*FAST, "new", "file_digest"))}
)


@dataclass(frozen=True)
class HashCall:
    """A call constructing a hash: which algorithm, which library, the data argument if any."""

    algorithm: str
    api: str
    data: ast.expr | None
    used_for_security: bool


def hash_call(node: ast.Call, ctx: FileContext) -> HashCall | None:
    """Describe ``node`` if it computes a plain hash (hashlib, pycryptodome, cryptography)."""
    func = node.func
    if isinstance(func, ast.Attribute):
        leaf = func.attr
        if leaf not in ("new", "file_digest") and leaf.lower() not in FAST:
            return None  # cheap shape check before resolving names
    elif not isinstance(func, ast.Name):
        return None
    if not may_be_imported_call(ctx, node):
        return None
    name = ctx.call_name(node)
    if name is None:
        return None
    usedforsecurity = ctx.keyword(node, "usedforsecurity")
    secure = not (usedforsecurity is not None and ctx.const_value(usedforsecurity) is False)
    if name.startswith("_hashlib.openssl_"):
        name = "hashlib." + name[len("_hashlib.openssl_") :]
    if name.startswith("hashlib."):
        algo = name[len("hashlib.") :]
        if algo == "new":
            value = ctx.const_value(ctx.argument(node, 0, "name"))
            if value is NOT_CONSTANT or not isinstance(value, str):
                return None
            return HashCall(value.lower(), name, ctx.argument(node, 1, "data"), secure)
        if algo == "file_digest":
            value = ctx.const_value(ctx.argument(node, 1, "digest"))
            if not isinstance(value, str):
                return None
            return HashCall(value.lower(), name, None, secure)
        if algo in FAST:
            return HashCall(algo, name, ctx.argument(node, 0, "string") or ctx.keyword(node, "data"), secure)
        return None
    for prefix in ("Crypto.Hash.", "Cryptodome.Hash."):
        if name.startswith(prefix) and name.endswith(".new"):
            module = name[len(prefix) : -len(".new")]
            pyc = _PYCRYPTO_MODULES.get(module)
            if pyc is not None:
                return HashCall(pyc, name, ctx.argument(node, 0, "data"), True)
            return None
    prefix = "cryptography.hazmat.primitives.hashes."
    if name.startswith(prefix):
        hazmat = _CRYPTOGRAPHY.get(name[len(prefix) :])
        if hazmat is not None:
            return HashCall(hazmat, name, None, True)
    return None
