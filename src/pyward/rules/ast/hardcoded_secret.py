"""PWA240: a password, token, secret or API key written into the source."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa2_util import mask, terminal_name
from pyward.rules.ast._secrets import is_secret_name, known_format, looks_random, placeholder_reason
from pyward.rules.base import AstRule, RuleMeta

_MAX_SECRET = 4096


class HardcodedSecret(AstRule):
    """
    ## What it does
    Reports string literals given to something whose name says it holds a password, secret,
    token, API key or private key: assignments (`DB_PASSWORD = "..."`, `self.apiKey = "..."`,
    `config["client_secret"] = "..."`), keyword arguments (`connect(password="...")`), dictionary
    entries (`{"token": "..."}`), default argument values (`def login(password="...")`) and
    comparisons (`if password == "..."`), and credentials after the scheme in an `Authorization`
    header (`{"Authorization": "Bearer 9f8e..."}`). Names are matched in snake_case, camelCase and
    kebab-case, and names *about* a secret (`token_type`, `password_field`, `PASSWORD_MIN_LENGTH`)
    are not. Empty strings, placeholders (`"<your-key>"`, `"***"`, `"xxx"`, `"${TOKEN}"`,
    `"%(password)s"`), field or header names (`"NextToken"`, `"X-Api-Key"`), scheme names
    (`"Bearer"`), paths and prose are not reported; `"changeme"` is. Values read from the
    environment or configuration are not literals and so never reported. Literals in a known
    credential format are reported by PWA241 instead. Confidence is high for random-looking values.
    Test code, where made-up passwords are normal, can be left out with
    `[tool.pyward.per-path-ignores]` `"tests/**" = ["PWA240"]`.

    ## Why is this bad?
    Source code is copied to laptops, CI logs, backups, forks and package indexes, and stays in
    version-control history after the line is deleted. A secret in it is effectively published to
    everyone who can read the code, cannot be rotated without a release, and is usually the same in
    every environment.

    ## Example
    ```python
    import psycopg2

    conn = psycopg2.connect(host="db", user="app", password="s3cr3t-Pa55w0rd")
    ```

    ## Use instead
    ```python
    import os

    import psycopg2

    conn = psycopg2.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])
    ```

    ## References
    - CWE-798: Use of Hard-coded Credentials
    - CWE-259: Use of Hard-coded Password
    """

    meta = RuleMeta(
        code="PWA240",
        name="hardcoded-secret",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(798, 259, 321),
        summary="Hardcoded password, token, secret or key",
        bandit=("B105", "B106", "B107"),
    )
    #: Django and Flask secret keys are reported by the framework audits (with more context).
    superseded_by: ClassVar[tuple[str, ...]] = ("PWC509", "PWC531", "PWC601", "PWC602")

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        # One loop per node type over the semantic model's index, with a cheap literal test before
        # any name is looked at (most assignments, calls and comparisons hold no string literal).
        index = ctx.semantic.nodes_by_type
        literal_types = _LITERAL_TYPES  # ``_literal`` is None for any other node: no call
        for node in index.get(ast.Assign, ()):
            assert isinstance(node, ast.Assign)
            if node.value.__class__ not in literal_types or _literal(node.value) is None:
                continue
            for target in node.targets:
                for elt in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                    yield from self._check(elt, terminal_name(elt), node.value, ctx)
        for node in index.get(ast.AnnAssign, ()):
            assert isinstance(node, ast.AnnAssign)
            if node.value is not None and _literal(node.value) is not None:
                yield from self._check(node.target, terminal_name(node.target), node.value, ctx)
        for node in index.get(ast.keyword, ()):
            # keyword arguments of calls (a class statement's keywords are not values)
            assert isinstance(node, ast.keyword)
            if (
                node.arg is not None
                and node.value.__class__ in literal_types
                and _literal(node.value) is not None
                and isinstance(ctx.parent(node), ast.Call)
            ):
                yield from self._check(node.value, node.arg, node.value, ctx)
        for node in index.get(ast.Dict, ()):
            assert isinstance(node, ast.Dict)
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and value.__class__ in literal_types
                    and _literal(value) is not None
                ):
                    yield from self._check(value, key.value, value, ctx)
        for function_type in (ast.FunctionDef, ast.AsyncFunctionDef):
            for node in index.get(function_type, ()):
                assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                a = node.args
                if a.defaults:
                    positional = [*a.posonlyargs, *a.args]
                    for arg, default in zip(
                        positional[len(positional) - len(a.defaults) :], a.defaults, strict=True
                    ):
                        if _literal(default) is not None:
                            yield from self._check(default, arg.arg, default, ctx)
                for arg, kw_default in zip(a.kwonlyargs, a.kw_defaults, strict=True):
                    if kw_default is not None and _literal(kw_default) is not None:
                        yield from self._check(kw_default, arg.arg, kw_default, ctx)
        for node in index.get(ast.Compare, ()):
            assert isinstance(node, ast.Compare)
            if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
                continue
            left, right = node.left, node.comparators[0]
            if left.__class__ not in literal_types and right.__class__ not in literal_types:
                continue
            if _literal(left) is not None:
                left, right = right, left
            if _literal(right) is not None and _literal(left) is None:
                yield from self._check(node, terminal_name(left), right, ctx)

    def _check(
        self, where: ast.AST, name: str | None, value_node: ast.expr, ctx: FileContext
    ) -> Iterator[Finding]:
        if name is None:
            return
        kind = is_secret_name(name)
        if kind is None:
            if name.lower() in ("authorization", "proxy-authorization"):
                yield from self._authorization(where, name, value_node, ctx)
            return
        value = _literal(value_node)
        if value is None or len(value) > _MAX_SECRET:
            return
        if name.lower() == "pwd" and value.startswith(("/", ".", "~")):
            return  # the working directory, not a password
        if placeholder_reason(value, kind) is not None or known_format(value) is not None:
            return
        confidence = Confidence.HIGH if looks_random(value) else None
        yield self.report(
            where,
            ctx,
            f"Hardcoded {kind} in `{name}` ({mask(value)}); read it from the environment or a secret store",
            confidence=confidence,
            redact=(value,),
        )

    def _authorization(
        self, where: ast.AST, name: str, value_node: ast.expr, ctx: FileContext
    ) -> Iterator[Finding]:
        """``{"Authorization": "Bearer <token>"}``: a credential after the scheme name."""
        value = _literal(value_node)
        if value is None or len(value) > _MAX_SECRET:
            return
        scheme, _, credential = value.strip().partition(" ")
        credential = credential.strip()
        if not credential or len(credential) < 8 or " " in credential:
            return
        if placeholder_reason(credential, "token") is not None or known_format(value) is not None:
            return
        yield self.report(
            where,
            ctx,
            f"Hardcoded credential in the `{name}` header ({scheme} {mask(credential)}); "
            "read it from the environment or a secret store",
            confidence=Confidence.HIGH if looks_random(credential) else None,
            redact=(credential,),
        )


#: The node types :func:`_literal` can return a text for.
_LITERAL_TYPES = frozenset({ast.Constant, ast.JoinedStr})


def _literal(expr: ast.AST | None) -> str | None:
    """The text of a string (or bytes) literal, including an f-string without placeholders."""
    if isinstance(expr, ast.Constant):
        if isinstance(expr.value, str):
            return expr.value
        if isinstance(expr.value, bytes):
            return expr.value.decode("latin-1")
        return None
    if isinstance(expr, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in expr.values):
        return "".join(str(v.value) for v in expr.values if isinstance(v, ast.Constant))
    return None
