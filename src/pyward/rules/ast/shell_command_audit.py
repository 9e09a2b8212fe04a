"""PWA310: a shell runs a command line that is not a constant (audit)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import (
    const,
    is_constant_text,
    is_true,
    local_values,
    loop_over_constants,
    string_parts,
)
from pyward.rules.base import AstRule, RuleMeta

#: Always run their argument through ``/bin/sh -c`` (or ``cmd.exe /c``): name -> (position, keyword).
_SHELL_FUNCS: dict[str, tuple[int, str]] = {
    "os.system": (0, "command"),
    "os.popen": (0, "cmd"),
    "os.popen2": (0, "cmd"),
    "os.popen3": (0, "cmd"),
    "os.popen4": (0, "cmd"),
    "subprocess.getoutput": (0, "cmd"),
    "subprocess.getstatusoutput": (0, "cmd"),
    "commands.getoutput": (0, "cmd"),
    "commands.getstatusoutput": (0, "cmd"),
    "asyncio.create_subprocess_shell": (0, "cmd"),
    "asyncio.subprocess.create_subprocess_shell": (0, "cmd"),
    "platform.popen": (0, "cmd"),
}
#: Run a shell only with ``shell=True``.
_SUBPROCESS = frozenset(f"subprocess.{n}" for n in ("Popen", "run", "call", "check_call", "check_output"))
#: Calls whose result is safe to paste into a command line.
_QUOTING = frozenset(
    {"shlex.quote", "pipes.quote", "shlex.join", "builtins.int", "builtins.float", "builtins.len"}
)
_LAST = frozenset(n.rpartition(".")[2] for n in (*_SHELL_FUNCS, *_SUBPROCESS))


class ShellCommandAudit(AstRule):
    """
    ## What it does
    Reports a command line handed to a shell when it is not a constant: `os.system`, `os.popen`,
    `subprocess.getoutput`/`getstatusoutput`, `asyncio.create_subprocess_shell`, and the
    `subprocess` functions called with `shell=True`. A literal command
    (`subprocess.run("ls -l", shell=True)`), a module-level constant, a local variable only ever
    assigned literals, and a string whose interpolated parts all go through `shlex.quote` (or are
    numbers from `int()`/`float()`/`len()`) are not reported. When pyward can trace request data
    into the command, the taint rule PWT102 reports it instead.

    ## Why is this bad?
    The shell interprets `;`, `|`, `$(...)`, backquotes, globbing and redirections in the whole
    string. A value pasted into it that contains any of these runs extra commands with the rights
    of your process.

    ## Example
    ```python
    import subprocess

    def archive(directory):
        subprocess.run(f"tar czf backup.tgz {directory}", shell=True, check=True)
    ```

    ## Use instead
    ```python
    import subprocess

    def archive(directory):
        subprocess.run(["tar", "czf", "backup.tgz", "--", directory], check=True)
    ```

    ## References
    - CWE-78: Improper Neutralization of Special Elements used in an OS Command
    - Python documentation, `subprocess` — Security Considerations
    """

    meta = RuleMeta(
        code="PWA310",
        name="shell-command-audit",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(78,),
        summary="Non-constant command line run by a shell, data origin unknown (audit)",
        bandit=("B602", "B604", "B605"),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LAST

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr not in _LAST:
            return
        name = ctx.call_name(node)
        if name is None:
            return
        if name in _SHELL_FUNCS:
            pos, kw = _SHELL_FUNCS[name]
            command = ctx.argument(node, pos, kw)
            if command is not None and not _safe_command(ctx, command):
                yield self.report(node, ctx, f"`{name}` runs a non-constant command line through the shell")
            return
        if name in _SUBPROCESS:
            if not is_true(ctx, ctx.keyword(node, "shell")):
                return
            command = ctx.argument(node, 0, "args")
            if isinstance(command, (ast.List, ast.Tuple)):
                # With shell=True only the first item is the command line (the rest are $0, $1...).
                command = command.elts[0] if command.elts else None
            if command is not None and not _safe_command(ctx, command):
                yield self.report(
                    node, ctx, f"`{name}(..., shell=True)` runs a non-constant command line through the shell"
                )


def _safe_command(ctx: FileContext, expr: ast.expr, depth: int = 0) -> bool:
    if is_constant_text(ctx, expr):
        return True
    if isinstance(const(ctx, expr), (int, float)):
        return True
    if isinstance(expr, ast.Call) and ctx.call_name(expr) in _QUOTING:
        return True
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "join":
        # " ".join(shlex.quote(a) for a in args)
        arg = expr.args[0] if expr.args else None
        if isinstance(arg, (ast.GeneratorExp, ast.ListComp)):
            return _safe_command(ctx, arg.elt, depth + 1)
        return False
    if depth < 4 and isinstance(expr, ast.Name):
        if loop_over_constants(ctx, expr):
            return True
        values = local_values(ctx, expr)
        return bool(values) and all(_safe_command(ctx, v, depth + 1) for v in values or ())
    parts = string_parts(expr)
    if parts is None or depth >= 4:
        return False
    return all(_safe_command(ctx, p, depth + 1) for p in parts)
