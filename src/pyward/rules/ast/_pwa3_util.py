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


def callee_hint(call: ast.Call) -> str:
    """A short display name for the callee (``yaml.load``, ``obj.extractall``)."""
    try:
        return ast.unparse(call.func)
    except Exception:  # pragma: no cover - unparse handles every expression the parser builds
        return "call"


def imports_any(ctx: FileContext, prefixes: tuple[str, ...]) -> bool:
    """Whether the file imports a module (or a name from a module) under one of ``prefixes``."""
    cache: dict[tuple[str, ...], bool] = ctx.__dict__.setdefault("_pwa3_imports", {})
    hit = cache.get(prefixes)
    if hit is None:
        names = ctx.semantic.imported_modules()
        hit = any(n == p or n.startswith(p + ".") for n in names for p in prefixes)
        cache[prefixes] = hit
    return hit


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
