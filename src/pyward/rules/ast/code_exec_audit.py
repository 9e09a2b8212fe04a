"""PWA311: ``eval``/``exec`` of code that is not a constant (audit)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import (
    const,
    is_constant_text,
    local_values,
    loop_over_constants,
    string_parts,
)
from pyward.rules.base import AstRule, RuleMeta

_EXEC = frozenset({"builtins.eval", "builtins.exec"})


class CodeExecAudit(AstRule):
    """
    ## What it does
    Reports `eval(...)` and `exec(...)` whose code is not a constant: not a literal, not a
    module-level constant, not a local variable only ever assigned literals, not the result of
    `compile()` of such a literal, and not a string formatted only from such values, numbers and
    loop variables over a constant list or `range()`. `eval("1+1")` is not reported, and neither is
    `ast.literal_eval`. When pyward can trace request data into the call, the taint rule PWT103
    reports it instead.

    ## Why is this bad?
    `eval` and `exec` run any Python code, including `__import__("os").system(...)`. Restricting
    `globals`/`__builtins__` does not make them safe: object attribute chains reach every loaded
    class. Whoever controls the text controls the process.

    ## Example
    ```python
    def compute(formula, row):
        return eval(formula, {}, row)
    ```

    ## Use instead
    ```python
    import ast

    def parse_setting(text):
        return ast.literal_eval(text)
    ```

    ## References
    - CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code
    - Python documentation, `eval`, `exec` and `ast.literal_eval`
    """

    meta = RuleMeta(
        code="PWA311",
        name="code-exec-audit",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(95,),
        summary="eval/exec of non-constant code, data origin unknown (audit)",
        bandit=("B102", "B307"),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"eval", "exec"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Name):
            if func.id not in ("eval", "exec"):
                return
        elif not (isinstance(func, ast.Attribute) and func.attr in ("eval", "exec")):
            return
        name = ctx.call_name(node)
        if name not in _EXEC:
            return
        code = ctx.argument(node, 0, "source")
        if code is None or _constant_code(ctx, code):
            return
        short = name.rpartition(".")[2]
        yield self.report(
            node, ctx, f"`{short}` runs code that is not a constant; whoever controls it runs Python"
        )


def _constant_code(ctx: FileContext, expr: ast.expr, depth: int = 0) -> bool:
    if is_constant_text(ctx, expr):
        return True
    if isinstance(expr, ast.Call) and ctx.call_name(expr) == "builtins.compile":
        return _constant_code(ctx, expr.args[0], depth + 1) if expr.args else False
    if depth < 6 and isinstance(expr, ast.Name):
        if loop_over_constants(ctx, expr):
            return True
        values = local_values(ctx, expr)
        return bool(values) and all(_constant_code(ctx, v, depth + 1) for v in values or ())
    if depth < 6 and isinstance(const(ctx, expr), (int, float, bool)):
        return True
    if depth < 6 and isinstance(expr, ast.Call) and ctx.call_name(expr) in ("builtins.int", "builtins.len"):
        return True
    if depth < 6 and isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
        # "\n" * 1000: a constant repeated
        return (is_constant_text(ctx, expr.left) and isinstance(const(ctx, expr.right), int)) or (
            is_constant_text(ctx, expr.right) and isinstance(const(ctx, expr.left), int)
        )
    if (
        depth < 6
        and isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "join"
        and is_constant_text(ctx, expr.func.value)
        and len(expr.args) == 1
    ):
        arg = expr.args[0]
        if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
            return _constant_code(ctx, arg.elt, depth + 1)
        return isinstance(const(ctx, arg), (list, tuple))
    parts = string_parts(expr) if depth < 6 else None
    return parts is not None and all(_constant_code(ctx, p, depth + 1) for p in parts)
