"""Helpers shared by the PWA3xx/PWA4xx pattern rules (deserialization, execution, files, XML...)."""

from __future__ import annotations

import ast
from typing import Any

from pyward.analysis.context import NOT_CONSTANT, FileContext


def const(ctx: FileContext, expr: ast.AST | None) -> Any:
    """The folded constant value of ``expr``, or NOT_CONSTANT (also for ``None`` input)."""
    return ctx.const_value(expr) if expr is not None else NOT_CONSTANT


def is_true(ctx: FileContext, expr: ast.AST | None) -> bool:
    """``True`` (or a non-zero number) literally or through a module-level constant."""
    value = const(ctx, expr)
    return value is not NOT_CONSTANT and isinstance(value, (bool, int)) and bool(value)


def is_false(ctx: FileContext, expr: ast.AST | None) -> bool:
    """``False``/``0`` literally or through a module-level constant."""
    value = const(ctx, expr)
    return value is not NOT_CONSTANT and isinstance(value, (bool, int)) and not value


def is_none(ctx: FileContext, expr: ast.AST | None) -> bool:
    return expr is not None and const(ctx, expr) is None


def is_constant_data(ctx: FileContext, expr: ast.AST | None) -> bool:
    """Whether ``expr`` is a compile-time constant string or bytes (data nobody else controls)."""
    if expr is None:
        return False
    value = const(ctx, expr)
    return isinstance(value, (str, bytes))


def method_name(call: ast.Call) -> str | None:
    """``x.y.method(...)`` → ``"method"``."""
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def callee_leaf(call: ast.Call) -> str:
    """The last segment of the callee as written: ``x.y.load(...)`` and ``load(...)`` → ``"load"``
    (``""`` for any other callee, e.g. ``f()(...)``)."""
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def callee_hint(call: ast.Call) -> str:
    """A short display name for the callee (``yaml.load``, ``obj.extractall``)."""
    try:
        return ast.unparse(call.func)
    except Exception:  # pragma: no cover - unparse handles every expression the parser builds
        return "call"


def imports_any(ctx: FileContext, prefixes: tuple[str, ...]) -> bool:
    """Whether the file imports a module (or a name from a module) under one of ``prefixes``."""
    return ctx.imports_under(prefixes)


def local_aliases(ctx: FileContext, targets: frozenset[str]) -> frozenset[str]:
    """Local names bound by an import to one of ``targets`` (``from tempfile import mktemp as m``
    gives ``m``), in any scope of the file. Lets ``ast.Name`` visitors bail out cheaply."""
    cache: dict[frozenset[str], frozenset[str]] = ctx.__dict__.setdefault("_pwa3_aliases", {})
    hit = cache.get(targets)
    if hit is None:
        scopes = ctx.semantic._scopes.values()  # read-only use of the model's scope table
        hit = frozenset(
            local for scope in scopes for local, target in scope.imports.items() if target in targets
        )
        cache[targets] = hit
    return hit


_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def enclosing_function(ctx: FileContext, node: ast.AST) -> ast.AST | None:
    for anc in ctx.semantic.ancestors(node):
        if isinstance(anc, _FUNCTION_TYPES):
            return anc
    return None


def enclosing_body(ctx: FileContext, node: ast.AST) -> ast.AST:
    """The function (or, outside any function, the module) a node belongs to."""
    return enclosing_function(ctx, node) or ctx.tree


def local_bindings(ctx: FileContext, func: ast.AST) -> dict[str, list[tuple[int, ast.expr | None]]]:
    """Every binding of each name inside ``func`` (not nested functions), as (line, value): the
    assigned value for a plain ``name = value``, ``None`` for any other kind of binding
    (parameter, loop target, augmented assignment, tuple unpacking, except targets...)."""
    cache: dict[int, dict[str, list[tuple[int, ast.expr | None]]]] = ctx.__dict__.setdefault(
        "_pwa3_bindings", {}
    )
    hit = cache.get(id(func))
    if hit is not None:
        return hit
    table: dict[str, list[tuple[int, ast.expr | None]]] = {}
    args = getattr(func, "args", None)
    if isinstance(args, ast.arguments):
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if a is not None:
                table.setdefault(a.arg, []).append((0, None))
    stack: list[ast.AST]
    if isinstance(func, ast.Lambda):
        stack = [func.body]
    elif isinstance(func, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)):
        stack = list(func.body)
    else:
        stack = []
    while stack:
        node = stack.pop()
        if isinstance(node, (*_FUNCTION_TYPES, ast.ClassDef)):
            if not isinstance(node, ast.Lambda):
                table.setdefault(node.name, []).append((node.lineno, None))
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            table.setdefault(node.targets[0].id, []).append((node.lineno, node.value))
            stack.append(node.value)
            continue
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            table.setdefault(node.target.id, []).append((node.lineno, node.value))
            if node.value is not None:
                stack.append(node.value)
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            table.setdefault(node.id, []).append((node.lineno, None))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                table.setdefault((alias.asname or alias.name).split(".")[0], []).append((node.lineno, None))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            table.setdefault(node.name, []).append((node.lineno, None))
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            # ``with X(...) as name``: recorded as X(...) (the same object for files, archives,
            # sessions and the other context managers that return self).
            table.setdefault(node.optional_vars.id, []).append((node.optional_vars.lineno, node.context_expr))
            stack.append(node.context_expr)
            continue
        _push_children(stack, node)
    cache[id(func)] = table
    return table


_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _push_children(stack: list[ast.AST], node: ast.AST) -> None:
    """``stack.extend(ast.iter_child_nodes(node))`` (same order), leaving out the expression-context
    and operator singletons (``Load``, ``Add``...), which bind nothing."""
    fields = _CHILD_FIELDS.get(type(node))
    if fields is None:
        fields = tuple(f for f in type(node)._fields if f not in ("ctx", "op", "ops"))
        _CHILD_FIELDS[type(node)] = fields
    node_type = ast.AST
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            stack.extend(item for item in value if isinstance(item, node_type))
        elif isinstance(value, node_type):
            stack.append(value)


