"""The semantic model of one module: scopes, bindings, imports and qualified names.

Rules never match raw source text. They ask the model what a name *is*: after
``import subprocess as sp`` the expression ``sp.run`` resolves to ``subprocess.run``; after
``from os import system as s`` the name ``s`` resolves to ``os.system``; a builtin like ``eval``
resolves to ``builtins.eval``; a local variable that shadows an import resolves to nothing.

Building the model is one iterative pass over the tree (no recursion, so 10,000-deep expressions
are fine). It also records each node's parent, available through :meth:`SemanticModel.parent`.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_BUILTIN_NAMES = frozenset(dir(builtins))

ScopeNode = (
    ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef | ast.comprehension
)
_SCOPE_TYPES = (
    ast.Module,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


_SCOPE_TYPE_SET = frozenset(_SCOPE_TYPES)
_BINDER_TYPES = frozenset(
    {
        ast.Import,
        ast.ImportFrom,
        ast.Name,
        ast.Global,
        ast.Nonlocal,
        ast.ExceptHandler,
        ast.MatchAs,
        ast.MatchStar,
        ast.MatchMapping,
    }
)
# Fields that hold shared singleton nodes (contexts, operators): never children worth visiting.
_SKIPPED_FIELDS = frozenset({"ctx", "op", "ops"})
# Fields that never hold a node (ASDL ``identifier``, ``string``, ``constant`` and ``int`` fields),
# by node class name: not looked at either. A class or field missing here is looked at.
_SCALAR_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(fields)
    for name, fields in {
        "AnnAssign": ("simple",),
        "Assign": ("type_comment",),
        "For": ("type_comment",),
        "AsyncFor": ("type_comment",),
        "With": ("type_comment",),
        "AsyncWith": ("type_comment",),
        "FunctionDef": ("name", "type_comment"),
        "AsyncFunctionDef": ("name", "type_comment"),
        "ClassDef": ("name",),
        "Attribute": ("attr",),
        "Constant": ("value", "kind"),
        "ExceptHandler": ("name",),
        "FormattedValue": ("conversion",),
        "Global": ("names",),
        "Nonlocal": ("names",),
        "ImportFrom": ("module", "level"),
        "MatchAs": ("name",),
        "MatchClass": ("kwd_attrs",),
        "MatchMapping": ("rest",),
        "MatchSingleton": ("value",),
        "MatchStar": ("name",),
        "Name": ("id",),
        "TypeIgnore": ("lineno", "tag"),
        "alias": ("name", "asname"),
        "arg": ("arg", "type_comment"),
        "keyword": ("arg",),
        "comprehension": ("is_async",),
        "TypeVar": ("name",),
        "ParamSpec": ("name",),
        "TypeVarTuple": ("name",),
    }.items()
}
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
#: For a node opening a scope, the fields whose children :meth:`SemanticModel._evaluated_outside`
#: places in the enclosing scope (no field of a lambda or comprehension: its test never holds for
#: their direct children).
_OUTSIDE_FIELDS: dict[type[ast.AST], frozenset[str]] = {
    ast.FunctionDef: frozenset({"decorator_list", "returns", "args"}),
    ast.AsyncFunctionDef: frozenset({"decorator_list", "returns", "args"}),
    ast.ClassDef: frozenset({"decorator_list", "bases", "keywords"}),
}


def child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """The fields of ``node_type`` that may hold child nodes worth visiting (in field order): not
    the expression-context and operator singletons, nor identifier/string/constant/int fields."""
    fields = _CHILD_FIELDS.get(node_type)
    if fields is None:
        scalar = _SCALAR_FIELDS.get(node_type.__name__, frozenset()) if node_type.__module__ == "ast" else frozenset()
        fields = tuple(f for f in node_type._fields if f not in _SKIPPED_FIELDS and f not in scalar)
        _CHILD_FIELDS[node_type] = fields
    return fields


@dataclass
class Scope:
    """A Python scope. ``imports`` maps a local name to the qualified name it was imported as;
    ``assigned`` holds names bound otherwise (assignment, def, class, parameter, for target...)."""

    node: ast.AST
    kind: str  # module | function | class | lambda | comprehension
    parent: Scope | None
    name: str = ""
    imports: dict[str, str] = field(default_factory=dict)
    assigned: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    #: Qualified name of the function/class defining this scope ("pkg.mod.Class.method").
    qualname: str = ""


def module_name_for(path: Path, root: Path | None = None) -> str:
    """The dotted module name of a file, from its package (``__init__.py``) ancestry.

    ``src/pkg/sub/mod.py`` with ``src/pkg/__init__.py`` and ``src/pkg/sub/__init__.py`` is
    ``pkg.sub.mod``; a package's ``__init__.py`` is the package itself; a file outside any package
    is its stem.
    """
    path = path.absolute()
    parts: list[str] = [] if path.name == "__init__.py" else [path.stem]
    parent = path.parent
    while (parent / "__init__.py").is_file() and parent != parent.parent:
        parts.append(parent.name)
        if root is not None and parent == root:
            break
        parent = parent.parent
    parts.reverse()
    return ".".join(p for p in parts if p) or path.stem


class SemanticModel:
    """Scopes and name resolution for one parsed module."""

    def __init__(self, tree: ast.Module, module: str, *, is_package: bool = False) -> None:
        self.tree = tree
        self.module = module
        self.is_package = is_package
        self._parents: dict[int, ast.AST] = {}
        self._scopes: dict[int, Scope] = {}
        #: Every node of the module by exact type (deterministic order; parents before children).
        self.nodes_by_type: dict[type[ast.AST], list[ast.AST]] = {}
        self._qualnames: dict[int, str | None] = {}
        self._scope_cache: dict[int, Scope] = {}
        #: Names of the functions and classes the module body defines (computed when first needed).
        self._module_definitions: frozenset[str] | None = None
        self._imported: frozenset[str] | None = None
        self.module_scope = Scope(tree, "module", None, name=module, qualname=module)
        self._scopes[id(tree)] = self.module_scope
        self._build()

    # construction --------------------------------------------------------------------------
    def _build(self) -> None:
        """One pre-order pass: parents, scopes, bindings, and an index of nodes by type."""
        parents = self._parents
        by_type = self.nodes_by_type
        tree = self.tree
        ast_type = ast.AST
        scope_types = _SCOPE_TYPE_SET
        binders = _BINDER_TYPES
        fields_of = _CHILD_FIELDS
        # (node, scope in which the node's *own* bindings land)
        stack: list[tuple[ast.AST, Scope]] = [(tree, self.module_scope)]
        pop = stack.pop
        push = stack.append
        name_type = ast.Name
        load_type = ast.Load
        while stack:
            node, scope = pop()
            node_type = node.__class__
            try:
                by_type[node_type].append(node)
            except KeyError:
                by_type[node_type] = [node]
            if node_type is name_type:  # the commonest node: bind inline; it has no children
                if node.ctx.__class__ is not load_type:  # type: ignore[attr-defined]
                    scope.assigned.add(node.id)  # type: ignore[attr-defined]
                continue
            fields = fields_of.get(node_type)
            if fields is None:
                fields = child_fields(node_type)
            if not fields:  # a leaf (Constant, Pass, Global...)
                if node_type in binders:
                    self._bind(node, scope)
                continue
            if node_type in scope_types and node is not tree:
                # A new scope: children of the fields ``_evaluated_outside`` names (decorators,
                # arguments, bases...) stay in the enclosing scope, the others go in the new one.
                inner = self._enter_scope(node, scope)
                outside = _OUTSIDE_FIELDS.get(node_type, ())
                for name in fields:
                    value = getattr(node, name, None)
                    if value is None:
                        continue
                    target = scope if name in outside else inner
                    if value.__class__ is list:
                        for item in value:
                            if isinstance(item, ast_type):
                                parents[id(item)] = node
                                push((item, target))
                    elif isinstance(value, ast_type):
                        parents[id(value)] = node
                        push((value, target))
                continue
            if node_type in binders:
                self._bind(node, scope)
            for name in fields:
                value = getattr(node, name, None)
                if value is None:
                    continue
                if value.__class__ is list:
                    for item in value:
                        if isinstance(item, ast_type):
                            parents[id(item)] = node
                            push((item, scope))
                elif isinstance(value, ast_type):
                    parents[id(value)] = node
                    push((value, scope))

    @staticmethod
    def _evaluated_outside(node: ast.AST, child: ast.AST) -> bool:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return child in node.decorator_list or child is node.returns or child is node.args
        if isinstance(node, ast.ClassDef):
            return child in node.decorator_list or child in node.bases or child in node.keywords
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            # the first iterable is evaluated in the enclosing scope
            return bool(node.generators) and child is node.generators[0].iter
        return False

    def _enter_scope(self, node: ast.AST, outer: Scope) -> Scope:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            outer.assigned.add(node.name)
            qual = f"{outer.qualname}.{node.name}" if outer.kind != "lambda" else node.name
            scope = Scope(node, "function", outer, name=node.name, qualname=qual)
            a = node.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None:
                    scope.assigned.add(arg.arg)
        elif isinstance(node, ast.ClassDef):
            outer.assigned.add(node.name)
            scope = Scope(node, "class", outer, name=node.name, qualname=f"{outer.qualname}.{node.name}")
        elif isinstance(node, ast.Lambda):
            scope = Scope(node, "lambda", outer, name="<lambda>", qualname=f"{outer.qualname}.<lambda>")
            a = node.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None:
                    scope.assigned.add(arg.arg)
        else:
            scope = Scope(node, "comprehension", outer, name="<comp>", qualname=outer.qualname)
        self._scopes[id(node)] = scope
        return scope

    def _bind(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                scope.assigned.add(node.id)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.imports[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    scope.imports[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = self.resolve_relative(node.module, node.level)
            for alias in node.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                scope.imports[local] = f"{base}.{alias.name}" if base else alias.name
        elif isinstance(node, ast.Global):
            scope.globals.update(node.names)
        elif isinstance(node, ast.Nonlocal):
            scope.nonlocals.update(node.names)
        elif (isinstance(node, ast.ExceptHandler) and node.name) or (
            isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name
        ):
            scope.assigned.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            scope.assigned.add(node.rest)

    def resolve_relative(self, module: str | None, level: int) -> str:
        """The absolute module named by ``from <level dots><module> import ...`` in this module."""
        if level == 0:
            return module or ""
        parts = self.module.split(".")
        if not self.is_package:
            parts = parts[:-1]
        if level > 1:
            parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
        if module:
            parts.append(module)
        return ".".join(parts)

    # queries ---------------------------------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self._parents.get(id(node))
        while current is not None:
            yield current
            current = self._parents.get(id(current))

    def scope_of(self, node: ast.AST) -> Scope:
        """The scope in which ``node`` is evaluated."""
        cached = self._scope_cache.get(id(node))
        if cached is not None:
            return cached
        scope = self._scope_of(node)
        self._scope_cache[id(node)] = scope
        return scope

    def _scope_of(self, node: ast.AST) -> Scope:
        child = node
        scope_cache = self._scope_cache
        for anc in self.ancestors(node):
            scope = self._scopes.get(id(anc))
            if scope is None:
                # An ordinary ancestor is evaluated in the same scope as its children.
                known = scope_cache.get(id(anc))
                if known is not None:
                    return known
            elif not (scope.node is not self.tree and SemanticModel._evaluated_outside(anc, child)):
                return scope
            child = anc
        return self.module_scope

    def scope_for_node(self, scope_node: ast.AST) -> Scope | None:
        """The scope a function/class/lambda/comprehension/module node opens."""
        return self._scopes.get(id(scope_node))

    def lookup(self, name: str, scope: Scope) -> str | None:
        """The qualified name bound to ``name`` in ``scope`` (imports and builtins), else None.

        Locals shadow imports: a name assigned (and not imported) in the nearest scope that binds
        it resolves to None. Class scopes are skipped for names used in nested functions, as in
        Python.
        """
        current: Scope | None = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.module_scope
                first = False
                continue
            if current.kind == "class" and not first:
                current = current.parent
                continue
            if name in current.imports:
                return current.imports[name]
            if name in current.assigned:
                return None
            current = current.parent
            first = False
        if name in _BUILTIN_NAMES:
            return f"builtins.{name}"
        return None

    def qualname(self, expr: ast.AST, scope: Scope | None = None) -> str | None:
        """The qualified name of a ``Name`` or dotted ``Attribute`` chain, else None.

        ``sp.run`` → ``subprocess.run`` after ``import subprocess as sp``. Module-level functions
        and classes defined in this module resolve to ``<module>.<name>``.
        """
        if scope is None:
            key = id(expr)
            cache = self._qualnames
            if key in cache:
                return cache[key]
            result = self._qualname(expr, None)
            cache[key] = result
            return result
        return self._qualname(expr, scope)

    def _qualname(self, expr: ast.AST, scope: Scope | None) -> str | None:
        attrs: list[str] = []
        node = expr
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        if scope is None:
            scope = self.scope_of(node)
        base = self.lookup(node.id, scope)
        if base is None:
            base = self._local_definition(node.id, scope)
            if base is None:
                return None
        attrs.reverse()
        return ".".join([base, *attrs]) if attrs else base

    def _local_definition(self, name: str, scope: Scope) -> str | None:
        """``<module>.<name>`` for a function or class defined at module level."""
        if name in self.module_scope.assigned and name not in self.module_scope.imports:
            # Only when no closer scope rebinds it.
            current: Scope | None = scope
            while current is not None and current is not self.module_scope:
                if current.kind != "class" and name in current.assigned and name not in current.globals:
                    return None
                current = current.parent
            defined = self._module_definitions
            if defined is None:
                defined = self._module_definitions = frozenset(
                    stmt.name
                    for stmt in self.tree.body
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                )
            if name in defined:
                return f"{self.module}.{name}"
        return None

    def call_name(self, call: ast.Call, scope: Scope | None = None) -> str | None:
        """Qualified name of the callee of ``call``, else None."""
        return self.qualname(call.func, scope)

    def imported_modules(self) -> set[str]:
        """Every module or object imported anywhere in the file (qualified names)."""
        cached = self._imported
        if cached is None:
            found: set[str] = set()
            for scope in self._scopes.values():
                found.update(scope.imports.values())
            cached = self._imported = frozenset(found)
        return set(cached)  # a new set each time: callers may change theirs
