"""Intraprocedural taint dataflow over the stdlib ``ast``, producing per-file summaries.

Each function (and the module top level) is interpreted once, statement by statement, over an
abstract environment ``name -> Value``. A :class:`Value` carries its taint (atoms, see
:mod:`.summaries`), the types it may have (for ``cur.execute`` → ``sqlite3.Cursor.execute``), the
qualified names it denotes (for calls and attributes), and the element values of a list/tuple
literal. Branches are analysed separately and joined; a branch that ends in ``return``/``raise``/
``abort()``/``continue``/``break`` does not reach the join, which is what makes guards with an
early exit work. Loops run their body twice (nested loops deeper than two: once).

Statements are walked iteratively over blocks; expressions recursively (binary-operator chains,
the only deep expressions found in real code, are flattened).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.analysis.semantic import Scope
from pyward.analysis.taint import spec as s
from pyward.analysis.taint.index import SpecIndex
from pyward.analysis.taint.summaries import (
    Atom,
    ClassSummary,
    Decorator,
    FileSummary,
    FunctionSummary,
    Param,
    Registration,
    SinkHit,
    Site,
    Step,
    Taint,
)

Key = tuple[tuple[Any, ...], frozenset[str]]
TaintMap = dict[Key, tuple[Step, ...]]

_NOSAN: frozenset[str] = frozenset()
_EMPTY: TaintMap = {}
MAX_TRACE = 24
MAX_ATOMS = 24
_EXITS = frozenset(
    {
        "sys.exit",
        "os._exit",
        "builtins.exit",
        "builtins.quit",
        "flask.abort",
        "werkzeug.exceptions.abort",
        "fastapi.HTTPException",
        "pytest.fail",
        "pytest.skip",
    }
)
#: Calls that may register a handler; the engine matches them against EntryPoint.register.
_REGISTER_NAMES = frozenset(
    {
        "path",
        "re_path",
        "url",
        "add_url_rule",
        "add_get",
        "add_post",
        "add_put",
        "add_patch",
        "add_delete",
        "add_route",
        "add_view",
        "add_api_route",
        "add_api_websocket_route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "route",
        "view",
    }
)
_HANDLER_KEYWORDS = ("view_func", "view", "handler", "endpoint")
_SAFE_BUILTIN_TYPES = frozenset({"builtins.str", "builtins.bytes", "builtins.dict", "builtins.list"})


class Value:
    """What is known about an expression's value."""

    __slots__ = ("elts", "quals", "taint", "types")

    def __init__(
        self,
        taint: TaintMap = _EMPTY,
        types: tuple[str, ...] = (),
        quals: tuple[str, ...] = (),
        elts: tuple[Value, ...] | None = None,
    ) -> None:
        self.taint = taint
        self.types = types
        self.quals = quals
        self.elts = elts


_BLANK = Value()


# taint helpers ---------------------------------------------------------------------------------
def _push(trace: tuple[Step, ...], step: Step) -> tuple[Step, ...]:
    if trace and trace[-1][0] == step[0] and trace[-1][2] == step[2]:
        return trace
    if len(trace) >= MAX_TRACE:
        trace = trace[:4] + trace[-(MAX_TRACE - 6) :]
    return (*trace, step)


def union(a: TaintMap, b: TaintMap) -> TaintMap:
    if not b or a is b:
        return a
    if not a:
        return b
    out = dict(a)
    for k, v in b.items():
        if k not in out and len(out) < MAX_ATOMS:
            out[k] = v
    return out


def union_all(items: Iterable[TaintMap]) -> TaintMap:
    out: TaintMap = _EMPTY
    for t in items:
        out = union(out, t)
    return out


def with_step(taint: TaintMap, step: Step) -> TaintMap:
    if not taint:
        return taint
    return {k: _push(v, step) for k, v in taint.items()}


def sanitize(taint: TaintMap, clears: tuple[str, ...], marks: tuple[str, ...] = ()) -> TaintMap:
    if not taint:
        return taint
    if "*" in clears:
        return _EMPTY
    add = frozenset(clears) | frozenset(marks)
    if not add:
        return taint
    out: TaintMap = {}
    for (origin, san), trace in taint.items():
        out.setdefault((origin, san | add), trace)
    return out


def _common_facts(
    alternatives: list[list[tuple[str, tuple[str, ...], str | None]]],
) -> list[tuple[str, tuple[str, ...], str | None]]:
    """The facts every alternative proves, each with the classes all of them clear: ``x`` checked
    for ``redirect`` in one branch and empty in the other is clean for ``redirect``."""
    if not alternatives:
        return []
    out: list[tuple[str, tuple[str, ...], str | None]] = []
    for key, clears, requires in alternatives[0]:
        merged: tuple[str, ...] = clears
        req = requires
        for alt in alternatives[1:]:
            best: tuple[str, ...] = ()
            for k2, c2, r2 in alt:
                if k2 != key or (req is not None and r2 is not None and r2 != req):
                    continue
                if "*" in merged:
                    cand = c2
                elif "*" in c2:
                    cand = merged
                else:
                    cand = tuple(c for c in merged if c in c2)
                if cand and ("*" in cand or len(cand) > len(best)):
                    best = cand
                    req = req if req is not None else r2
            merged = best
            if not merged:
                break
        if merged:
            out.append((key, merged, req))
    return out


def guard_sanitize(taint: TaintMap, clears: tuple[str, ...], requires: str | None) -> TaintMap:
    if not taint:
        return taint
    if requires is None:
        return sanitize(taint, clears)
    out: TaintMap = {}
    for (origin, san), trace in taint.items():
        if requires in san:
            if "*" in clears:
                continue
            out.setdefault((origin, san | frozenset(clears)), trace)
        else:
            out.setdefault((origin, san), trace)
    return out


def to_tuple(taint: TaintMap) -> Taint:
    return tuple((origin, san, trace) for (origin, san), trace in taint.items())


def join_values(a: Value, b: Value) -> Value:
    if a is b:
        return a
    types = a.types if b.types == a.types else tuple(dict.fromkeys((*a.types, *b.types)))
    quals = a.quals if b.quals == a.quals else tuple(dict.fromkeys((*a.quals, *b.quals)))
    elts = None
    if a.elts is not None and b.elts is not None and len(a.elts) == len(b.elts):
        elts = tuple(join_values(x, y) for x, y in zip(a.elts, b.elts, strict=True))
    return Value(union(a.taint, b.taint), types, quals, elts)


def join_envs(a: dict[str, Value] | None, b: dict[str, Value] | None) -> dict[str, Value] | None:
    if a is None:
        return b
    if b is None:
        return a
    out = dict(a)
    for k, v in b.items():
        old = out.get(k)
        if old is None:
            out[k] = v
        elif old is not v:
            out[k] = join_values(old, v)
    return out


def _const_str(node: ast.AST | None) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ""


_CONTAINER_CALLS = frozenset({"list", "dict", "set", "defaultdict", "deque", "OrderedDict", "Counter"})


