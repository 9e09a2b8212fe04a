"""PWA331: file permissions that let every local user write."""

from __future__ import annotations

import ast
import stat
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import const, local_aliases
from pyward.rules.base import AstRule, RuleMeta

#: name -> (mode position, keyword)
_CHMOD: dict[str, tuple[int, str]] = {
    "os.chmod": (1, "mode"),
    "os.lchmod": (1, "mode"),
    "os.fchmod": (1, "mode"),
    "pathlib.Path.chmod": (0, "mode"),
}
_OTHERS_WRITE = stat.S_IWOTH
_NAMES = frozenset(_CHMOD)
_LAST = frozenset(n.rpartition(".")[2] for n in _CHMOD)


class WorldWritablePermissions(AstRule):
    """
    ## What it does
    Reports a constant file mode that gives write permission to everyone (the `o+w` bit, `0o002`)
    passed to `os.chmod`, `os.lchmod`, `os.fchmod`, or to a `.chmod(mode)` method
    (`pathlib.Path.chmod`). Modes written with `stat.S_I*` constants are understood. The sticky
    bit (`0o1777`, the `/tmp` pattern, where users cannot delete or rename each other's files)
    is not reported, and neither are modes computed at run time. The mode given when creating a
    file or directory (`os.open(path, flags, 0o666)`, `os.mkdir(path, 0o777)`) is not reported:
    the process umask is subtracted from it, and those values are the ordinary defaults.

    ## Why is this bad?
    Any local user or compromised service account can replace the contents of a world-writable
    file: a script that is later executed, a configuration file, a log that is later parsed. The
    permission outlives the program that set it.

    ## Example
    ```python
    import os

    os.chmod("/srv/app/run.sh", 0o777)
    ```

    ## Use instead
    ```python
    import os

    os.chmod("/srv/app/run.sh", 0o750)
    ```

    ## References
    - CWE-732: Incorrect Permission Assignment for Critical Resource
    """

    meta = RuleMeta(
        code="PWA331",
        name="world-writable-permissions",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(732,),
        summary="File or directory made writable by every user",
        bandit=("B103",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LAST

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            last = func.attr
            if last not in _LAST:
                return
        elif isinstance(func, ast.Name):
            last = func.id
            if last not in local_aliases(ctx, _NAMES):
                return
        else:
            return
        name = ctx.call_name(node)
        spec = _CHMOD.get(name or "")
        if spec is None:
            if last != "chmod" or not isinstance(func, ast.Attribute) or name is not None:
                return
            spec = (0, "mode")  # path.chmod(mode) on an object pyward cannot type
        mode_expr = ctx.argument(node, spec[0], spec[1])
        mode = _mode(ctx, mode_expr)
        if mode is None or not mode & _OTHERS_WRITE:
            return
        if mode & stat.S_ISVTX:
            return  # sticky shared directory: users cannot replace each other's files
        yield self.report(node, ctx, f"Mode {oct(mode)} lets every local user write; drop the o+w bit")


def _mode(ctx: FileContext, expr: ast.expr | None, depth: int = 0) -> int | None:
    if expr is None or depth > 10:
        return None
    value = const(ctx, expr)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = ctx.qualname(expr)
        if name and name.startswith("stat.S_"):
            attr = getattr(stat, name[5:], None)
            return attr if isinstance(attr, int) else None
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.Add)):
        left, right = _mode(ctx, expr.left, depth + 1), _mode(ctx, expr.right, depth + 1)
        if left is None or right is None:
            return None
        return left | right if isinstance(expr.op, ast.BitOr) else left + right
    return None
