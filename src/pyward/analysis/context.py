"""What a per-file rule sees: the parsed module, its semantic model, and helpers."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyward.analysis.semantic import Scope, SemanticModel
from pyward.model import Span

if TYPE_CHECKING:
    from pyward.settings import Settings

_MISSING: Any = object()


@dataclass
class FileContext:
    """One Python file under analysis. Pure data plus queries; no I/O."""

    path: str  # display path (relative to the root, '/' separators)
    abspath: str
    source: str
    tree: ast.Module
    semantic: SemanticModel
    settings: Settings
    #: Set when the tree came from the fallback front end (syntax newer than this interpreter).
    fallback_parser: bool = False
    _lines: list[str] | None = field(default=None, repr=False)

    @property
    def module(self) -> str:
        return self.semantic.module

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.source.splitlines()
        return self._lines

    def line_text(self, lineno: int) -> str:
        lines = self.lines
        return lines[lineno - 1] if 0 < lineno <= len(lines) else ""

    def span(self, node: ast.AST) -> Span:
        """The node's location, with columns in characters (``ast`` counts UTF-8 bytes)."""
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = self._char_col(line, getattr(node, "col_offset", 0))
        end_col = getattr(node, "end_col_offset", None)
        if end_col is not None:
            end_col = self._char_col(end_line, end_col)
        return Span(self.path, line, col, end_line, end_col)

    def _char_col(self, lineno: int, byte_col: int) -> int:
        text = self.line_text(lineno)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def imports_under(self, modules: Iterable[str]) -> bool:
        """Whether the file imports (in any scope) one of ``modules`` or something inside one:
        ``imports_under(("xml",))`` holds after ``import xml.dom`` or ``from xml.sax import parse``.
        The dotted prefixes of every imported name are computed once per file."""
        prefixes: frozenset[str] | None = self.__dict__.get("_import_prefixes")
        if prefixes is None:
            found: set[str] = set()
            for name in self.semantic.imported_modules():
                found.add(name)
                dot = name.find(".")
                while dot >= 0:
                    found.add(name[:dot])
                    dot = name.find(".", dot + 1)
            prefixes = frozenset(found)
            self.__dict__["_import_prefixes"] = prefixes
        return any(m in prefixes for m in modules)

    def attributes_named(self, names: Iterable[str]) -> list[ast.Attribute]:
        """The ``ast.Attribute`` nodes of the file whose ``attr`` is one of ``names``, in the order
        of the semantic model's index. The attributes are grouped by name once per file, so rules
        looking for a few attribute names do not each loop over every attribute."""
        by_attr: dict[str, list[ast.Attribute]] | None = self.__dict__.get("_attributes_by_name")
        if by_attr is None:
            by_attr = {}
            for node in self.semantic.nodes_by_type.get(ast.Attribute, ()):
                attr: str = node.attr  # type: ignore[attr-defined]
                bucket = by_attr.get(attr)
                if bucket is None:
                    by_attr[attr] = [node]  # type: ignore[list-item]
                else:
                    bucket.append(node)  # type: ignore[arg-type]
            self.__dict__["_attributes_by_name"] = by_attr
        found = [bucket for name in dict.fromkeys(names) if (bucket := by_attr.get(name))]
        if not found:
            return []
        if len(found) == 1:
            return list(found[0])
        order = {id(node): i for i, node in enumerate(self.semantic.nodes_by_type[ast.Attribute])}
        return sorted((node for bucket in found for node in bucket), key=lambda node: order[id(node)])

    # names -----------------------------------------------------------------------------------
    def scope_of(self, node: ast.AST) -> Scope:
        return self.semantic.scope_of(node)

    def qualname(self, expr: ast.AST) -> str | None:
        return self.semantic.qualname(expr)

    def call_name(self, call: ast.Call) -> str | None:
        return self.semantic.qualname(call.func)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.semantic.parent(node)

    # calls -------------------------------------------------------------------------------------
    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
        return None

    @staticmethod
    def argument(call: ast.Call, position: int | None, name: str | None) -> ast.expr | None:
        """The expression passed for a parameter, by keyword or by position (no ``*args``)."""
        if name is not None:
            for kw in call.keywords:
                if kw.arg == name:
                    return kw.value
        if position is not None and position < len(call.args):
            arg = call.args[position]
            if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
                return None
            return arg
        return None

    @staticmethod
    def has_star_kwargs(call: ast.Call) -> bool:
        return any(kw.arg is None for kw in call.keywords)

    # constants -------------------------------------------------------------------------------
    def const_value(self, expr: ast.AST | None, default: Any = _MISSING) -> Any:
        """The value of ``expr`` if it is a compile-time constant, else ``default``.

        Literals, tuples/lists/sets/dicts of constants, unary minus, string concatenation of
        constants, and names bound exactly once at module level to a constant are folded.
        Returns ``default`` (``_MISSING`` → :data:`NOT_CONSTANT`) when unknown.
        """
        if default is _MISSING:
            default = NOT_CONSTANT
        value = _fold(expr, self, 0)
        return default if value is NOT_CONSTANT else value

    def is_constant(self, expr: ast.AST | None) -> bool:
        return expr is not None and _fold(expr, self, 0) is not NOT_CONSTANT

    def module_constant(self, name: str) -> Any:
        """Value of a module-level name assigned exactly once to a constant, else NOT_CONSTANT."""
        cache = self.__dict__.setdefault("_module_consts", None)
        if cache is None:
            cache = _collect_module_constants(self)
            self.__dict__["_module_consts"] = cache
        node = cache.get(name)
        if node is None:
            return NOT_CONSTANT
        return _fold(node, self, 1)