def _literal(node: ast.AST) -> bool:
    """A constant written out in place (no name lookups): cheap, unlike folding."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(isinstance(e, ast.Constant) for e in node.elts)
    return False


def _is_container(st: ast.AST) -> bool:
    value = getattr(st, "value", None)
    if isinstance(value, (ast.List, ast.Dict, ast.Set)):
        return True
    if isinstance(value, ast.Call):
        f = value.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        return name in _CONTAINER_CALLS
    return False


def _short(node: ast.AST) -> str:
    """A short source-like label for a name, attribute chain or subscript (no ``ast.unparse``)."""
    parts: list[str] = []
    cur = node
    for _ in range(6):
        if isinstance(cur, ast.Attribute):
            parts.append("." + cur.attr)
            cur = cur.value
        elif isinstance(cur, ast.Subscript):
            parts.append("[...]")
            cur = cur.value
        elif isinstance(cur, ast.Call):
            parts.append("()")
            cur = cur.func
        else:
            break
    head = cur.id if isinstance(cur, ast.Name) else "..."
    return head + "".join(reversed(parts))


def _var_key(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _bound_names(target: ast.expr) -> tuple[str, ...]:
    """The plain names a loop target binds (``for k, (a, *b) in ...``)."""
    if isinstance(target, ast.Name):
        return (target.id,)
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return tuple(n for e in target.elts for n in _bound_names(e))
    return ()


def _same_value(a: Value, b: Value) -> bool:
    """Equal content (taint with its traces, types, names, element values)."""
    if a is b:
        return True
    if a.taint != b.taint or a.types != b.types or a.quals != b.quals:
        return False
    if a.elts is None or b.elts is None:
        return a.elts is b.elts
    return len(a.elts) == len(b.elts) and all(_same_value(x, y) for x, y in zip(a.elts, b.elts, strict=True))


@dataclass
class _Fn:
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Module
    qualname: str
    cls: str
    cls_types: tuple[str, ...]
    closure: dict[str, Value] | None


class FileAnalyzer:
    """Builds the :class:`FileSummary` of one module."""

    def __init__(self, ctx: FileContext, index: SpecIndex) -> None:
        self.ctx = ctx
        self.idx = index
        self.sem = ctx.semantic
        self.module = ctx.module
        self.root = self.module.split(".", 1)[0]
        self.summary = FileSummary(self.module)
        self.module_env: dict[str, Value] = {}
        self.global_written: set[str] = set()
        #: Module-level names bound to a list/dict/set (functions may fill them in place).
        self.mutable_globals: set[str] = set()
        self.classes: dict[str, ClassSummary] = {}
        self.imported_roots = {q.split(".", 1)[0] for q in self.sem.imported_modules()}
        self.imported = self.sem.imported_modules()
        self.queue: list[_Fn] = []
        self.errors: list[str] = []
        #: (project class, attribute) -> types of values stored there (``self.s = Session()``).
        self.field_types: dict[tuple[str, str], tuple[str, ...]] = {}
        self.opaque: list[str] = []
        #: Types returned by functions of this module analysed so far (``get_db()`` → Connection).
        self.return_types: dict[str, tuple[str, ...]] = {}
        #: The ParamType heuristics that apply to this module (by its imports).
        self.param_types = [
            pt
            for pt in index.spec.param_types
            if any(r == pt.when_imports or r.startswith(pt.when_imports + ".") for r in self.imported)
        ]
        self.param_types_by_name: dict[str, list[s.ParamType]] = {}
        for pt in self.param_types:
            self.param_types_by_name.setdefault(pt.name, []).append(pt)

    # driver --------------------------------------------------------------------------------
    def run(self) -> FileSummary:
        tree = self.ctx.tree
        # ``global x`` anywhere: every scope of the semantic model knows its global declarations.
        for scope in getattr(self.sem, "_scopes", {}).values():
            if scope.globals:
                self.global_written.update(scope.globals)
        self._collect_classes(tree.body, self.module, None)
        mod_fn = _Fn(tree, f"{self.module}.<module>", "", (), None)
        walker = FunctionAnalyzer(self, mod_fn, is_module=True)
        walker.run()
        self.module_env = walker.env
        for name, value in walker.env.items():
            if value.types and "." not in name:
                self.summary.global_types[name] = value.types
        self.summary.imports = dict(self.sem.module_scope.imports)
        self.summary.defined = tuple(
            st.name
            for st in tree.body
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        )
        while self.queue:
            fn = self.queue.pop(0)
            try:
                FunctionAnalyzer(self, fn).run()
            except RecursionError:
                self.errors.append(f"{fn.qualname}: too deeply nested")
        self.summary.classes = list(self.classes.values())
        self.summary.errors = tuple(self.errors)
        self.summary.opaque = tuple(self.opaque)
        self.summary.return_types = self.return_types
        return self.summary

    def _collect_classes(self, body: list[ast.stmt], prefix: str, closure: dict[str, Value] | None) -> None:
        """Record classes (bases, methods) and queue their methods; module-level functions are
        queued by the module walker when it meets their ``def``."""
        for st in body:
            if isinstance(st, ast.ClassDef):
                qual = f"{prefix}.{st.name}"
                scope = self.sem.scope_for_node(st)
                bases: list[str] = []
                for b in st.bases:
                    q = self.sem.qualname(b, scope.parent if scope and scope.parent else None)
                    if q:
                        bases.append(self.idx.canonical(q))
                methods: dict[str, str] = {}
                for item in st.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        methods[item.name] = _method_kind(item, self.sem)
                self.classes[qual] = ClassSummary(qual, tuple(bases), methods, st.lineno)

    def class_types(self, qual: str) -> tuple[str, ...]:
        """The class and its known bases (same-file classes followed, library bases expanded)."""
        out: list[str] = []
        todo = [qual]
        while todo and len(out) < 32:
            q = todo.pop(0)
            if q in out:
                continue
            out.append(q)
            cls = self.classes.get(q)
            if cls is not None:
                todo.extend(cls.bases)
            else:
                for sup in self.idx.with_supers(q)[1:]:
                    todo.append(sup)
        return tuple(out)

    def queue_function(
        self,
        node: ast.FunctionDef | ast.AsyncFunctionDef,
        qualname: str,
        cls: str,
        closure: dict[str, Value] | None,
    ) -> None:
        cls_types = self.class_types(cls) if cls else ()
        self.queue.append(_Fn(node, qualname, cls, cls_types, closure))

    def is_library(self, qual: str) -> bool:
        root = qual.split(".", 1)[0]
        if root == self.root:
            return False
        return self.idx.is_library(qual) or root in self.idx.model_roots


def _method_kind(node: ast.FunctionDef | ast.AsyncFunctionDef, sem: Any) -> str:
    for d in node.decorator_list:
        name = d.id if isinstance(d, ast.Name) else d.attr if isinstance(d, ast.Attribute) else ""
        if name == "staticmethod":
            return "static"
        if name == "classmethod":
            return "class"
    return "method"


class FunctionAnalyzer:
    """The dataflow of one function body (or the module top level)."""

    def __init__(self, fa: FileAnalyzer, fn: _Fn, *, is_module: bool = False) -> None:
        self.fa = fa
        self.idx = fa.idx
        self.sem = fa.sem
        self.ctx = fa.ctx
        self.fn = fn
        self.is_module = is_module
        self.env: dict[str, Value] = {}
        node = fn.node
        self.scope: Scope = self.sem.scope_for_node(node) or self.sem.module_scope
        name = "<module>" if isinstance(node, ast.Module) else node.name
        self.out = FunctionSummary(
            fn.qualname,
            name,
            getattr(node, "lineno", 1),
            getattr(node, "col_offset", 0),
            cls=fn.cls,
        )
        self.site_ids: dict[int, int] = {}
        self.site_list: list[Site] = []
        self.site_args: list[tuple[list[TaintMap], dict[str, TaintMap], TaintMap, TaintMap]] = []
        self.returns: TaintMap = _EMPTY
        self.self_name = ""
        self.loop_depth = 0
        self.in_class = False
        self.resolved: dict[str, Value] = {}
        self.global_names: set[str] = set(self.scope.globals) if not is_module else set()
        self.locals = self.scope.assigned

    # entry ------------------------------------------------------------------------------------
    def run(self) -> None:
        node = self.fn.node
        if isinstance(node, ast.Module):
            self.block(node.body)
        else:
            self._params(node)
            self._decorators(node)
            end = self.block(node.body)
            del end
        self._finish()

    def _params(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        a = node.args
        params: list[Param] = []
        ordered: list[tuple[ast.arg, ast.expr | None]] = []
        positional = [*a.posonlyargs, *a.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(a.defaults)) + list(a.defaults)
        ordered.extend(zip(positional, defaults, strict=True))
        if a.vararg is not None:
            self.out.vararg = len(ordered)
            ordered.append((a.vararg, None))
        self.out.kwonly_start = len(ordered)
        ordered.extend(zip(a.kwonlyargs, a.kw_defaults, strict=True))
        if a.kwarg is not None:
            self.out.kwarg = len(ordered)
            ordered.append((a.kwarg, None))
        kind = ""
        if self.fn.cls:
            kind = (
                self.fa.classes[self.fn.cls].methods.get(node.name, "method")
                if self.fn.cls in self.fa.classes
                else "method"
            )
        self.out.method_kind = kind
        first_real = 1 if kind in ("method", "class") and positional else 0
        for i, (arg, default) in enumerate(ordered):
            ann_q = self._annotation(arg.annotation) if arg.annotation is not None else ""
            default_q = ""
            if isinstance(default, ast.Call):
                dq = self.sem.qualname(default.func)
                default_q = self.idx.canonical(dq) if dq else ""
            types: tuple[str, ...] = ()
            if i == 0 and kind in ("method", "class") and positional:
                self.self_name = arg.arg
                types = self.fn.cls_types
                self.env[arg.arg] = Value(_EMPTY, types, ())
                params.append(Param(arg.arg, ann_q, default_q, True))
                continue
            if ann_q and ann_q not in _SAFE_BUILTIN_TYPES and not ann_q.startswith("builtins."):
                types = (
                    self.fa.class_types(ann_q) if ann_q in self.fa.classes else self.idx.with_supers(ann_q)
                )
            elif not ann_q:
                for pt in self.fa.param_types_by_name.get(arg.arg, ()):
                    if not pt.first or i == first_real:
                        types = (*types, *self.idx.with_supers(self.idx.canonical(pt.type)))
            taint: TaintMap = {(("P", i), _NOSAN): ()}
            self.env[arg.arg] = Value(taint, types, ())
            params.append(Param(arg.arg, ann_q, default_q, bool(types)))
        self.out.params = tuple(params)

    def _annotation(self, ann: ast.expr | None) -> str:
        for _ in range(4):
            if ann is None:
                return ""
            if isinstance(ann, ast.Subscript):
                outer = self.sem.qualname(ann.value) or ""
                if outer.rsplit(".", 1)[-1] in ("Optional", "Annotated", "Union"):
                    sl = ann.slice
                    ann = sl.elts[0] if isinstance(sl, ast.Tuple) and sl.elts else sl
                    continue
                return self.idx.canonical(outer) if outer else ""
            if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
                left = ann.left
                ann = ann.right if isinstance(left, ast.Constant) and left.value is None else left
                continue
            q = self.sem.qualname(ann)
            return self.idx.canonical(q) if q else ""
        return ""

    def _decorators(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        out: list[Decorator] = []
        for d in node.decorator_list:
            target = d.func if isinstance(d, ast.Call) else d
            quals = self._quals_of(target)
            route = ""
            if isinstance(d, ast.Call):
                route = _const_str(d.args[0]) if d.args else ""
                for kw in d.keywords:
                    if kw.arg in ("rule", "path") and not route:
                        route = _const_str(kw.value)
            if quals:
                out.append(Decorator(quals, route, d.lineno))
        self.out.decorators = tuple(out)

    def _quals_of(self, expr: ast.expr) -> tuple[str, ...]:
        """Qualified names of a decorator target, with module-level types (``app.route``)."""
        if isinstance(expr, ast.Attribute):
            inner = self._quals_of(expr.value)
            base = self.lookup_name(expr.value.id) if isinstance(expr.value, ast.Name) else None
            outs = [f"{q}.{expr.attr}" for q in inner]
            if base is not None:
                outs = [f"{t}.{expr.attr}" for t in base.types] + outs
            return tuple(dict.fromkeys(self.idx.canonical(q) for q in outs))
        if isinstance(expr, ast.Name):
            q = self.sem.qualname(expr, self.scope)
            return (self.idx.canonical(q),) if q else ()
        return ()

    def _finish(self) -> None:
        out = self.out
        used: set[int] = set()

        def refs(taint: TaintMap) -> None:
            for origin, _san in taint:
                if origin[0] == "R":
                    used.add(origin[1])

        refs(self.returns)
        for hit in out.sinks:
            for origin, _san, _tr in hit.taint:
                if origin[0] == "R":
                    used.add(int(origin[1]))  # type: ignore[call-overload]
        for _c, _a, taint in out.field_stores:
            for origin, _san, _tr in taint:
                if origin[0] == "R":
                    used.add(int(origin[1]))  # type: ignore[call-overload]
        for _q, taint in out.global_stores:
            for origin, _san, _tr in taint:
                if origin[0] == "R":
                    used.add(int(origin[1]))  # type: ignore[call-overload]
        for args, kwargs, star, recv in self.site_args:
            for a in args:
                refs(a)
            for kv in kwargs.values():
                refs(kv)
            refs(star)
            refs(recv)
        sites: dict[int, Site] = {}
        for i, (args, kwargs, star, recv) in enumerate(self.site_args):
            has_taint = any(args) or any(kwargs.values()) or bool(star) or bool(recv)
            if not has_taint and i not in used:
                continue
            sites[i] = self.site_list[i]._replace(
                args=tuple(to_tuple(a) for a in args),
                kwargs=tuple((k, to_tuple(v)) for k, v in kwargs.items() if v),
                star=to_tuple(star),
                recv=to_tuple(recv),
            )
        out.sites = sites
        out.returns = to_tuple(self.returns)
        interesting = bool(
            out.sinks
            or sites
            or out.returns
            or out.field_stores
            or out.global_stores
            or out.decorators
            or out.guards
        )
        if self.is_module:
            if interesting:
                self.fa.summary.functions.append(out)
        elif interesting or self._entry_shaped():
            self.fa.summary.functions.append(out)
        else:
            self.fa.opaque.append(out.qualname)

    def _entry_shaped(self) -> bool:
        """Methods of classes with bases, and WSGI-looking functions, keep their parameters
        (a framework may call them with untrusted arguments)."""
        names = tuple(p.name for p in self.out.params)
        return names[:2] == ("environ", "start_response")

    # names ------------------------------------------------------------------------------------
    def lookup_name(self, name: str) -> Value:
        v = self.env.get(name)
        if v is not None:
            return v
        cached = self.resolved.get(name)
        if cached is not None:
            return cached
        value = self._resolve_free(name)
        self.resolved[name] = value
        return value

    def _resolve_free(self, name: str) -> Value:
        if not self.is_module and name in self.locals and name not in self.global_names:
            return _BLANK
        closure = self.fn.closure
        if closure is not None and name in closure:
            return closure[name]
        q = self.sem.qualname(ast.Name(id=name, ctx=ast.Load()), self.scope)
        quals = (self.idx.canonical(q),) if q else ()
        if not self.is_module:
            mv = self.fa.module_env.get(name)
            if mv is not None:
                taint: TaintMap = _EMPTY
                if mv.taint or name in self.fa.global_written or name in self.fa.mutable_globals:
                    g = f"{self.fa.module}.{name}"
                    taint = {(("G", g), _NOSAN): ()}
                return Value(taint, mv.types, quals or mv.quals, None)
        return Value(_EMPTY, (), quals)

    # statements ---------------------------------------------------------------------------
    def block(self, body: list[ast.stmt]) -> bool:
        """Interpret ``body``; False when every path through it exits (the rest is not read)."""
        stmt = self.stmt
        for st in body:  # noqa: SIM110 - a plain loop: all() over a generator costs more here
            if not stmt(st):
                return False
        return True

    def _branch(self, body: list[ast.stmt], env: dict[str, Value]) -> dict[str, Value] | None:
        saved = self.env
        self.env = env
        try:
            alive = self.block(body)
            return self.env if alive else None
        finally:
            self.env = saved

    def stmt(self, st: ast.stmt) -> bool:
        t = type(st)
        if t is _EXPR:
            ev = st.value  # type: ignore[attr-defined]
            if isinstance(ev, (ast.Yield, ast.YieldFrom)) and ev.value is not None:
                self.returns = union(self.returns, self.expr(ev.value).taint)
                return True
            self.expr(ev)
            if isinstance(ev, ast.Call):
                q = self._callee_qual(ev)
                if q in _EXITS:
                    return False
            return True
        if t is _ASSIGN:
            value = self.expr(st.value)  # type: ignore[attr-defined]
            for target in st.targets:  # type: ignore[attr-defined]
                self.assign(target, value, st)
            return True
        if t is _IF:
            return self._if(st)  # type: ignore[arg-type]
        if t is _RETURN:
            return self._return(st)  # type: ignore[arg-type]
        handler = _STMT_HANDLERS.get(t)
        return True if handler is None else handler(self, st)

    def _s_annassign(self, st: ast.AnnAssign) -> bool:
        if st.value is not None:
            self.assign(st.target, self.expr(st.value), st)
        return True

    def _s_augassign(self, st: ast.AugAssign) -> bool:
        value = self.expr(st.value)
        old = (
            self.expr(st.target)
            if isinstance(st.target, (ast.Name, ast.Attribute, ast.Subscript))
            else _BLANK
        )
        merged = Value(union(old.taint, value.taint), old.types, old.quals)
        if isinstance(st.op, ast.Add) and old.elts is not None and value.elts is not None:
            merged.elts = (*old.elts, *value.elts)
        self.assign(st.target, merged, st)
        return True

    def _return(self, st: ast.Return) -> bool:
        if not self.is_module:
            self._guard_return(st.value)
        if st.value is not None:
            v = self.expr(st.value)
            if v.types and not self.is_module:
                known = self.fa.return_types.get(self.fn.qualname, ())
                self.fa.return_types[self.fn.qualname] = tuple(dict.fromkeys((*known, *v.types)))
            if v.taint:
                self.returns = union(self.returns, with_step(v.taint, (st.lineno, st.col_offset, "returned")))
                self.out.return_lines = (*self.out.return_lines, (st.lineno, st.col_offset))
                body = _body_taint(st.value, v)
                if body:
                    step = (st.lineno, st.col_offset, "returned as the response")
                    self.out.body_returns.append((st.lineno, st.col_offset, to_tuple(with_step(body, step))))
        return False

    def _s_with(self, st: ast.With | ast.AsyncWith) -> bool:
        for item in st.items:
            v = self.expr(item.context_expr)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, v, st)
        return self.block(st.body)

    def _s_raise(self, st: ast.Raise) -> bool:
        if st.exc is not None:
            self.expr(st.exc)
        return False

    def _s_jump(self, st: ast.stmt) -> bool:
        return False

    def _s_def(self, st: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        self._def(st)
        return True

    def _s_class(self, st: ast.ClassDef) -> bool:
        self._classdef(st)
        return True

    def _s_assert(self, st: ast.Assert) -> bool:
        self.expr(st.test)
        facts_true, _ = self.conditions(st.test)
        self.apply(facts_true)
        return True

    def _s_import(self, st: ast.Import | ast.ImportFrom) -> bool:
        for alias in st.names:
            local = alias.asname or alias.name.split(".")[0]
            self.env.pop(local, None)
            self.resolved.pop(local, None)
        return True

    def _s_global(self, st: ast.Global) -> bool:
        self.global_names.update(st.names)
        return True

    def _def(self, st: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for d in st.decorator_list:
            self.expr(d)
        if self.is_module:
            qual = f"{self.fa.module}.{st.name}"
            closure = None
        else:
            qual = f"{self.fn.qualname}.{st.name}"
            closure = dict(self.fn.closure or {})
            closure.update(self.env)
        self.env[st.name] = Value(_EMPTY, (), (qual,))
        self.fa.queue_function(st, qual, "", closure)

    def _classdef(self, st: ast.ClassDef) -> None:
        if self.is_module:
            qual = f"{self.fa.module}.{st.name}"
            closure = None
        else:
            qual = f"{self.fn.qualname}.{st.name}"
            closure = dict(self.fn.closure or {})
            closure.update(self.env)
            if qual not in self.fa.classes:
                self.fa._collect_classes([st], self.fn.qualname, closure)
        self.env[st.name] = Value(_EMPTY, (), (qual,))
        self._class_body(st, qual, closure)

    def _class_body(self, st: ast.ClassDef, qual: str, closure: dict[str, Value] | None) -> None:
        # The statements of a class body run once, at definition time, in their own namespace:
        # interpreted here on a copy of the environment; what they bind is a class attribute.
        saved, saved_in_class = self.env, self.in_class
        self.env = dict(self.env)
        self.in_class = True
        try:
            for item in st.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.fa.queue_function(item, f"{qual}.{item.name}", qual, closure)
                elif isinstance(item, ast.ClassDef):
                    inner = f"{qual}.{item.name}"
                    if inner not in self.fa.classes:
                        self.fa._collect_classes([item], qual, closure)
                    self._class_body(item, inner, closure)
                elif not self.stmt(item):
                    break
            for name, value in self.env.items():
                if value.taint and saved.get(name) is not value and "." not in name:
                    self.out.field_stores.append((qual, name, to_tuple(value.taint)))
        finally:
            self.env, self.in_class = saved, saved_in_class

    def _if(self, st: ast.If) -> bool:
        self.expr(st.test)
        facts_true, facts_false = self.conditions(st.test)
        env_true = dict(self.env)
        env_false = dict(self.env)
        saved = self.env
        self.env = env_true
        self.apply(facts_true)
        self.env = env_false
        self.apply(facts_false)
        self.env = saved
        out_true = self._branch(st.body, env_true)
        out_false = self._branch(st.orelse, env_false) if st.orelse else env_false
        joined = join_envs(out_true, out_false)
        if joined is None:
            return False
        self.env = joined
        return True

    def _loop_body(
        self,
        body: list[ast.stmt],
        orelse: list[ast.stmt],
        bind: ast.expr | None,
        value: Value | None,
        st: ast.stmt,
    ) -> bool:
        passes = 2 if self.loop_depth < 2 else 1
        self.loop_depth += 1
        try:
            for i in range(passes):
                before = self._loop_state() if i == 0 and passes > 1 else None
                env = dict(self.env)
                saved = self.env
                self.env = env
                if bind is not None and value is not None:
                    self.assign(bind, value, st)
                alive = self.block(body)
                out = self.env if alive else None
                self.env = saved
                joined = join_envs(self.env, out)
                if joined is not None:
                    self.env = joined
                if before is not None and self._loop_settled(before, saved, bind):
                    # One pass reached the fixpoint: a second pass would start from the same
                    # state and repeat the first exactly.
                    break
        finally:
            self.loop_depth -= 1
        if orelse:
            return self.block(orelse)
        return True

    def _loop_state(self) -> tuple[Any, ...]:
        """What a loop body reads besides the environment and may change: compared after the
        first pass to decide whether a second one can see anything new."""
        fa = self.fa
        return (
            dict(fa.field_types),
            dict(fa.return_types),
            len(fa.classes),
            len(fa.mutable_globals),
            len(self.global_names),
        )

    def _loop_settled(self, before: tuple[Any, ...], pre: dict[str, Value], bind: ast.expr | None) -> bool:
        """Whether the state after one pass of a loop body equals the state before it, up to the
        loop target (assigned afresh at the start of every pass) and to locals first bound in
        the body to a value that carries nothing (reading them unbound gives the same)."""
        if self._loop_state() != before:
            return False
        post = self.env
        if post is pre:
            return True
        targets = _bound_names(bind) if bind is not None else ()
        for key, v in post.items():
            old = pre.get(key)
            if old is v or key in targets:
                continue
            if old is None:
                if (
                    not self.is_module
                    and "." not in key
                    and key in self.locals
                    and key not in self.global_names
                    and not v.taint
                    and not v.types
                    and not v.quals
                    and v.elts is None
                ):
                    continue
                return False
            if not _same_value(old, v):
                return False
        return True

    def _for(self, st: ast.For | ast.AsyncFor) -> bool:
        it = self.expr(st.iter)
        elem = Value(it.taint, (), ())
        if it.elts:
            elem = Value(union_all(e.taint for e in it.elts), (), ())
        return self._loop_body(st.body, st.orelse, st.target, elem, st)

    def _while(self, st: ast.While) -> bool:
        self.expr(st.test)
        alive = self._loop_body(st.body, st.orelse, None, None, st)
        if isinstance(st.test, ast.Constant) and st.test.value is True and not _has_break(st.body):
            return False
        return alive

    def _try(self, st: Any) -> bool:
        pre = dict(self.env)
        body_out = self._branch(st.body, dict(self.env))
        outs: list[dict[str, Value] | None] = []
        if st.orelse and body_out is not None:
            outs.append(self._branch(st.orelse, body_out))
        else:
            outs.append(body_out)
        handler_in = join_envs(pre, body_out) or pre
        for h in st.handlers:
            env = dict(handler_in)
            if h.name:
                env[h.name] = _BLANK
            outs.append(self._branch(h.body, env))
        result: dict[str, Value] | None = None
        for o in outs:
            result = join_envs(result, o)
        if st.finalbody:
            fin_env = result if result is not None else dict(handler_in)
            fin = self._branch(st.finalbody, fin_env)
            if fin is None:
                return False
            if result is not None:
                result = fin
        if result is None:
            return False
        self.env = result
        return True

    def _match(self, st: ast.Match) -> bool:
        subject = self.expr(st.subject)
        result: dict[str, Value] | None = None
        irrefutable = False
        for case in st.cases:
            env = dict(self.env)
            for node in ast.walk(case.pattern):
                name = getattr(node, "name", None) or getattr(node, "rest", None)
                if isinstance(name, str):
                    env[name] = Value(subject.taint, (), ())
            if isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None and case.guard is None:
                irrefutable = True
            saved = self.env
            self.env = env
            if case.guard is not None:
                self.expr(case.guard)
            self.env = saved
            result = join_envs(result, self._branch(case.body, env))
        if not irrefutable:
            result = join_envs(result, self.env)
        if result is None:
            return False
        self.env = result
        return True

    # assignment -------------------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Value, st: ast.AST) -> None:
        if isinstance(target, ast.Name):
            name = target.id
            if self.is_module and not self.in_class and _is_container(st):
                self.fa.mutable_globals.add(name)
            taint = value.taint
            if taint:
                taint = with_step(taint, (target.lineno, target.col_offset, f"assigned to `{name}`"))
            v = Value(taint, value.types, value.quals, value.elts)
            self.env[name] = v
            if (
                not self.in_class
                and (self.is_module or name in self.global_names)
                and ((taint and not self.is_module) or (taint and name in self.fa.global_written))
            ):
                self.out.global_stores.append((f"{self.fa.module}.{name}", to_tuple(taint)))
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            starred = any(isinstance(e, ast.Starred) for e in elts)
            if value.elts is not None and not starred and len(value.elts) == len(elts):
                for t, ev in zip(elts, value.elts, strict=True):
                    self.assign(t, ev, st)
            else:
                whole = Value(value.taint, (), ())
                for t in elts:
                    self.assign(t.value if isinstance(t, ast.Starred) else t, whole, st)
            return
        if isinstance(target, ast.Starred):
            self.assign(target.value, value, st)
            return
        if isinstance(target, ast.Attribute):
            base = self.expr(target.value)
            if value.types:
                fcls = self._field_class(target.value, base)
                if fcls:
                    had = self.fa.field_types.get((fcls, target.attr), ())
                    self.fa.field_types[(fcls, target.attr)] = tuple(dict.fromkeys((*had, *value.types)))
            key = _var_key(target)
            taint = value.taint
            if taint:
                taint = with_step(taint, (target.lineno, target.col_offset, f"stored in `{_short(target)}`"))
            if key is not None:
                self.env[key] = Value(taint, value.types, value.quals, value.elts)
            self._store_sinks(self._attr_quals(base, target.attr), value.taint, target)
            if taint:
                cls = self._field_class(target.value, base)
                if cls:
                    self.out.field_stores.append((cls, target.attr, to_tuple(taint)))
            return
        if isinstance(target, ast.Subscript):
            container = self.expr(target.value)
            self.expr(target.slice)
            quals = [*container.quals]
            for typ in container.types:
                quals.extend(self.idx.with_supers(typ))
            self._store_sinks(quals, value.taint, target)
            if value.taint:
                key = _var_key(target.value)
                taint = with_step(
                    value.taint, (target.lineno, target.col_offset, f"stored in `{_short(target)}`")
                )
                if key is not None:
                    old = self.env.get(key) or container
                    self.env[key] = Value(union(old.taint, taint), old.types, old.quals)
                    if isinstance(target.value, ast.Attribute):
                        cls = self._field_class(target.value.value, self.expr(target.value.value))
                        if cls:
                            self.out.field_stores.append((cls, target.value.attr, to_tuple(taint)))
                    elif self._is_global(key):
                        self.out.global_stores.append((f"{self.fa.module}.{key}", to_tuple(taint)))

    def _field_class(self, base_expr: ast.expr, base: Value) -> str:
        if isinstance(base_expr, ast.Name) and base_expr.id == self.self_name and self.fn.cls:
            return self.fn.cls
        for t in base.types:
            if t not in self.idx.library_types and not self.fa.is_library(t):
                return t
        return ""

    def _store_sinks(self, quals: Iterable[str], taint: TaintMap, target: ast.expr) -> None:
        if not taint or not self.idx.store_sinks:
            return
        seen: set[str] = set()
        for q in quals:
            for sink in self.idx.store_sinks.get(q, ()):
                if sink.vuln in seen or (sink.when and not _store_key_ok(sink, target, self.ctx)):
                    continue
                seen.add(sink.vuln)
                self._hit(sink, taint, target, sink.label or f"{q}[...] =", "store")

    # conditions (guards) ----------------------------------------------------------------------
    Fact = tuple[str, tuple[str, ...], str | None]

    def conditions(self, test: ast.expr) -> tuple[list[Fact], list[Fact]]:
        """Facts (var key, classes cleared, required mark) that hold when ``test`` is true / false."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            t, f = self.conditions(test.operand)
            return f, t
        if isinstance(test, ast.BoolOp):
            parts = [self.conditions(v) for v in test.values]
            if isinstance(test.op, ast.And):
                # false when any operand is false: what every operand's failure proves
                # (``if (nxt or accepts_html) and not is_safe(nxt): ...`` -- either ``nxt`` is
                # empty or it passed the check)
                return [x for p in parts for x in p[0]], _common_facts([p[1] for p in parts])
            # ``x is None or x == ""``: what every alternative proves holds when the test does
            return _common_facts([p[0] for p in parts]), [x for p in parts for x in p[1]]
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op = test.ops[0]
            left, right = test.left, test.comparators[0]
            if isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)):
                key = _var_key(left)
                other = right
                if key is None and isinstance(op, (ast.Eq, ast.NotEq)):
                    key, other = _var_key(right), left
                if key is not None and (
                    self._is_constant(other)
                    or (isinstance(op, (ast.In, ast.NotIn)) and self._untainted_collection(other))
                ):
                    fact = (key, s.ALL, None)
                    if isinstance(op, (ast.In, ast.Eq)):
                        return [fact], []
                    return [], [fact]
                if isinstance(op, (ast.Eq, ast.NotEq)):
                    # ``os.path.commonpath([p, base]) == base``: the guard passed when equal
                    call = left if isinstance(left, ast.Call) else right
                    rest = right if call is left else left
                    if isinstance(call, ast.Call) and not isinstance(rest, ast.Constant):
                        gfacts = self._guard_call(call)
                        if gfacts:
                            return (gfacts, []) if isinstance(op, ast.Eq) else ([], gfacts)
            if (
                isinstance(op, (ast.Is, ast.IsNot))
                and isinstance(right, ast.Constant)
                and right.value is None
            ):
                t, f = self.conditions(left)
                nkey = _var_key(left)
                if nkey is not None:
                    # ``x is None``: no data where it holds
                    f = [*f, (nkey, s.ALL, None)]
                return (f, t) if isinstance(op, ast.Is) else (t, f)
            return [], []
        if isinstance(test, ast.NamedExpr):
            return self.conditions(test.value)
        if isinstance(test, (ast.Name, ast.Attribute)):
            # ``if x:`` is false only for an empty value (``""``, ``None``, ``0``): no data
            tkey = _var_key(test)
            return ([], [(tkey, s.ALL, None)]) if tkey is not None else ([], [])
        if isinstance(test, ast.Call):
            facts = self._guard_call(test)
            return facts, []
        return [], []

    def _untainted_collection(self, node: ast.expr) -> bool:
        """``name in self._allowed``: a container attribute or variable holding no tainted or
        parameter data (membership then proves the value is one of the server's own)."""
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return False
        v = self.expr(node)
        if not v.taint:
            return True
        # ``self._allowed``: only the object's own parameter reaches it here (fields written
        # from tainted data elsewhere are the linker's business, not this method's)
        return (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == self.self_name
            and all(o == ("P", 0) or (o[0] == "F" and o[1] == self.fn.cls) for (o, _sc) in v.taint)
        )

    def _guard_return(self, value: ast.expr | None) -> None:
        """Record what a truthy ``return`` proves about each parameter (guard functions:
        ``return url_has_allowed_host_and_scheme(u, ...)``, ``return name in self.allowed``,
        ``if not p.startswith("/"): return False`` then ``return True``)."""
        out = self.out
        if out.guards is not None and not out.guards:
            return  # already known not to be a guard
        if value is None or (isinstance(value, ast.Constant) and not value.value):
            return  # a falsy return proves nothing and does not spoil the guard
        if not out.params or not (
            isinstance(value, (ast.Compare, ast.Call, ast.BoolOp, ast.UnaryOp))
            or (isinstance(value, ast.Constant) and value.value is True)
        ):
            out.guards = {}  # returns a value, not a verdict: not a guard
            return
        facts, _ = self.conditions(value)
        saved = self.env
        if facts:
            self.env = dict(saved)
        try:
            self.apply(facts)
            guards: dict[int, frozenset[str]] = {}
            for i, prm in enumerate(out.params):
                before = saved.get(prm.name)
                after = self.env.get(prm.name)
                if before is None or after is None:
                    continue
                mine = [sc for (o, sc) in after.taint if o == ("P", i)]
                if mine:
                    common = frozenset.intersection(*mine)
                elif any(o == ("P", i) for (o, _sc) in before.taint):
                    common = frozenset(s.ALL)  # the return's own test cleared it completely
                else:
                    continue
                common = frozenset(c for c in common if not c.startswith("?g"))
                if common:
                    guards[i] = common
        finally:
            self.env = saved
        if out.guards is None:
            out.guards = guards
        else:
            merged: dict[int, frozenset[str]] = {}
            for i, cl in out.guards.items():
                other = guards.get(i)
                if other is None:
                    continue
                both = other if "*" in cl else cl if "*" in other else cl & other
                if both:
                    merged[i] = both
            out.guards = merged

    def _is_constant(self, node: ast.expr) -> bool:
        if _literal(node):
            return True
        if isinstance(node, ast.Name) and self.ctx.is_constant(node):
            return True
        if isinstance(node, ast.Name):
            v = self.lookup_name(node.id)
            return not v.taint and node.id not in self.env and node.id.isupper()
        if isinstance(node, ast.Attribute):
            return node.attr.isupper() and not self.expr(node).taint
        return False

    def _guard_call(self, call: ast.Call) -> list[Fact]:
        func = call.func
        if isinstance(func, ast.Name) and func.id == "isinstance" and len(call.args) == 2:
            key = _var_key(call.args[0])
            kinds = call.args[1]
            names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
            if key and all(
                isinstance(n, ast.Name) and n.id in ("int", "float", "bool", "complex") for n in names
            ):
                return [(key, s.ALL, None)]
            return []
        facts: list[FunctionAnalyzer.Fact] = []
        if isinstance(func, ast.Attribute):
            g = self.idx.method_guards.get(func.attr)
            key = _var_key(func.value)
            if g is not None and key is not None:
                facts.append((key, g.clears, g.requires))
        quals = self._quals_for_call(call)
        if quals and not any(q in self.idx.guards for q in quals):
            facts.extend(self._project_guard(call, quals[0]))
        for q in quals:
            g = self.idx.guards.get(q)
            if g is None:
                continue
            arg = self.ctx.argument(call, g.arg, g.keyword)
            checked = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg] if arg is not None else []
            for item in checked:
                key = _var_key(item)
                if key is not None:
                    facts.append((key, g.clears, g.requires))
            break
        return facts

    def _project_guard(self, call: ast.Call, callee: str) -> list[Fact]:
        """A call of a project function as a test: each variable argument is marked with a
        deferred ``?g`` token the linker resolves with the callee's ``guards`` summary."""
        if self.fa.is_library(callee) or callee in self.idx.library_types or callee in self.fa.classes:
            return []
        bound = "m" if isinstance(call.func, ast.Attribute) else "f"
        out: list[FunctionAnalyzer.Fact] = []
        for j, a in enumerate(call.args):
            if isinstance(a, ast.Starred):
                break
            key = _var_key(a)
            if key is not None:
                out.append((key, (f"?g{bound}{j}:{callee}",), None))
        for kw in call.keywords:
            key = _var_key(kw.value) if kw.arg is not None else None
            if key is not None:
                out.append((key, (f"?g{bound}{kw.arg}:{callee}",), None))
        return out

    def apply(self, facts: list[Fact]) -> None:
        for key, clears, requires in facts:
            v = self.env.get(key)
            if v is None:
                if "." in key:
                    base, _, attr = key.partition(".")
                    bv = self.lookup_name(base)
                    v = self._attr_value(bv, attr, None, False)
                else:
                    v = self.lookup_name(key)
            if v.taint:
                cleared = guard_sanitize(v.taint, clears, requires)
                if "*" in clears and not self.is_module:
                    # a parameter checked completely keeps a cleared entry, so a guard
                    # function's later ``return True`` still knows it was checked
                    for (o, sc), tr in v.taint.items():
                        if o[0] == "P" and (requires is None or requires in sc):
                            cleared = {**cleared, (o, sc | frozenset(s.ALL)): tr}
                self.env[key] = Value(cleared, v.types, v.quals, v.elts)

    # expressions ------------------------------------------------------------------------------
    def expr(self, node: ast.expr) -> Value:
        t = type(node)
        if t is _NAME:
            return self.lookup_name(node.id)  # type: ignore[attr-defined]
        if t is _CONSTANT:
            return _BLANK
        if t is _ATTRIBUTE:
            key = _var_key(node)
            if key is not None:
                hit = self.env.get(key)
                if hit is not None:
                    return hit
            base = self.expr(node.value)  # type: ignore[attr-defined]
            return self._attr_value(base, node.attr, node, True, node.value)  # type: ignore[attr-defined]
        if t is _CALL:
            return self.call(node)  # type: ignore[arg-type]
        handler = _EXPR_HANDLERS.get(t)
        return _BLANK if handler is None else handler(self, node)

    def _e_joined(self, node: ast.JoinedStr) -> Value:
        parts = [self.expr(v).taint for v in node.values]
        jpieces = list(zip(node.values, parts, strict=True))
        jtaint = _query_split(jpieces, self.ctx)
        if jtaint and _fixed_before_taint(jpieces, self.ctx):
            jtaint = sanitize(jtaint, _ORIGIN_CLASSES)
        return Value(jtaint)

    def _e_formatted(self, node: ast.FormattedValue) -> Value:
        ftv = self.expr(node.value).taint
        if ftv and node.conversion in (ord("r"), ord("a")):
            ftv = sanitize(ftv, _ESCAPED_CLASSES)
        return Value(ftv)

    def _e_binop(self, node: ast.BinOp) -> Value:
        return Value(self._binop(node))

    def _e_subscript(self, node: ast.Subscript) -> Value:
        container = self.expr(node.value)
        self.expr(node.slice)
        idx = node.slice
        if container.elts is not None and isinstance(idx, ast.Constant) and isinstance(idx.value, int):
            try:
                return container.elts[idx.value]
            except IndexError:
                pass
        if container.taint and self._trusted_key(container, idx):
            return _BLANK
        types: tuple[str, ...] = ()
        for q in self._all_quals(container):
            t = self.idx.item_types.get(q)
            if t:
                types = self.idx.with_supers(t)
                break
        return Value(container.taint, types, ())

    def _e_sequence(self, node: ast.List | ast.Tuple) -> Value:
        vals = [self.expr(e) for e in node.elts]
        taint = union_all(v.taint for v in vals)
        starred = any(isinstance(e, ast.Starred) for e in node.elts)
        return Value(taint, (), (), None if starred else tuple(vals))

    def _e_set(self, node: ast.Set) -> Value:
        return Value(union_all(self.expr(e).taint for e in node.elts))

    def _e_dict(self, node: ast.Dict) -> Value:
        dtaint: TaintMap = _EMPTY
        for k, dv in zip(node.keys, node.values, strict=True):
            if k is not None:
                dtaint = union(dtaint, self.expr(k).taint)
            vt = self.expr(dv).taint
            if vt and self.idx.key_sanitizers and isinstance(k, ast.Constant) and isinstance(k.value, str):
                for ksan in self.idx.key_sanitizers.get(k.value, ()):
                    vt = sanitize(vt, ksan.clears, ksan.marks)
            dtaint = union(dtaint, vt)
        return Value(dtaint)

    def _e_boolop(self, node: ast.BoolOp) -> Value:
        vals = [self.expr(v) for v in node.values]
        out = vals[0]
        for v in vals[1:]:
            out = join_values(out, v)
        return out

    def _e_compare(self, node: ast.Compare) -> Value:
        self.expr(node.left)
        for c in node.comparators:
            self.expr(c)
        return _BLANK

    def _e_unary(self, node: ast.UnaryOp) -> Value:
        v = self.expr(node.operand)
        return _BLANK if isinstance(node.op, ast.Not) else Value(v.taint)

    def _e_ifexp(self, node: ast.IfExp) -> Value:
        self.expr(node.test)
        return join_values(self.expr(node.body), self.expr(node.orelse))

    def _e_named(self, node: ast.NamedExpr) -> Value:
        v = self.expr(node.value)
        self.assign(node.target, v, node)
        return v

    def _e_inner(self, node: ast.Await | ast.Starred) -> Value:
        return self.expr(node.value)

    def _e_yield(self, node: ast.Yield | ast.YieldFrom) -> Value:
        if node.value is not None:
            v = self.expr(node.value)
            self.returns = union(self.returns, v.taint)
        return _BLANK

    def _e_slice(self, node: ast.Slice) -> Value:
        for part in (node.lower, node.upper, node.step):
            if part is not None:
                self.expr(part)
        return _BLANK

    def _binop(self, node: ast.BinOp) -> TaintMap:
        printf = self._printf(node)
        if printf is not None:
            return printf
        # Flatten left-deep chains ("a" + b + "c" + ...) without recursion.
        operands: list[ast.expr] = []
        cur: ast.expr = node
        while isinstance(cur, ast.BinOp):
            operands.append(cur.right)
            cur = cur.left
        operands.append(cur)
        taint: TaintMap = _EMPTY
        pieces: list[tuple[ast.expr, TaintMap]] = []
        for op in reversed(operands):
            t = self.expr(op).taint
            pieces.append((op, t))
            taint = union(taint, t)
        if taint and _all_add(node):
            taint = _query_split(pieces, self.ctx)
        pinned = isinstance(node.op, ast.Mod) and _origin_pinned(node)
        if taint and (pinned or (_all_add(node) and _fixed_before_taint(pieces, self.ctx))):
            taint = sanitize(taint, _ORIGIN_CLASSES)
        return taint

    def _printf(self, node: ast.BinOp) -> TaintMap | None:
        """``"const %s %r %d" % (a, b, c)``: each argument as its conversion renders it (``%r``
        escapes line breaks, numbers carry nothing); None when the format is not that simple."""
        fmt = node.left
        if (
            not (
                isinstance(node.op, ast.Mod) and isinstance(fmt, ast.Constant) and isinstance(fmt.value, str)
            )
            or "%(" in fmt.value
        ):
            return None
        convs = [c for c in _PRINTF.findall(fmt.value) if c != "%"]
        items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        if len(items) != len(convs) or any(isinstance(i, ast.Starred) for i in items):
            return None
        taint: TaintMap = _EMPTY
        # the constant text before each conversion (unknown when "%%" shifts the pieces)
        texts = _PRINTF.split(fmt.value)[::2] if "%%" not in fmt.value else []
        pieces: list[tuple[ast.expr, TaintMap]] = []
        for i, (item, conv) in enumerate(zip(items, convs, strict=True)):
            t = self.expr(item).taint
            if conv in "ra":
                t = sanitize(t, _ESCAPED_CLASSES)
            elif conv not in "sc":
                t = _EMPTY
            if i < len(texts):
                pieces.append((ast.Constant(texts[i]), _EMPTY))
            pieces.append((item, t))
            taint = union(taint, t)
        if taint and texts:
            taint = _query_split(pieces, self.ctx)
        if taint and (_origin_pinned(node) or _fixed_before_taint(pieces, self.ctx)):
            taint = sanitize(taint, _ORIGIN_CLASSES)
        return taint

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> Value:
        saved = self.env
        self.env = dict(self.env)
        try:
            for gen in node.generators:
                it = self.expr(gen.iter)
                elem = Value(union_all(e.taint for e in it.elts) if it.elts else it.taint)
                self.assign(gen.target, elem, node)
                for cond in gen.ifs:
                    self.expr(cond)
                    facts, _ = self.conditions(cond)
                    self.apply(facts)
            if isinstance(node, ast.DictComp):
                taint = union(self.expr(node.key).taint, self.expr(node.value).taint)
            else:
                taint = self.expr(node.elt).taint
        finally:
            self.env = saved
        return Value(taint)

    def _lambda(self, node: ast.Lambda) -> Value:
        saved = self.env
        self.env = dict(self.env)
        try:
            a = node.args
            for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]:
                if arg is not None:
                    self.env[arg.arg] = _BLANK
            return Value(self.expr(node.body).taint)
        finally:
            self.env = saved

    def _attr_quals(self, base: Value, attr: str) -> list[str]:
        quals: list[str] = []
        for q in base.quals:
            quals.append(self.idx.canonical(f"{q}.{attr}"))
        for t in base.types:
            for sup in self.idx.with_supers(t) if t not in self.fa.classes else (t,):
                quals.append(f"{sup}.{attr}")
        if not quals and base.taint:
            # A value returned by a project call whose type is only known to the project phase
            # (``conn = db.get_connection()`` in another module): ``<R3>.cursor`` names the
            # method on "whatever call site 3 returns"; the linker resolves it.
            for origin, _san in base.taint:
                if origin[0] == "R":
                    quals.append(f"<R{origin[1]}>.{attr}")
                    break
        return quals

    def _trusted_key(self, container: Value, key: ast.expr | None) -> bool:
        """``request.META["REMOTE_ADDR"]``: a constant key the server sets in a source mapping."""
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return False
        for q in container.quals:
            src = self.idx.sources.get(q)
            if src is not None and src.trusted_keys:
                return key.value in src.trusted_keys
        return False

    def _all_quals(self, v: Value) -> list[str]:
        out = list(v.quals)
        for t in v.types:
            out.extend(self.idx.with_supers(t))
        return out

    def _attr_value(
        self,
        base: Value,
        attr: str,
        node: ast.expr | None,
        field_atom: bool,
        base_expr: ast.expr | None = None,
    ) -> Value:
        quals = self._attr_quals(base, attr)
        taint = base.taint
        src, types = self.idx.attr_facts(tuple(quals))
        source_hit = src is not None
        if src is not None and node is not None:
            taint = union(taint, self._source_taint(src, node))
        ftypes: tuple[str, ...] = ()
        if not types and base_expr is not None and self.fa.field_types:
            fcls = self._field_class(base_expr, base)
            if fcls:
                ftypes = self.fa.field_types.get((fcls, attr), ())
        if field_atom and not source_hit and not types and node is not None and base_expr is not None:
            cls = self._field_class(base_expr, base)
            if cls:
                step: Step = (node.lineno, node.col_offset, f"attribute `.{attr}`")
                taint = union(taint, {(("F", cls, attr), _NOSAN): (step,)})
        return Value(taint, types or ftypes, tuple(dict.fromkeys(quals)))

    def _source_taint(self, src: s.Source, node: ast.AST) -> TaintMap:
        label = src.label or src.pattern
        step: Step = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0), f"source: {label}")
        return {(("S", label, src.kind), frozenset(src.marks) if src.marks else _NOSAN): (step,)}

    # calls ------------------------------------------------------------------------------------
    def _callee_qual(self, call: ast.Call) -> str:
        q = (
            self.sem.qualname(call.func, self.scope)
            if isinstance(call.func, (ast.Name, ast.Attribute))
            else None
        )
        return self.idx.canonical(q) if q else ""

    def _quals_for_call(self, call: ast.Call) -> list[str]:
        func = call.func
        if isinstance(func, ast.Attribute):
            base = self.expr(func.value)
            return self._attr_quals(base, func.attr)
        if isinstance(func, ast.Name):
            return list(self.lookup_name(func.id).quals)
        return []

    def call(self, node: ast.Call) -> Value:
        func = node.func
        method = ""
        recv: Value | None = None
        idx = self.idx
        if isinstance(func, ast.Attribute):
            method = func.attr
            recv = self.expr(func.value)
            quals = self._attr_quals(recv, method)
            ftaint = recv.taint
        else:
            fv = self.expr(func)
            quals = list(fv.quals)
            for typ in fv.types:
                quals.append(f"{typ}.__call__")
            if not quals and fv.types:
                # calling an object of a library type: ``XPathEvaluator(doc)(expr)``
                quals = [f"{t}.__call__" for t in fv.types if t in idx.library_types or self.fa.is_library(t)]
            ftaint = fv.taint
        src, sink_q, sinks, sans, prop = idx.call_facts(tuple(quals))
        if src is not None:
            ftaint = union(ftaint, self._source_taint(src, node))
        args: list[Value] = []
        star: TaintMap = _EMPTY
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.expr(a.value)
                star = union(star, v.taint)
                args.append(v)
            else:
                args.append(self.expr(a))
        kwargs: dict[str, Value] = {}
        for kw in node.keywords:
            v = self.expr(kw.value)
            if kw.arg is None:
                star = union(star, v.taint)
            else:
                kwargs[kw.arg] = v
        all_args = star
        for av in args:
            all_args = union(all_args, av.taint)
        for v in kwargs.values():
            all_args = union(all_args, v.taint)
        if (
            method == "get"
            and recv is not None
            and recv.taint
            and node.args
            and self._trusted_key(recv, node.args[0])
        ):
            return Value(args[1].taint if len(args) > 1 else _EMPTY)

        # registration of handlers (urls.py, add_url_rule...)
        last = method or (func.id if isinstance(func, ast.Name) else "")
        if last in _REGISTER_NAMES and quals:
            self._registration(node, quals)

        # sinks
        matched_model = False
        method_sinks = idx.method_sinks.get(method) if method else None
        if sinks or method_sinks:
            seen_vuln: set[tuple[str, str]] = set()
            if sinks:
                matched_model = True
                for sink in sinks:
                    self._check_sink(sink, node, args, kwargs, star, recv, sink_q, seen_vuln)
            for sink in method_sinks or ():
                self._check_sink(sink, node, args, kwargs, star, recv, f"{method}()", seen_vuln)

        # sanitizers: every declaration of the matched name whose conditions hold applies
        project_recv = (
            recv is not None
            and bool(recv.types)
            and any(typ not in idx.library_types and not self.fa.is_library(typ) for typ in recv.types)
        )
        if sans is None and method and not project_recv:
            sans = idx.method_sanitizers.get(method)
        if sans:
            active = [
                san
                for san in sans
                if not san.when or all(self._when(c, node, args, kwargs) for c in san.when)
            ]
            if active:
                result = union(all_args, recv.taint if recv is not None else _EMPTY)
                for san in active:
                    result = sanitize(result, san.clears, san.marks)
                    if san.unclears and result:
                        drop = frozenset(san.unclears)
                        result = {(o, sc - drop): tr for (o, sc), tr in result.items()}
                return Value(result, self._call_types(quals), ())

        # propagators
        if prop is None and method and not project_recv:
            prop = idx.method_propagators.get(method)
        if prop is not None:
            moved = self._prop_from(prop, args, kwargs, star, recv)
            if prop.to == "receiver":
                if moved and isinstance(func, ast.Attribute):
                    self._taint_receiver(func.value, moved, node, method)
                return _BLANK
            return Value(moved, self._call_types(quals), ())

        types = self._call_types(quals)
        if self.idx.cond_call_types:
            types = self._cond_types(node, quals, types, args, kwargs)
        result = ftaint
        if types and not ftaint:
            pass
        # project call site
        if quals and not matched_model and not (ftaint and not recv):
            callee = quals[0]
            if not self.fa.is_library(callee) and callee not in self.idx.library_types:
                sid = self._site(node, quals, args, kwargs, star, recv, ftaint)
                r: TaintMap = {(("R", sid), _NOSAN): ()}
                if callee in self.fa.classes:
                    types = self.fa.class_types(callee)
                elif not types:
                    types = self.fa.return_types.get(callee, ())
                return Value(r, types, ())
        result = union(ftaint, all_args)
        return Value(result, types, ())

    def _call_types(self, quals: list[str]) -> tuple[str, ...]:
        static = self.idx.call_types_of(tuple(quals))
        if static:
            return static
        for q in quals:
            if q in self.fa.classes:
                return self.fa.class_types(q)
            last = q.rsplit(".", 1)[-1]
            if last[:1].isupper() and not last.isupper() and not q.startswith("builtins."):
                return self.idx.with_supers(q)
        return ()

    def _cond_types(
        self,
        node: ast.Call,
        quals: list[str],
        types: tuple[str, ...],
        args: list[Value],
        kwargs: dict[str, Value],
    ) -> tuple[str, ...]:
        """Add the types of conditional :class:`TypeOf` declarations whose conditions hold: to
        the result, or (``receiver=True``) to the variable the method is called on."""
        for q in quals:
            decls = self.idx.cond_call_types.get(q)
            if not decls:
                continue
            for t in decls:
                if not all(self._when(c, node, args, kwargs) for c in t.when):
                    continue
                if not t.receiver:
                    types = (*types, t.type) if t.type not in types else types
                elif isinstance(node.func, ast.Attribute):
                    key = _var_key(node.func.value)
                    if key is not None:
                        old = self.env.get(key) or self.expr(node.func.value)
                        if t.type not in old.types:
                            self.env[key] = Value(old.taint, (*old.types, t.type), old.quals, old.elts)
            break
        return types

    def _prop_from(
        self,
        prop: s.Propagator,
        args: list[Value],
        kwargs: dict[str, Value],
        star: TaintMap,
        recv: Value | None,
    ) -> TaintMap:
        out: TaintMap = _EMPTY
        for f in prop.frm:
            if f == "receiver" and recv is not None:
                out = union(out, recv.taint)
            elif f == "args":
                out = union_all([out, star, *(a.taint for a in args), *(v.taint for v in kwargs.values())])
            elif f.startswith("kw:"):
                v = kwargs.get(f[3:])
                if v is not None:
                    out = union(out, v.taint)
            elif f.isdigit() and int(f) < len(args):
                out = union(out, args[int(f)].taint)
        return out

    def _taint_receiver(self, target: ast.expr, taint: TaintMap, node: ast.AST, method: str = "") -> None:
        key = _var_key(target)
        if key is None:
            if isinstance(target, ast.Subscript):
                self._taint_receiver(target.value, taint, node)
            return
        old = self.env.get(key) or self.expr(target)
        taint = with_step(
            taint, (getattr(node, "lineno", 1), getattr(node, "col_offset", 0), f"added to `{key}`")
        )
        # Appending to a list literal keeps its known head (``argv = ["ls"]; argv.append(x)``
        # still runs ``ls``).
        elts = None
        if old.elts is not None and method in ("append", "extend"):
            elts = (*old.elts, Value(taint))
        self.env[key] = Value(union(old.taint, taint), old.types, old.quals, elts)
        if isinstance(target, ast.Attribute):
            cls = self._field_class(target.value, self.expr(target.value))
            if cls:
                self.out.field_stores.append((cls, target.attr, to_tuple(taint)))
        elif self._is_global(key):
            self.out.global_stores.append((f"{self.fa.module}.{key}", to_tuple(taint)))

    def _is_global(self, key: str) -> bool:
        """Whether a mutated name is a module-level variable (``COMMANDS.append(x)`` in a
        function mutates the module's list without a ``global`` statement)."""
        if self.is_module or key in self.global_names:
            return True
        if self.in_class or "." in key:
            return False
        return key in self.fa.mutable_globals and key not in self.locals

    def _site(
        self,
        node: ast.Call,
        quals: list[str],
        args: list[Value],
        kwargs: dict[str, Value],
        star: TaintMap,
        recv: Value | None,
        recv_taint: TaintMap,
    ) -> int:
        bound = False
        if recv is not None and isinstance(node.func, ast.Attribute):
            # a method called on an instance (self.m(), obj.m()) rather than on a module/class
            bound = bool(recv.types) and not recv.quals
        sid = self.site_ids.get(id(node))
        arg_taints = [a.taint for a in args]
        kw_taints = {k: v.taint for k, v in kwargs.items()}
        if sid is None:
            sid = len(self.site_list)
            self.site_ids[id(node)] = sid
            label = _short(node.func)
            self.site_list.append(
                Site(tuple(dict.fromkeys(quals)), node.lineno, node.col_offset, bound=bound, label=label)
            )
            self.site_args.append((arg_taints, kw_taints, star, recv_taint))
        else:
            old_args, old_kw, old_star, old_fb = self.site_args[sid]
            merged = [
                union(old_args[i] if i < len(old_args) else _EMPTY, t) for i, t in enumerate(arg_taints)
            ]
            for k, t in kw_taints.items():
                old_kw[k] = union(old_kw.get(k, _EMPTY), t)
            self.site_args[sid] = (merged, old_kw, union(old_star, star), union(old_fb, recv_taint))
        return sid

    def _registration(self, node: ast.Call, quals: list[str]) -> None:
        handlers: list[tuple[int | str, tuple[str, ...], bool]] = []
        candidates: list[tuple[int | str, ast.expr]] = [(i, a) for i, a in enumerate(node.args)]
        candidates.extend((kw.arg, kw.value) for kw in node.keywords if kw.arg in _HANDLER_KEYWORDS)
        for pos, expr in candidates:
            as_view = False
            if (
                isinstance(expr, ast.Call)
                and isinstance(expr.func, ast.Attribute)
                and expr.func.attr in ("as_view", "as_asgi")
            ):
                expr = expr.func.value
                as_view = True
            if isinstance(expr, (ast.Name, ast.Attribute)):
                q = self.sem.qualname(expr, self.scope)
                if q:
                    handlers.append((pos, (self.idx.canonical(q),), as_view))
        if not handlers:
            return
        route = _const_str(node.args[0]) if node.args else ""
        for pos, hq, as_view in handlers:
            self.fa.summary.registrations.append(
                Registration(tuple(dict.fromkeys(quals)), hq, route, node.lineno, as_view, pos)
            )

    def _check_sink(
        self,
        sink: s.Sink,
        node: ast.Call,
        args: list[Value],
        kwargs: dict[str, Value],
        star: TaintMap,
        recv: Value | None,
        qual: str,
        seen: set[tuple[str, str]],
    ) -> None:
        if sink.kind != "call":
            return
        for cond in sink.when:
            if not self._when(cond, node, args, kwargs):
                return
        taint: TaintMap = _EMPTY
        skip = _formatted_safely(node, sink.format_arg)
        if not sink.args and not sink.keywords:
            taint = union_all(
                [
                    star,
                    *(a.taint for i, a in enumerate(args) if i not in skip),
                    *(v.taint for v in kwargs.values()),
                ]
            )
        else:
            for pos in sink.args:
                if pos in skip:
                    continue
                if pos < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: pos + 1]):
                    taint = union(taint, self._part(sink, node.args[pos], args[pos]))
                elif any(isinstance(a, ast.Starred) for a in node.args[: pos + 1]):
                    taint = union(taint, star)
            for kw in sink.keywords:
                if kw in kwargs:
                    kv = next(k.value for k in node.keywords if k.arg == kw)
                    taint = union(taint, self._part(sink, kv, kwargs[kw]))
            if any(k.arg is None for k in node.keywords):
                taint = union(taint, star)
        if sink.receiver and recv is not None:
            taint = union(taint, recv.taint)
        if not taint:
            return
        key = (sink.vuln, sink.part)
        if key in seen:
            return
        seen.add(key)
        self._hit(sink, taint, node, sink.label or f"{qual}()", "call")

    def _part(self, sink: s.Sink, expr: ast.expr, value: Value) -> TaintMap:
        if sink.part == "text" and isinstance(expr, (ast.Dict, ast.DictComp)):
            return _EMPTY
        if sink.part == "argv0":
            if isinstance(expr, (ast.List, ast.Tuple)):
                if not expr.elts:
                    return _EMPTY
                first = expr.elts[0]
                if isinstance(first, ast.Starred):
                    return value.taint
                return value.elts[0].taint if value.elts else self.expr(first).taint
            if value.elts is not None:
                return value.elts[0].taint if value.elts else _EMPTY
        return value.taint

    def _when(
        self,
        cond: s.When,
        node: ast.Call,
        args: list[Value] | None = None,
        kwargs: dict[str, Value] | None = None,
    ) -> bool:
        expr = self.ctx.argument(node, cond.position, cond.keyword)
        if expr is None:
            if any(k.arg is None for k in node.keywords):
                return cond.unknown
            return cond.absent
        if cond.types_in:
            value: Value | None = None
            if kwargs is not None and cond.keyword in kwargs and any(k.value is expr for k in node.keywords):
                value = kwargs[cond.keyword]
            elif args is not None and cond.position is not None and cond.position < len(args):
                value = args[cond.position]
            if value is None:
                return cond.unknown
            return any(t in cond.types_in for t in value.types)
        if cond.value_in or cond.matches:
            val = self.ctx.const_value(expr)
            if val is NOT_CONSTANT:
                return cond.unknown
            if cond.matches:
                return isinstance(val, str) and re.search(cond.matches, val) is not None
            return any(val == v and type(val) is type(v) for v in cond.value_in)
        if cond.truthy is not None:
            val = self.ctx.const_value(expr)
            if val is NOT_CONSTANT:
                return cond.unknown
            return bool(val) == cond.truthy
        q = self.sem.qualname(expr, self.scope) if isinstance(expr, (ast.Name, ast.Attribute)) else None
        if q is None:
            return cond.unknown
        q = self.idx.canonical(q)
        if cond.qualname_in:
            return q in cond.qualname_in
        if cond.qualname_not_in:
            return q not in cond.qualname_not_in
        return True

    def _hit(self, sink: s.Sink, taint: TaintMap, node: ast.AST, label: str, kind: str) -> None:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0)
        self.out.sinks.append(
            SinkHit(
                sink.vuln,
                label,
                line,
                col,
                getattr(node, "end_lineno", None) or line,
                getattr(node, "end_col_offset", None) or col,
                to_tuple(taint),
                kind,
                sink.requires,
            )
        )


