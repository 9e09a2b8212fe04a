"""Helpers shared by the PWA2xx pattern rules (crypto, TLS, randomness, secrets)."""

from __future__ import annotations

import ast
import re
from typing import Any

from pyward.analysis.context import NOT_CONSTANT, FileContext

HTTP_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream", "ws_connect"}
)


def imports_any(ctx: FileContext, prefixes: tuple[str, ...]) -> bool:
    """Whether the file imports a module (or a name from a module) under one of ``prefixes``."""
    cache: dict[tuple[str, ...], bool] = ctx.__dict__.setdefault("_pwa2_imports", {})
    hit = cache.get(prefixes)
    if hit is None:
        names = ctx.semantic.imported_modules()
        hit = any(n == p or n.startswith(p + ".") for n in names for p in prefixes)
        cache[prefixes] = hit
    return hit


def is_false(ctx: FileContext, expr: ast.AST | None) -> bool:
    """``False`` or ``0`` (literally, or through a module-level constant)."""
    if expr is None:
        return False
    value = ctx.const_value(expr)
    return value is not NOT_CONSTANT and not isinstance(value, str) and value is not None and value == 0


def const(ctx: FileContext, expr: ast.AST | None) -> Any:
    return ctx.const_value(expr) if expr is not None else NOT_CONSTANT


def receiver_call_name(ctx: FileContext, call: ast.Call) -> str | None:
    """For ``X(...).method(...)``, the qualified name of ``X``."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
        return ctx.call_name(func.value)
    return None


def terminal_name(expr: ast.AST) -> str | None:
    """The last identifier of a name, attribute, or subscript with a string key."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def words(identifier: str) -> list[str]:
    """``apiKey`` / ``API_KEY`` / ``api-key`` → ``["api", "key"]``."""
    return [w.lower() for w in _WORD_SPLIT.split(identifier) if w]


def mask(secret: str) -> str:
    """Enough of a secret to find it, never the secret: ``AKIA…(20 chars)``."""
    shown = 4 if len(secret) >= 12 else min(2, len(secret) // 4)
    return f"{secret[:shown]}…({len(secret)} chars)"