def local_values(ctx: FileContext, name: ast.Name) -> list[ast.expr] | None:
    """The value(s) a local variable can hold where ``name`` reads it, when they come from plain
    assignments. When the last binding written above the read is a plain assignment at the top
    level of the function body, only that value (``q = "..."; run(q); q = f"..."; run(q)`` sees
    one value at each read); otherwise every binding of the name. ``None`` when a binding that
    counts is something else (parameter, loop target...), or the name is not local."""
    func = enclosing_body(ctx, name)
    bindings = local_bindings(ctx, func).get(name.id)
    if not bindings:
        return None
    chosen = bindings
    before = [b for b in bindings if b[0] < name.lineno]
    if before:
        last_line, last_value = max(before, key=lambda b: b[0])
        if last_value is not None and _top_level(ctx, func, last_value):
            chosen = [(last_line, last_value)]
    if any(v is None for _, v in chosen):
        return None
    return [v for _, v in chosen if v is not None]


def _top_level(ctx: FileContext, func: ast.AST, value: ast.expr) -> bool:
    """Whether the assignment of ``value`` is a direct statement of ``func``'s body."""
    stmt = ctx.parent(value)
    return stmt is not None and ctx.parent(stmt) is func


def is_constant_text(ctx: FileContext, expr: ast.AST | None, depth: int = 0) -> bool:
    """A constant string/bytes, including a local variable only ever assigned constants."""
    if expr is None:
        return False
    if is_constant_data(ctx, expr):
        return True
    if depth < 3 and isinstance(expr, ast.Name):
        values = local_values(ctx, expr)
        return bool(values) and all(is_constant_text(ctx, v, depth + 1) for v in values or ())
    if isinstance(expr, ast.IfExp):
        return is_constant_text(ctx, expr.body, depth + 1) and is_constant_text(ctx, expr.orelse, depth + 1)
    return False


def string_parts(expr: ast.AST) -> list[ast.expr] | None:
    """The interpolated (non-literal) pieces of a string built by an f-string, ``%``, ``+`` or
    ``str.format``; ``None`` when ``expr`` is not such a construction."""
    if isinstance(expr, ast.JoinedStr):
        out: list[ast.expr] = []
        for v in expr.values:
            if isinstance(v, ast.FormattedValue):
                out.append(v.value)
        return out
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mod):
        if isinstance(expr.left, ast.Constant) and isinstance(expr.left.value, str):
            right = expr.right
            if isinstance(right, ast.Tuple):
                return list(right.elts)
            if isinstance(right, ast.Dict):
                return [v for v in right.values if v is not None]
            return [right]
        return None
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
        pieces: list[ast.expr] = []
        for side in (expr.left, expr.right):
            inner = string_parts(side)
            if inner is not None:
                pieces.extend(inner)
            elif not (isinstance(side, ast.Constant) and isinstance(side.value, str)):
                pieces.append(side)
        return pieces
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and isinstance(expr.func.value, ast.Constant)
        and isinstance(expr.func.value.value, str)
    ):
        return [*expr.args, *(kw.value for kw in expr.keywords)]
    return None


def literal_prefix(expr: ast.AST) -> str:
    """The literal text a built string starts with (``f"SELECT {x}"`` → ``"SELECT "``)."""
    while True:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.JoinedStr):
            first = expr.values[0] if expr.values else None
            return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
            expr = expr.left
            continue
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "format":
            expr = expr.func.value
            continue
        return ""


def constructor_of(ctx: FileContext, expr: ast.expr) -> str | None:
    """The qualified name of the call that produced ``expr``: ``tarfile.open`` for
    ``tarfile.open(p)``, for ``tf`` after ``tf = tarfile.open(p)`` or ``with tarfile.open(p) as tf``."""
    if isinstance(expr, ast.Call):
        name = ctx.call_name(expr)
        if name is None and isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Call):
            # tarfile.TarFile.open / zipfile.ZipFile(...).open chains: the class itself
            inner = ctx.call_name(expr.func.value)
            return f"{inner}().{expr.func.attr}" if inner else None
        return name
    if isinstance(expr, ast.Name):
        values = local_values(ctx, expr)
        if values:
            names = {constructor_of(ctx, v) for v in values if isinstance(v, ast.Call)}
            if len(names) == 1:
                return names.pop()
    return None


def loop_over_constants(ctx: FileContext, name: ast.Name) -> bool:
    """``name`` is (part of) the target of an enclosing ``for`` or comprehension over a constant
    collection (literal, module constant, or a local only assigned one) or over ``range(...)``:
    it only takes values written in the code, or integers."""
    for anc in ctx.semantic.ancestors(name):
        loops: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(anc, (ast.For, ast.AsyncFor)):
            loops.append((anc.target, anc.iter))
        elif isinstance(anc, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops.extend((g.target, g.iter) for g in anc.generators)
        for target, iterable in loops:
            names = [target] if isinstance(target, ast.Name) else getattr(target, "elts", [])
            if any(isinstance(t, ast.Name) and t.id == name.id for t in names):
                if isinstance(iterable, ast.Call) and ctx.call_name(iterable) == "builtins.range":
                    return True
                if const(ctx, iterable) is not NOT_CONSTANT:
                    return True
                if isinstance(iterable, ast.Name):  # cases = [...]; for a, b in cases:
                    values = local_values(ctx, iterable)
                    return bool(values) and all(const(ctx, v) is not NOT_CONSTANT for v in values or ())
                return False
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            break
    return False