_NAME = ast.Name
_CONSTANT = ast.Constant
_ATTRIBUTE = ast.Attribute
_CALL = ast.Call
_EXPR = ast.Expr
_ASSIGN = ast.Assign
_IF = ast.If
_RETURN = ast.Return

#: Expression and statement handlers by exact node type (the parser creates no subclasses).
_EXPR_HANDLERS: dict[type[ast.AST], Callable[[FunctionAnalyzer, Any], Value]] = {
    ast.JoinedStr: FunctionAnalyzer._e_joined,
    ast.FormattedValue: FunctionAnalyzer._e_formatted,
    ast.BinOp: FunctionAnalyzer._e_binop,
    ast.Subscript: FunctionAnalyzer._e_subscript,
    ast.List: FunctionAnalyzer._e_sequence,
    ast.Tuple: FunctionAnalyzer._e_sequence,
    ast.Set: FunctionAnalyzer._e_set,
    ast.Dict: FunctionAnalyzer._e_dict,
    ast.BoolOp: FunctionAnalyzer._e_boolop,
    ast.Compare: FunctionAnalyzer._e_compare,
    ast.UnaryOp: FunctionAnalyzer._e_unary,
    ast.IfExp: FunctionAnalyzer._e_ifexp,
    ast.NamedExpr: FunctionAnalyzer._e_named,
    ast.ListComp: FunctionAnalyzer._comprehension,
    ast.SetComp: FunctionAnalyzer._comprehension,
    ast.GeneratorExp: FunctionAnalyzer._comprehension,
    ast.DictComp: FunctionAnalyzer._comprehension,
    ast.Lambda: FunctionAnalyzer._lambda,
    ast.Await: FunctionAnalyzer._e_inner,
    ast.Starred: FunctionAnalyzer._e_inner,
    ast.Yield: FunctionAnalyzer._e_yield,
    ast.YieldFrom: FunctionAnalyzer._e_yield,
    ast.Slice: FunctionAnalyzer._e_slice,
}
_STMT_HANDLERS: dict[type[ast.AST], Callable[[FunctionAnalyzer, Any], bool]] = {
    ast.AnnAssign: FunctionAnalyzer._s_annassign,
    ast.AugAssign: FunctionAnalyzer._s_augassign,
    ast.For: FunctionAnalyzer._for,
    ast.AsyncFor: FunctionAnalyzer._for,
    ast.While: FunctionAnalyzer._while,
    ast.With: FunctionAnalyzer._s_with,
    ast.AsyncWith: FunctionAnalyzer._s_with,
    ast.Try: FunctionAnalyzer._try,
    ast.Raise: FunctionAnalyzer._s_raise,
    ast.Continue: FunctionAnalyzer._s_jump,
    ast.Break: FunctionAnalyzer._s_jump,
    ast.FunctionDef: FunctionAnalyzer._s_def,
    ast.AsyncFunctionDef: FunctionAnalyzer._s_def,
    ast.ClassDef: FunctionAnalyzer._s_class,
    ast.Assert: FunctionAnalyzer._s_assert,
    ast.Import: FunctionAnalyzer._s_import,
    ast.ImportFrom: FunctionAnalyzer._s_import,
    ast.Global: FunctionAnalyzer._s_global,
    ast.Match: FunctionAnalyzer._match,
}
if hasattr(ast, "TryStar"):  # ``except*`` (3.11+)
    _STMT_HANDLERS[ast.TryStar] = FunctionAnalyzer._try


