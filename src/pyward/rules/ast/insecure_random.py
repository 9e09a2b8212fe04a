"""PWA210: the ``random`` module used to make a security value (token, password, salt...)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import (
    imports_any,
    is_security_name,
    may_be_imported_call,
    receiver_call_name,
    terminal_name,
    words,
)
from pyward.rules.base import AstRule, RuleMeta

_FUNCS = frozenset(
    {
        "random", "randint", "randrange", "choice", "choices", "sample", "getrandbits", "randbytes",
        "uniform", "shuffle", "triangular", "rand", "bytes", "integers", "random_sample", "permutation",
    }
)  # fmt: skip
_MODULES = ("random.", "numpy.random.")
_CHECKERS = frozenset(
    {"check", "verify", "validate", "is", "has", "compare", "test", "hash", "store", "save", "set",
     "update", "send", "log", "print", "delete", "revoke", "expire", "parse", "decode", "mask", "count",
     "load", "read", "encrypt", "decrypt", "sign", "match", "clean", "strip", "format", "render"}
)  # fmt: skip
_SAFE_RECEIVERS = frozenset({"random.SystemRandom", "secrets.SystemRandom"})
#: Expression nodes a random value passes through unchanged in meaning (``"".join(...)``,
#: f-strings, ``str(...)``, ``x + y``, comprehensions...).
_CARRIERS = (
    ast.Call,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.BinOp,
    ast.GeneratorExp,
    ast.ListComp,
    ast.comprehension,
    ast.Attribute,
    ast.Subscript,
    ast.List,
    ast.Tuple,
    ast.IfExp,
    ast.Starred,
    ast.Await,
)


class InsecureRandom(AstRule):
    """
    ## What it does
    Reports a function of the `random` module (or `numpy.random`) whose result becomes a security
    value: it is assigned to, returned from, or passed as something named token, password, secret,
    key, salt, nonce, IV, session id, cookie, OTP or PIN, or a reset/verification/activation code
    or link. Uses for simulation, sampling, jitter or shuffling are not reported, and neither is
    `random.SystemRandom`.

    ## Why is this bad?
    `random` is a Mersenne Twister: after observing 624 outputs an attacker can reconstruct its
    state and predict every past and future value, and seeds derived from the time are guessable.
    Tokens, passwords or reset codes made with it can be predicted, which turns into account
    takeover.

    ## Example
    ```python
    import random
    import string

    def reset_token() -> str:
        return "".join(random.choice(string.ascii_letters) for _ in range(32))
    ```

    ## Use instead
    ```python
    import random
    import secrets

    def reset_token() -> str:
        return secrets.token_urlsafe(32)

    def retry_delay() -> float:
        return random.uniform(0.5, 1.5)
    ```

    ## References
    - CWE-338: Use of Cryptographically Weak Pseudo-Random Number Generator
    - Python documentation, `secrets` — Generate secure random numbers for managing secrets
    """

    meta = RuleMeta(
        code="PWA210",
        name="insecure-random",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(338, 330),
        summary="Non-cryptographic random number generator used for a security value",
        bandit=("B311",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _FUNCS

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        leaf = (
            func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        )
        if leaf is None:
            return
        if isinstance(func, ast.Attribute) and leaf not in _FUNCS:
            return
        if not imports_any(ctx, ("random", "numpy")) or not may_be_imported_call(ctx, node):
            return
        name = ctx.call_name(node)
        if name is None:
            receiver = receiver_call_name(ctx, node)
            if receiver not in ("random.Random", "numpy.random.default_rng", "numpy.random.RandomState"):
                return
            name = f"{receiver}().{leaf}"
        elif not name.startswith(_MODULES) or name.rsplit(".", 1)[-1] not in _FUNCS:
            return
        if any(name.startswith(r) for r in _SAFE_RECEIVERS):
            return
        use = _security_use(node, ctx)
        if use is not None:
            yield self.report(
                node,
                ctx,
                f"`{name}` is predictable and makes {use}; use `secrets` (token_urlsafe, token_hex, "
                "choice) or os.urandom",
            )


def _security_use(call: ast.Call, ctx: FileContext) -> str | None:
    """What security value the result of ``call`` becomes, judged from the names around it."""
    child: ast.AST = call
    parent = ctx.parent(call)
    for _ in range(12):
        if parent is None:
            return None
        if isinstance(parent, ast.keyword):
            if parent.arg and is_security_name(parent.arg):
                return f"`{parent.arg}=`"
            child, parent = parent, ctx.parent(parent)
            continue
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                for elt in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                    tname = terminal_name(elt)
                    if tname and is_security_name(tname):
                        return f"`{tname}`"
            if isinstance(parent, ast.NamedExpr):
                child, parent = parent, ctx.parent(parent)
                continue
            return _function_purpose(parent, ctx)
        if isinstance(parent, ast.Return):
            return _function_purpose(parent, ctx)
        if isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values, strict=True):
                if (
                    value is child
                    and isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and is_security_name(key.value)
                ):
                    return f"the value of {key.value!r}"
            child, parent = parent, ctx.parent(parent)
            continue
        if isinstance(parent, ast.Call) and child is not parent.func:
            callee = terminal_name(parent.func)
            if callee and is_security_name(callee):
                return f"an argument of `{callee}()`"
        if not isinstance(parent, _CARRIERS):
            return None
        child, parent = parent, ctx.parent(parent)
    return None


def _function_purpose(stmt: ast.AST, ctx: FileContext) -> str | None:
    """The enclosing function, when its name says it makes a security value."""
    scope = ctx.scope_of(stmt)
    if scope.kind != "function" or not is_security_name(scope.name):
        return None
    if words(scope.name)[0] in _CHECKERS:
        return None  # check_password(), verify_token(): consumes the value, does not make it
    return f"the result of `{scope.name}()`"