class _NotConstant:
    _instance: _NotConstant | None = None

    def __repr__(self) -> str:
        return "NOT_CONSTANT"

    def __bool__(self) -> bool:
        return False


NOT_CONSTANT: Any = _NotConstant()


def _collect_module_constants(ctx: FileContext) -> dict[str, ast.expr]:
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    index = ctx.semantic.nodes_by_type
    binders = (
        *index.get(ast.Assign, ()),
        *index.get(ast.AnnAssign, ()),
        *index.get(ast.AugAssign, ()),
        *index.get(ast.For, ()),
    )  # the statements that bind a name to a value or rebind it (no walk over the whole tree)
    for node in binders:
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, (ast.AugAssign, ast.For, ast.With)):
            targets = [node.target] if isinstance(node, (ast.AugAssign, ast.For)) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    counts[name.id] = counts.get(name.id, 0) + 1
                    if value is not None and target is name and ctx.semantic.parent(node) is ctx.tree:
                        values[name.id] = value
    return {k: v for k, v in values.items() if counts.get(k) == 1}


def _fold(expr: ast.AST | None, ctx: FileContext, depth: int) -> Any:
    if expr is None or depth > 20:
        return NOT_CONSTANT
    if isinstance(expr, ast.Constant):
        return expr.value
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        items = [_fold(e, ctx, depth + 1) for e in expr.elts]
        if any(i is NOT_CONSTANT for i in items):
            return NOT_CONSTANT
        if isinstance(expr, ast.Tuple):
            return tuple(items)
        if isinstance(expr, ast.Set):
            try:
                return frozenset(items)
            except TypeError:
                return NOT_CONSTANT
        return items
    if isinstance(expr, ast.Dict):
        out: dict[Any, Any] = {}
        for k, v in zip(expr.keys, expr.values, strict=True):
            if k is None:
                return NOT_CONSTANT
            kv, vv = _fold(k, ctx, depth + 1), _fold(v, ctx, depth + 1)
            if kv is NOT_CONSTANT or vv is NOT_CONSTANT:
                return NOT_CONSTANT
            try:
                out[kv] = vv
            except TypeError:
                return NOT_CONSTANT
        return out
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd, ast.Not)):
        v = _fold(expr.operand, ctx, depth + 1)
        if v is NOT_CONSTANT:
            return NOT_CONSTANT
        try:
            if isinstance(expr.op, ast.Not):
                return not v
            return -v if isinstance(expr.op, ast.USub) else +v
        except TypeError:
            return NOT_CONSTANT
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.BitOr, ast.Mult)):
        left, right = _fold(expr.left, ctx, depth + 1), _fold(expr.right, ctx, depth + 1)
        if left is NOT_CONSTANT or right is NOT_CONSTANT:
            return NOT_CONSTANT
        try:
            if isinstance(expr.op, ast.Mult):
                if isinstance(left, (str, bytes)) or isinstance(right, (str, bytes)):
                    return NOT_CONSTANT  # avoid building huge strings
                return left * right
            return left + right if isinstance(expr.op, ast.Add) else left | right
        except Exception:
            return NOT_CONSTANT
    if isinstance(expr, ast.JoinedStr):
        parts: list[str] = []
        for value in expr.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(value.value)
            elif isinstance(value, ast.FormattedValue):
                inner = _fold(value.value, ctx, depth + 1)
                if inner is NOT_CONSTANT or value.format_spec is not None or value.conversion != -1:
                    return NOT_CONSTANT
                parts.append(str(inner))
            else:
                return NOT_CONSTANT
        return "".join(parts)
    if isinstance(expr, ast.Name) and isinstance(expr.ctx, ast.Load):
        scope = ctx.semantic.scope_of(expr)
        if scope is not ctx.semantic.module_scope and _bound_locally(expr.id, scope, ctx):
            return NOT_CONSTANT
        if expr.id in ctx.semantic.module_scope.imports:
            return NOT_CONSTANT
        return ctx.module_constant(expr.id) if depth < 20 else NOT_CONSTANT
    return NOT_CONSTANT


def _bound_locally(name: str, scope: Scope, ctx: FileContext) -> bool:
    current: Scope | None = scope
    while current is not None and current is not ctx.semantic.module_scope:
        if name in current.globals:
            return False
        if current.kind != "class" and (name in current.assigned or name in current.imports):
            return True
        current = current.parent
    return False