_JSON_LITERALS = (ast.Dict, ast.List, ast.DictComp, ast.ListComp)
#: A constant start that fixes where a URL points: a path of this site ("/x", not "//" or "/\\")
#: or an absolute URL whose host is followed by "/", "?" or "#".
_PINNED_ORIGIN = re.compile(r"^(?:/[^/\\]|[A-Za-z][A-Za-z0-9+.-]*://[^/?#\\@]+[/?#])")
_ORIGIN_CLASSES = ("redirect", "ssrf")
#: What ``repr()``-style escaping (``%r``, ``!r``) makes safe: no raw CR/LF is left.
_ESCAPED_CLASSES = ("log", "header")


def _origin_pinned(node: ast.expr) -> bool:
    """Whether a string built by ``+``/``%``/an f-string starts with a constant that pins the
    URL's origin, so the rest cannot change the host (``f"/profile?u={name}"``)."""
    first: ast.expr | None = node
    while isinstance(first, ast.BinOp) and isinstance(first.op, (ast.Add, ast.Mod)):
        first = first.left
    if isinstance(first, ast.JoinedStr):
        first = first.values[0] if first.values else None
    return (
        isinstance(first, ast.Constant)
        and isinstance(first.value, str)
        and _PINNED_ORIGIN.match(first.value) is not None
    )


