"""PWA350: JSON Web Tokens decoded without checking the signature."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const, is_false
from pyward.rules.base import AstRule, RuleMeta

_DECODE = frozenset(
    {"jwt.decode", "jwt.decode_complete", "jwt.api_jwt.decode", "jose.jwt.decode", "jwt.api_jws.decode"}
)
_ENCODE = frozenset({"jwt.encode", "jose.jwt.encode", "jwt.api_jwt.encode"})


class JwtVerificationDisabled(AstRule):
    """
    ## What it does
    Reports PyJWT and python-jose calls that accept unsigned or unverified tokens:
    `jwt.decode(..., options={"verify_signature": False})`, the PyJWT 1.x form `verify=False`,
    an `algorithms` list that contains `"none"`, and `jwt.encode(..., algorithm="none")`. The
    options and algorithm lists are read through module constants. `jwt.get_unverified_header`
    (used to pick a key by `kid` before verifying) is not reported.

    ## Why is this bad?
    Without signature verification a token is just base64: anyone can write
    `{"sub": "admin"}` into one and the application will believe it. Accepting the `none`
    algorithm has the same effect — the attacker strips the signature and sets `alg` to `none`.

    ## Example
    ```python
    import jwt

    def current_user(token):
        claims = jwt.decode(token, options={"verify_signature": False})
        return claims["sub"]
    ```

    ## Use instead
    ```python
    import jwt

    def current_user(token, public_key):
        claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="api")
        return claims["sub"]
    ```

    ## References
    - CWE-347: Improper Verification of Cryptographic Signature
    - PyJWT documentation, `jwt.decode` options
    """

    meta = RuleMeta(
        code="PWA350",
        name="jwt-verification-disabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(347,),
        summary="JWT accepted without signature verification or with the none algorithm",
        bandit=(),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        n.rpartition(".")[2] for n in (*_ENCODE, *_DECODE)
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        last = callee_leaf(node)
        if not last.startswith(("decode", "encode")) and "jwt" not in last.lower():
            return
        name = ctx.call_name(node)
        if name in _ENCODE:
            if _is_none_alg(const(ctx, ctx.argument(node, 2, "algorithm"))):
                yield self.report(node, ctx, '`algorithm="none"` issues unsigned tokens')
            return
        if name not in _DECODE:
            return
        options = ctx.keyword(node, "options")
        if options is not None:
            if isinstance(options, ast.Dict):
                for key, value in zip(options.keys, options.values, strict=True):
                    if key is not None and const(ctx, key) == "verify_signature" and is_false(ctx, value):
                        yield self.report(node, ctx, "`verify_signature: False` accepts forged tokens")
                        return
            else:
                folded = const(ctx, options)
                if isinstance(folded, dict) and folded.get("verify_signature", True) is False:
                    yield self.report(node, ctx, "`verify_signature: False` accepts forged tokens")
                    return
        verify = ctx.keyword(node, "verify")
        if verify is not None and is_false(ctx, verify):
            yield self.report(node, ctx, "`verify=False` accepts forged tokens")
            return
        algorithms = const(ctx, ctx.argument(node, 2, "algorithms"))
        if algorithms is not NOT_CONSTANT:
            items = [algorithms] if isinstance(algorithms, str) else algorithms
            if isinstance(items, (list, tuple, set, frozenset)) and any(_is_none_alg(a) for a in items):
                yield self.report(node, ctx, '`algorithms` includes "none": unsigned tokens are accepted')


def _is_none_alg(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() == "none"
