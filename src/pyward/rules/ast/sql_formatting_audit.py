"""PWA320: SQL text built by string formatting and passed to an execute-like call (audit)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import (
    const,
    enclosing_function,
    is_constant_text,
    literal_prefix,
    local_values,
    loop_over_constants,
    string_parts,
)
from pyward.rules.base import AstRule, RuleMeta

_EXECUTE_METHODS = frozenset(
    {
        "execute",
        "executemany",
        "executescript",
        "mogrify",
        "raw",
        "exec_driver_sql",
        "read_sql",
        "read_sql_query",
    }
)
_EXECUTE_FUNCS = frozenset(
    {
        "sqlalchemy.text",
        "sqlalchemy.sql.text",
        "sqlalchemy.sql.expression.text",
        "pandas.read_sql",
        "pandas.read_sql_query",
        "django.db.models.expressions.RawSQL",
        "django.db.models.RawSQL",
    }
)
_SQL_START = re.compile(
    r"^\s*\(?\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE|MERGE|UPSERT|CREATE|DROP|ALTER|TRUNCATE|"
    r"PRAGMA|GRANT|REVOKE|CALL|EXEC|EXECUTE|SET|SHOW|DESCRIBE|VALUES|COPY|VACUUM|ANALYZE)\b",
    re.I,
)
_SQL_BODY = re.compile(
    r"\b(FROM|WHERE|INTO|VALUES|SET|ORDER\s+BY|GROUP\s+BY|JOIN|LIMIT|TABLE|AND|OR)\b", re.I
)
#: Calls whose result is safe to paste into SQL text (numbers, quoted identifiers).
_SAFE_CALLS = frozenset({"builtins.int", "builtins.float", "builtins.len", "builtins.bool"})
_SAFE_METHODS = frozenset({"quote_name", "quote_ident", "quote_identifier", "quote_sql_identifier"})


class SqlFormattingAudit(AstRule):
    """
    ## What it does
    Reports SQL text built with an f-string, `%`, `+` or `str.format` and passed straight (or
    through a local variable) to an execute-like call: `cursor.execute`/`executemany`/
    `executescript`, `Model.objects.raw`, SQLAlchemy `text()` and `exec_driver_sql`,
    `pandas.read_sql`, Django `RawSQL`. Only when a formatted-in part is not known to be harmless:
    constants, numbers from `int()`/`float()`/`len()`, identifiers passed through `quote_name`,
    placeholder lists such as `", ".join("?" for _ in ids)`, values looked up in a constant
    mapping, and names checked against a constant allow-list (`if table not in TABLES: raise`, or
    inside `if table in TABLES:`) are not reported. Strings that are never executed — log
    messages, exceptions — are never reported, whatever SQL words they contain. Low confidence:
    pyward does not know where the value comes from; PWT101 reports the cases it can trace.

    ## Why is this bad?
    A value pasted into SQL text is parsed as SQL. A quote in it ends the literal and the rest
    becomes part of the statement, so whoever controls the value can read or change any data the
    connection can reach.

    ## Example
    ```python
    def find_user(cursor, name):
        cursor.execute(f"SELECT id, email FROM users WHERE name = '{name}'")
        return cursor.fetchone()
    ```

    ## Use instead
    ```python
    def find_user(cursor, name):
        cursor.execute("SELECT id, email FROM users WHERE name = %s", (name,))
        return cursor.fetchone()
    ```

    ## References
    - CWE-89: Improper Neutralization of Special Elements used in an SQL Command
    - PEP 249 (DB-API 2.0), `paramstyle`
    """

    meta = RuleMeta(
        code="PWA320",
        name="sql-string-formatting",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        cwe=(89,),
        summary="SQL text built by string formatting passed to an execute-like call (audit)",
        bandit=("B608",),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {*_EXECUTE_METHODS, "text", "RawSQL", *(n.rpartition(".")[2] for n in _EXECUTE_FUNCS)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _EXECUTE_METHODS and func.attr not in ("text", "RawSQL"):
                return
            if func.attr in ("text", "RawSQL") and ctx.call_name(node) not in _EXECUTE_FUNCS:
                return
        elif isinstance(func, ast.Name):
            if ctx.call_name(node) not in _EXECUTE_FUNCS:
                return
        else:
            return
        sql = ctx.argument(node, 0, None)
        if sql is None:
            for key in ("sql", "query", "operation", "statement", "raw_query", "text"):
                sql = ctx.keyword(node, key)
                if sql is not None:
                    break
        if sql is None:
            return
        unsafe = _unsafe_part(ctx, sql)
        if unsafe is None:
            return
        yield self.report(
            node,
            ctx,
            f"SQL text built by formatting `{_short(unsafe)}` into it; pass the value as a query "
            "parameter (or check it against an allow-list)",
        )


def _short(expr: ast.expr) -> str:
    text = ast.unparse(expr)
    return text if len(text) <= 40 else text[:37] + "..."


def _unsafe_part(ctx: FileContext, sql: ast.expr) -> ast.expr | None:
    """The first formatted-in part not known to be harmless, when ``sql`` is formatted SQL."""
    candidates: list[ast.expr] = [sql]
    if isinstance(sql, ast.Name):
        values = local_values(ctx, sql)
        candidates = values or []
    for cand in candidates:
        parts = string_parts(cand)
        if parts is None or not _looks_like_sql(cand):
            continue
        for part in parts:
            if not _safe_part(ctx, part, sql):
                return part
    return None


def _looks_like_sql(expr: ast.expr) -> bool:
    prefix = literal_prefix(expr)
    if _SQL_START.match(prefix):
        return True
    literal = " ".join(
        n.value for n in ast.walk(expr) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )
    return bool(_SQL_START.match(literal)) and bool(_SQL_BODY.search(literal))


def _safe_part(ctx: FileContext, part: ast.expr, use: ast.AST, depth: int = 0) -> bool:
    if is_constant_text(ctx, part) or isinstance(const(ctx, part), (int, float, bool)):
        return True
    if isinstance(part, ast.Call):
        name = ctx.call_name(part)
        if name in _SAFE_CALLS:
            return True
        f = part.func
        if isinstance(f, ast.Attribute) and f.attr in _SAFE_METHODS:
            return True
        if isinstance(f, ast.Attribute) and f.attr == "join" and part.args:
            arg = part.args[0]
            if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
                return _safe_part(ctx, arg.elt, use, depth + 1)
            if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mult):
                return is_constant_container(ctx, arg.left) or is_constant_container(ctx, arg.right)
            return is_constant_container(ctx, arg)
        # TABLES.get(key, "default")
        return isinstance(f, ast.Attribute) and f.attr == "get" and const(ctx, f.value) is not NOT_CONSTANT
    if isinstance(part, ast.Subscript) and const(ctx, part.value) is not NOT_CONSTANT:
        return True  # COLUMNS[key]: one of a fixed set of values
    if isinstance(part, ast.Name):
        if loop_over_constants(ctx, part) or _allow_listed(ctx, part.id, use):
            return True
        if depth < 3:
            values = local_values(ctx, part)
            if values:
                return all(_safe_part(ctx, v, use, depth + 1) for v in values)
    if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Mult):
        # " " * indent, ", ?" * count: a constant repeated
        return is_constant_text(ctx, part.left) or is_constant_text(ctx, part.right)
    if isinstance(part, ast.IfExp):
        return _safe_part(ctx, part.body, use, depth + 1) and _safe_part(ctx, part.orelse, use, depth + 1)
    return False


def is_constant_container(ctx: FileContext, expr: ast.expr) -> bool:
    return isinstance(const(ctx, expr), (list, tuple, str))


def _membership(ctx: FileContext, test: ast.expr, name: str, negated: bool) -> bool:
    """``name in CONST`` (or ``not in`` when ``negated``)."""
    if isinstance(test, ast.BoolOp):
        return any(_membership(ctx, v, name, negated) for v in test.values)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    op = test.ops[0]
    wanted = ast.NotIn if negated else ast.In
    return (
        isinstance(op, wanted)
        and isinstance(test.left, ast.Name)
        and test.left.id == name
        and const(ctx, test.comparators[0]) is not NOT_CONSTANT
    )


def _allow_listed(ctx: FileContext, name: str, use: ast.AST) -> bool:
    # inside `if name in CONST:` or `for name in CONST:`
    child: ast.AST = use
    for anc in ctx.semantic.ancestors(use):
        if isinstance(anc, ast.If) and child in anc.body and _membership(ctx, anc.test, name, False):
            return True
        if (
            isinstance(anc, ast.For)
            and isinstance(anc.target, ast.Name)
            and anc.target.id == name
            and const(ctx, anc.iter) is not NOT_CONSTANT
        ):
            return True
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            break
        child = anc
    # `if name not in CONST: raise` / `assert name in CONST` earlier in the function
    func = enclosing_function(ctx, use)
    if func is None:
        return False
    use_line = getattr(use, "lineno", 0)
    for stmt in ast.walk(func):
        if getattr(stmt, "lineno", use_line) >= use_line:
            continue
        if isinstance(stmt, ast.Assert) and _membership(ctx, stmt.test, name, False):
            return True
        if (
            isinstance(stmt, ast.If)
            and _membership(ctx, stmt.test, name, True)
            and stmt.body
            and isinstance(stmt.body[-1], (ast.Raise, ast.Return, ast.Continue, ast.Break))
        ):
            return True
    return False