def _fixed_before_taint(pieces: list[tuple[ast.expr, TaintMap]], ctx: FileContext) -> bool:
    """Whether the pieces of a concatenation fix where the URL points before the first tainted
    piece: a constant start that pins the origin (``"/x"``, ``"https://host/"``, also through
    module constants: ``f"{API_BASE}/users/{uid}"``), a constant "?" or "#" (query or fragment
    follows), or an untainted value followed by a constant path separator
    (``settings.API_URL + "/users/" + uid``)."""
    prefix = ""
    unknown = False
    for expr, taint in pieces:
        if taint:
            return False
        text = _piece_text(expr, ctx)
        if text is None:
            unknown = True
            continue
        if "?" in text or "#" in text:
            return True
        if unknown:
            if "/" in text.replace("://", ""):
                return True
        else:
            prefix += text
            if _PINNED_ORIGIN.match(prefix):
                return True
    return False


def _query_split(pieces: list[tuple[ast.expr, TaintMap]], ctx: FileContext) -> TaintMap:
    """The taint of a concatenation, where the pieces after a constant "?" or "#" only fill the
    query or fragment: whatever precedes them fixes where the URL points, so they are clean for
    ``redirect``/``ssrf`` (``"%s?%s" % (url, request.META["QUERY_STRING"])``)."""
    out: TaintMap = _EMPTY
    after = False
    for expr, taint in pieces:
        if taint:
            out = union(out, sanitize(taint, _ORIGIN_CLASSES) if after else taint)
        elif not after:
            text = _piece_text(expr, ctx)
            if text is not None and ("?" in text or "#" in text):
                after = True
    return out


def _piece_text(expr: ast.expr, ctx: FileContext) -> str | None:
    if isinstance(expr, ast.FormattedValue):
        if expr.conversion != -1 or expr.format_spec is not None:
            return None
        expr = expr.value
    value = ctx.const_value(expr)
    return value if isinstance(value, str) else None


def _all_add(node: ast.expr) -> bool:
    while isinstance(node, ast.BinOp):
        if not isinstance(node.op, ast.Add):
            return False
        node = node.left
    return True


def _store_key_ok(sink: s.Sink, target: ast.expr, ctx: FileContext) -> bool:
    """For a store sink with ``when``: every condition holds for the subscript key."""
    key = ctx.const_value(target.slice) if isinstance(target, ast.Subscript) else NOT_CONSTANT
    for cond in sink.when:
        if not isinstance(target, ast.Subscript):
            ok = cond.absent
        elif key is NOT_CONSTANT:
            ok = cond.unknown
        elif cond.matches:
            ok = isinstance(key, str) and re.search(cond.matches, key) is not None
        elif cond.value_in:
            ok = key in cond.value_in
        else:
            ok = True
        if not ok:
            return False
    return True


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def _formatted_safely(node: ast.Call, format_arg: int | None) -> frozenset[int]:
    """Positions of the arguments a constant printf-style format at ``format_arg`` renders
    escaped (``%r``, ``%a``) or as numbers; empty when unknown."""
    if format_arg is None or format_arg >= len(node.args):
        return frozenset()
    fmt = node.args[format_arg]
    if not (isinstance(fmt, ast.Constant) and isinstance(fmt.value, str)) or "%(" in fmt.value:
        return frozenset()
    if any(isinstance(a, ast.Starred) for a in node.args):
        return frozenset()
    convs = [c for c in _PRINTF.findall(fmt.value) if c != "%"]
    return frozenset(format_arg + 1 + i for i, c in enumerate(convs) if c not in "sc")


def _body_taint(node: ast.expr, value: Value) -> TaintMap:
    """The taint of the response body a view returning ``node`` sends: Flask serialises a
    returned ``dict``/``list`` as JSON and takes the body from the first item of a tuple."""
    if isinstance(node, _JSON_LITERALS):
        return _EMPTY
    if isinstance(node, ast.Tuple) and node.elts and not isinstance(node.elts[0], ast.Starred):
        first = value.elts[0] if value.elts else Value(value.taint)
        return _body_taint(node.elts[0], first)
    return value.taint


def _has_break(body: list[ast.stmt]) -> bool:
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Break):
            return True
        if isinstance(
            node, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        ):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def analyze_file(ctx: FileContext, index: SpecIndex) -> FileSummary:
    """The taint summary of one parsed module."""
    return FileAnalyzer(ctx, index).run()


def iter_atoms(taint: Taint) -> Iterator[Atom]:
    return iter(taint)
