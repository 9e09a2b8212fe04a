"""``TaintAnalysis``: per-file summaries (in workers, cached) linked across the project.

Project phase, in order:

1. **Index** every function, class and module summary by qualified name; resolve callees through
   re-exports (``from .impl import f`` in ``__init__``), module-level objects of known type
   (``app.route`` with ``app = Flask()``) and class hierarchies (``self.m()`` defined in a base).
2. **Return summaries** to a bounded fixpoint: what each function's return value is made of, in
   terms of its parameters, concrete sources, class attributes and module variables. Call
   results (``R`` atoms) are replaced by the callee's summary with the call's arguments
   substituted (context-sensitive for "returns its argument" helpers).
3. **Forward propagation** of concrete sources through parameter, attribute and module-variable
   nodes (worklist; at most ``MAX_FACTS`` distinct sources per node, so it always terminates),
   seeded by sources in code and by framework handlers' parameters (``EntryPoint``).
4. Every source fact reaching a sink of an enabled class, not sanitised for it, is a finding at
   the sink with the whole trace.
"""

from __future__ import annotations

import gc
import pickle
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.analysis.taint import spec as s
from pyward.analysis.taint.dataflow import analyze_file
from pyward.analysis.taint.index import SpecIndex, get_index
from pyward.analysis.taint.summaries import (
    ClassSummary,
    FileSummary,
    FunctionSummary,
    SinkHit,
    Site,
    Taint,
)
from pyward.model import FileKind, Finding, Span, TraceStep

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule
    from pyward.rules.taint.base import TaintRule
    from pyward.settings import Settings

GStep = tuple[str, int, int, str]  # path, line, col, label
#: A trace is a tuple of chunks, each a GStep or ``(path, local trace)`` (flattened at the end,
#: so that linking never copies the steps of a file-local trace).
GTrace = tuple[Any, ...]
GKey = tuple[tuple[Any, ...], frozenset[str]]
GTaint = dict[GKey, GTrace]

#: Version of the pickled per-file summary; bump when summaries.py changes shape.
SUMMARY_FORMAT = "taint-summary/4"
MAX_FACTS = 8
MAX_ROUNDS = 6
MAX_TRACE = 40
_NOSAN: frozenset[str] = frozenset()

_SAFE_ANNOTATIONS = frozenset(
    {
        "builtins.int",
        "builtins.float",
        "builtins.bool",
        "builtins.complex",
        "uuid.UUID",
        "decimal.Decimal",
        "datetime.datetime",
        "datetime.date",
        "datetime.time",
        "datetime.timedelta",
        "pydantic.UUID4",
        "pydantic.PositiveInt",
        "pydantic.conint",
        "pydantic.EmailStr",
    }
)
_STRINGY_ANNOTATIONS = frozenset(
    {
        "builtins.str",
        "builtins.bytes",
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "builtins.tuple",
        "typing.List",
        "typing.Dict",
        "typing.Set",
        "typing.Tuple",
        "typing.Any",
        "typing.Sequence",
        "fastapi.UploadFile",
        "starlette.datastructures.UploadFile",
        "pydantic.BaseModel",
        "pydantic.Json",
    }
)
_SAFE_CONVERTERS = frozenset({"int", "float", "uuid", "slug"})
_FLASK_VAR = re.compile(r"<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_BRACE_VAR = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_]+))?\}")
_REGEX_GROUP = re.compile(r"\(\?P<([a-zA-Z_][a-zA-Z0-9_]*)>((?:[^()\\]|\\.)*)\)")
_DIGITS_ONLY = re.compile(r"^(?:\[0-9\]|\\d|\[\\d\])(?:\+|\*|\{\d+(?:,\d*)?\})?$")


class TaintAnalysis(Analysis):
    name = "taint"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        #: path -> (blob, summary) decoded by :meth:`receive` during the per-file phase
        self._received: dict[str, tuple[Any, FileSummary]] = {}
        self.by_class: dict[str, type[TaintRule]] = {}
        for rule in rules:
            vuln = getattr(rule, "vuln_class", "")
            if vuln:
                self.by_class.setdefault(vuln, rule)  # type: ignore[arg-type]

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        # The analysis allocates many small objects and frees them by reference counting; the
        # cyclic collector only slows it down (by ~2x), so it is paused for the file.
        with _gc_paused():
            summary = analyze_file(ctx, get_index())
            errors = tuple(f"taint: {e}" for e in summary.errors)
            # Shipped as one pickled blob: cheap to send back from the worker and to cache, and
            # unpickled by the project phase with the collector paused (10x faster).
            blob = pickle.dumps((SUMMARY_FORMAT, summary), protocol=pickle.HIGHEST_PROTOCOL)
        return PerFileOutput(data=blob, errors=errors)

    def receive(self, path: str, data: Any) -> None:
        # Decoded while the workers are still busy; used only if the project phase gets the very
        # same blob for this path. The model index the linker needs is built then too.
        if not self._received:
            get_index()
        summary = self._load(data)
        if summary is not None:
            self._received[path] = (data, summary)

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        with _gc_paused():
            files: list[tuple[str, FileSummary]] = []
            received, self._received = self._received, {}
            for entry in project.files:
                if not entry.parsed or entry.kind is not FileKind.PYTHON:
                    continue
                blob = entry.data.get(self.name)
                early = received.get(entry.path)
                summary = early[1] if early is not None and early[0] is blob else self._load(blob)
                if summary is None and self.name in entry.data:
                    # A cache entry written by another build of the engine: analyse again.
                    summary = self._reanalyze(project, entry.path, entry.abspath, entry.module)
                if summary is not None:
                    files.append((entry.path, summary))
            linker = Linker(files, get_index(), self.by_class, self.settings)
            findings = linker.run()
            # The summaries and the graph: kept when the engine says the process ends soon (no
            # time spent freeing them), else freed by reference counting while the collector is
            # still paused (re-enabling it with them alive costs a full young-generation pass).
            project.retain((linker, files, received))
            del linker, files, received
        return findings

    @staticmethod
    def _load(data: Any) -> FileSummary | None:
        if not isinstance(data, bytes):
            return None
        try:
            loaded = pickle.loads(data)
        except Exception:
            return None
        if (
            isinstance(loaded, tuple)
            and len(loaded) == 2
            and loaded[0] == SUMMARY_FORMAT
            and isinstance(loaded[1], FileSummary)
        ):
            return loaded[1]
        return None

    def _reanalyze(
        self, project: ProjectModel, path: str, abspath: str, module: str | None
    ) -> FileSummary | None:
        tree = project.parse(path)
        source = project.read_text(path)
        if tree is None or source is None:
            return None
        from pyward.analysis.context import FileContext
        from pyward.analysis.semantic import SemanticModel

        try:
            semantic = SemanticModel(tree, module or "", is_package=abspath.endswith("__init__.py"))
            ctx = FileContext(path, abspath, source, tree, semantic, self.settings)
            return analyze_file(ctx, get_index())
        except (RecursionError, MemoryError):
            return None


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Func:
    summary: FunctionSummary
    path: str
    module: str


@dataclass
class _Endpoint:
    kind: str  # sink | arg | field | global
    func: _Func
    target: Any = None  # sink hit | (callee qualname, param index, site) | node key
    deps: list[tuple[GKey, GTrace]] = field(default_factory=list)


class Linker:
    def __init__(
        self,
        files: list[tuple[str, FileSummary]],
        index: SpecIndex,
        rules: dict[str, type[TaintRule]],
        settings: Settings,
    ) -> None:
        self.idx = index
        self.rules = rules
        self.settings = settings
        self.files = files
        self.modules: dict[str, FileSummary] = {}
        self.functions: dict[str, _Func] = {}
        self._guard_memo: dict[str, frozenset[str]] = {}
        self.classes: dict[str, ClassSummary] = {}
        self.class_paths: dict[str, str] = {}
        for path, fs in files:
            self.modules.setdefault(fs.module, fs)
            for fn in fs.functions:
                self.functions.setdefault(fn.qualname, _Func(fn, path, fs.module))
            for cls in fs.classes:
                self.classes.setdefault(cls.qualname, cls)
                self.class_paths.setdefault(cls.qualname, path)
        self.opaque: set[str] = set()
        for _path, fs in files:
            self.opaque.update(fs.opaque)
        self._resolved: dict[str, str | None] = {}
        self._mro: dict[str, tuple[str, ...]] = {}
        self.ret: dict[str, GTaint] = {}
        self._callee_memo: dict[tuple[str, int], tuple[_Func, int] | str | None] = {}
        self._may_source: dict[tuple[str, int], bool] = {}
        #: site_return results while ``self.ret`` stays the same (cleared whenever it grows)
        self._site_memo: dict[tuple[str, int, frozenset[int]], GTaint] = {}

    # name resolution ---------------------------------------------------------------------------
    def resolve(self, qual: str, depth: int = 0) -> str | None:
        """The project function or class ``qual`` names (through re-exports, typed module
        objects and inheritance), else None."""
        if qual in self.functions or qual in self.classes or qual in self.opaque:
            return qual
        if depth > 6:
            return None
        hit = self._resolved.get(qual, "")
        if hit != "":
            return hit
        self._resolved[qual] = None
        result: str | None = None
        for alt in self.normalize(qual, depth):
            if alt != qual:
                result = self.resolve(alt, depth + 1)
                if result:
                    break
        if result is None and "." in qual:
            owner, _, attr = qual.rpartition(".")
            owner_r = self.resolve(owner, depth + 1) if owner not in self.classes else owner
            if owner_r in self.classes:
                for cls in self.mro(owner_r):
                    cand = f"{cls}.{attr}"
                    if cand in self.functions or cand in self.opaque:
                        result = cand
                        break
        self._resolved[qual] = result
        return result

    def normalize(self, qual: str, depth: int = 0) -> list[str]:
        """Other spellings of ``qual``: through a module's imports and module-level object types."""
        parts = qual.split(".")
        out: list[str] = []
        for i in range(len(parts) - 1, 0, -1):
            mod = ".".join(parts[:i])
            fs = self.modules.get(mod)
            if fs is None:
                continue
            name, rest = parts[i], parts[i + 1 :]
            target = fs.imports.get(name)
            if target:
                out.append(".".join([self.idx.canonical(target), *rest]))
            for t in fs.global_types.get(name, ()):
                out.append(".".join([t, *rest]))
            break
        return out

    def mro(self, cls: str) -> tuple[str, ...]:
        cached = self._mro.get(cls)
        if cached is not None:
            return cached
        order: list[str] = []
        todo = [cls]
        while todo and len(order) < 64:
            c = todo.pop(0)
            if c in order:
                continue
            order.append(c)
            summary = self.classes.get(c)
            if summary is not None:
                for b in summary.bases:
                    rb = b if b in self.classes else (self.resolve(b) or b)
                    todo.append(rb)
            else:
                todo.extend(self.idx.with_supers(c)[1:])
        self._mro[cls] = tuple(order)
        return self._mro[cls]

    def guard_clears(self, san: frozenset[str]) -> frozenset[str]:
        """The classes the project guard functions behind the ``?g`` tokens of ``san`` proved
        checked (``if not is_safe_url(u): abort(400)``), resolved through the callee's summary."""
        out: set[str] = set()
        for tok in san:
            if not tok.startswith("?g"):
                continue
            hit = self._guard_memo.get(tok)
            if hit is None:
                hit = frozenset()
                where, _, qual = tok[2:].partition(":")
                bound, arg = where[:1] == "m", where[1:]
                r = self.resolve(qual)
                target = self.functions.get(r) if r is not None else None
                guards = target.summary.guards if target is not None else None
                if target is not None and guards:
                    summ = target.summary
                    index: int | None = None
                    if arg.isdigit():
                        kind = summ.method_kind
                        index = int(arg) + (1 if (kind == "method" and bound) or kind == "class" else 0)
                    else:
                        index = next((i for i, p in enumerate(summ.params) if p.name == arg), None)
                    if index is not None:
                        hit = guards.get(index, frozenset())
                self._guard_memo[tok] = hit
            out |= hit
        return frozenset(out)

    def callee(self, func: _Func, sid: int) -> tuple[_Func, int] | str | None:
        """(callee, parameter shift) for call site ``sid``; "class" for a class without
        ``__init__`` in the project; None when not a project function (memoised)."""
        key = (func.summary.qualname, sid)
        if key in self._callee_memo:
            return self._callee_memo[key]
        result = self._callee(func, sid)
        self._callee_memo[key] = result
        return result

    def _callee(self, func: _Func, sid: int) -> tuple[_Func, int] | str | None:
        site = func.summary.sites[sid]
        for q in site.callees:
            r = self.resolve(q)
            if r is None:
                continue
            if r in self.opaque:
                return "opaque"
            if r in self.functions:
                target = self.functions[r]
                kind = target.summary.method_kind
                shift = 0
                if (kind == "method" and site.bound) or kind == "class":
                    shift = 1
                return target, shift
            if r in self.classes:
                for cls in self.mro(r):
                    init = self.functions.get(f"{cls}.__init__")
                    if init is not None:
                        return init, 1
                    if f"{cls}.__init__" in self.opaque:
                        return "opaque"
                return "class"
        return None

    # traces ------------------------------------------------------------------------------------
    @staticmethod
    def cat(a: GTrace, b: GTrace) -> GTrace:
        out = a + b
        if len(out) > MAX_TRACE:
            out = out[:10] + out[-(MAX_TRACE - 10) :]
        return out

    # expansion ---------------------------------------------------------------------------------
    def expand(self, func: _Func, taint: Taint, visiting: frozenset[int] = frozenset()) -> GTaint:
        """A function-local taint in global terms (R atoms replaced by callee summaries). The
        first trace found for a key is kept (later ones are not even built)."""
        out: GTaint = {}
        path = func.path
        for origin, san, trace in taint:
            tag = origin[0]
            if tag == "R":
                sid = int(origin[1])  # type: ignore[call-overload]
                if sid in visiting:
                    continue
                returned = self.site_return(func, sid, visiting | {sid})
                if not returned:
                    continue
                local = ((path, trace),) if trace else ()  # the file's own hops, in global terms
                for (o2, san2), tr2 in returned.items():
                    gkey = (o2, san2 | san) if san else (o2, san2)
                    if gkey not in out:
                        out[gkey] = self.cat(tr2, local) if local else tr2
                continue
            if tag == "P":
                key: tuple[Any, ...] = ("P", func.summary.qualname, origin[1])
            elif tag == "F":
                key = ("F", self.field_owner(str(origin[1]), str(origin[2])), origin[2])
            else:
                key = tuple(origin)
            if (key, san) not in out:
                out[(key, san)] = ((path, trace),) if trace else ()
        return out

    def field_owner(self, cls: str, attr: str) -> str:
        r = self.resolve(cls) or cls
        return r

    def site_return(self, func: _Func, sid: int, visiting: frozenset[int]) -> GTaint:
        """What call site ``sid`` of ``func`` returns, in global terms (memoised; callers must
        not modify the result)."""
        key = (func.summary.qualname, sid, visiting)
        hit = self._site_memo.get(key)
        if hit is None:
            hit = self._site_return(func, sid, visiting)
            self._site_memo[key] = hit
        return hit

    def _site_return(self, func: _Func, sid: int, visiting: frozenset[int]) -> GTaint:
        site = func.summary.sites.get(sid)
        if site is None:
            return {}
        target = self.callee(func, sid)
        if target is None or target == "class":
            fallback = self.expand(func, _fallback(site), visiting)
            src = self.inherited_source(site.callees)
            if src is not None:
                label = src.label or src.pattern
                step: GTrace = ((func.path, site.line, site.col, f"source: {label}"),)
                fallback.setdefault((("S", label, src.kind), _NOSAN), step)
            return fallback
        if target == "opaque":
            return {}
        assert not isinstance(target, str)
        callee, shift = target
        if callee.summary.cls and callee.summary.name == "__init__":
            return {}
        summary = self.ret.get(callee.summary.qualname)
        if not summary:
            return {}
        call_step: GTrace = ((func.path, site.line, site.col, f"returned by `{site.label}()`"),)
        into: GTrace = ((func.path, site.line, site.col, f"passed to `{site.label}()`"),)
        out: GTaint = {}
        fn = callee.summary
        #: what each parameter's argument expands to at this call (several return atoms may name
        #: the same parameter)
        passed: dict[int, GTaint] = {}
        for (origin, san), trace in summary.items():
            if origin[0] == "P" and origin[1] == fn.qualname:
                index = int(origin[2])
                expanded = passed.get(index)
                if expanded is None:
                    arg = self.arg_for_param(site, fn, index, shift)
                    expanded = self.expand(func, arg, visiting) if arg else {}
                    passed[index] = expanded
                if not expanded:
                    continue
                name = fn.params[index].name if index < len(fn.params) else "?"
                param: GTrace = ((callee.path, fn.line, fn.col, f"parameter `{name}` of `{fn.name}`"),)
                inner = into + param + trace
                for (o2, san2), tr2 in expanded.items():
                    gkey = (o2, san2 | san) if san else (o2, san2)
                    if gkey not in out:
                        out[gkey] = self.cat(self.cat(tr2, inner), call_step)
            elif (origin, san) not in out:
                out[(origin, san)] = self.cat(trace, call_step)
        return out

    @staticmethod
    def arg_for_param(site: Site, callee: FunctionSummary, index: int, shift: int) -> Taint:
        """The taint the call passes to parameter ``index`` of ``callee``."""
        params = callee.params
        if index >= len(params):
            return ()
        name = params[index].name
        pos = index - shift
        out: list[Any] = list(site.star)
        if index == callee.vararg:
            first = callee.vararg - shift
            for a in site.args[max(first, 0) :]:
                out.extend(a)
            return tuple(out)
        if index == callee.kwarg:
            named = {p.name for p in params}
            for k, t in site.kwargs:
                if k not in named:
                    out.extend(t)
            return tuple(out)
        limit = callee.vararg if callee.vararg >= 0 else callee.kwonly_start
        if 0 <= pos < len(site.args) and (limit < 0 or index < limit):
            out.extend(site.args[pos])
        for k, t in site.kwargs:
            if k == name:
                out.extend(t)
        return tuple(out)

    def solve_returns(self) -> None:
        """What each function returns, to a fixpoint: a worklist over the reverse call graph,
        each function recomputed at most ``MAX_ROUNDS`` times (so it always terminates)."""
        pending = [f for f in self.functions.values() if f.summary.returns]
        callers: dict[str, list[_Func]] = {}
        for f in pending:
            self.ret[f.summary.qualname] = {}
            for sid in f.summary.sites:
                target = self.callee(f, sid)
                if isinstance(target, tuple):
                    callers.setdefault(target[0].summary.qualname, []).append(f)
        queue: deque[_Func] = deque(pending)
        queued = {f.summary.qualname for f in pending}
        rounds: dict[str, int] = {}
        while queue:
            f = queue.popleft()
            qual = f.summary.qualname
            queued.discard(qual)
            rounds[qual] = rounds.get(qual, 0) + 1
            if rounds[qual] > MAX_ROUNDS:
                continue
            new = self.expand(f, f.summary.returns)
            old = self.ret[qual]
            if old.keys() >= new.keys():
                continue
            merged = dict(old)
            for k, v in new.items():
                merged.setdefault(k, v)
            self.ret[qual] = merged
            self._site_memo.clear()
            for caller in callers.get(qual, ()):
                cq = caller.summary.qualname
                if cq not in queued:
                    queued.add(cq)
                    queue.append(caller)

    # entry points ------------------------------------------------------------------------------
    def entry_points(self) -> list[tuple[_Func, s.EntryPoint, str]]:
        eps = self.idx.spec.entry_points
        by_decorator: dict[str, list[s.EntryPoint]] = {}
        by_register: dict[str, list[s.EntryPoint]] = {}
        by_base: list[s.EntryPoint] = []
        by_sig: dict[tuple[str, ...], list[s.EntryPoint]] = {}
        for ep in eps:
            if ep.decorator:
                by_decorator.setdefault(self.idx.canonical(ep.decorator), []).append(ep)
            if ep.register:
                by_register.setdefault(self.idx.canonical(ep.register), []).append(ep)
            if ep.base:
                by_base.append(ep)
            if ep.signature:
                by_sig.setdefault(ep.signature, []).append(ep)
        found: list[tuple[_Func, s.EntryPoint, str]] = []
        seen: set[tuple[str, int]] = set()

        def add(f: _Func, ep: s.EntryPoint, route: str) -> None:
            key = (f.summary.qualname, id(ep))
            if key not in seen:
                seen.add(key)
                found.append((f, ep, route))

        for f in self.functions.values():
            fn = f.summary
            for d in fn.decorators:
                for q in d.quals:
                    for cand in (q, *self.normalize(q)):
                        for ep in by_decorator.get(cand, ()):
                            add(f, ep, d.route)
            if fn.cls and by_base:
                mro = self.mro(fn.cls)
                for ep in by_base:
                    if fn.name in ep.methods and self.idx.canonical(ep.base) in mro:
                        add(f, ep, "")
            if by_sig:
                names = tuple(p.name for p in fn.params)
                for ep in by_sig.get(names, ()):
                    add(f, ep, "")
        for _path, fs in self.files:
            for reg in fs.registrations:
                for q in reg.quals:
                    for cand in (q, *self.normalize(q)):
                        for ep in by_register.get(cand, ()):
                            if reg.handler_pos not in (ep.handler_arg, ep.handler_keyword):
                                continue
                            for h in reg.handler:
                                r = self.resolve(h)
                                if r in self.functions:
                                    add(self.functions[r], ep, reg.route)
        return found

    def site_types(self, f: _Func, sid: int, depth: int = 0) -> tuple[str, ...]:
        """The types of what call site ``sid`` of ``f`` returns, as far as the project knows:
        a project function's return types, a project class, or a model ``TypeOf`` applied to
        such a value (``get_db().cursor()``)."""
        site = f.summary.sites.get(sid)
        if site is None or depth > 6:
            return ()
        for q in site.callees:
            if q.startswith("<R"):
                inner, _, method = q.partition(">.")
                out: list[str] = []
                for typ in self.site_types(f, int(inner[2:]), depth + 1):
                    for sup in self.idx.with_supers(typ):
                        result = self.idx.call_type(f"{sup}.{method}")
                        if result:
                            out.extend(self.idx.with_supers(result))
                            break
                return tuple(dict.fromkeys(out))
            r = self.resolve(q)
            if r is None:
                continue
            if r in self.classes:
                return (r,)
            target = self.functions.get(r)
            fs = self.modules.get(target.module) if target is not None else self.module_of(r)
            types = fs.return_types.get(r, ()) if fs is not None else ()
            return tuple(dict.fromkeys(s for t in types for s in self.idx.with_supers(t)))
        return ()

    def module_of(self, qual: str) -> FileSummary | None:
        """The summary of the module defining ``qual`` (longest module prefix)."""
        parts = qual.split(".")
        for i in range(len(parts) - 1, 0, -1):
            fs = self.modules.get(".".join(parts[:i]))
            if fs is not None:
                return fs
        return None

    def deferred_sinks(self, f: _Func, site: Site) -> list[SinkHit]:
        """Sinks among methods called on values whose type only the project knows."""
        inner, _, method = site.callees[0].partition(">.")
        hits: list[SinkHit] = []
        seen: set[str] = set()
        for typ in self.site_types(f, int(inner[2:])):
            for sink in self.idx.sinks_for(f"{typ}.{method}"):
                if sink.kind != "call" or sink.when or sink.vuln not in self.rules or sink.vuln in seen:
                    continue
                parts: list[Any] = []
                if not sink.args and not sink.keywords:
                    parts.extend(a for arg in site.args for a in arg)
                    parts.extend(a for _k, kw in site.kwargs for a in kw)
                else:
                    for pos in sink.args:
                        if pos < len(site.args):
                            parts.extend(site.args[pos])
                    parts.extend(a for k, kw in site.kwargs if k in sink.keywords for a in kw)
                parts.extend(site.star)
                if sink.receiver:
                    parts.extend(site.recv)
                if parts:
                    seen.add(sink.vuln)
                    label = sink.label or f"{typ}.{method}()"
                    hits.append(
                        SinkHit(
                            sink.vuln,
                            label,
                            site.line,
                            site.col,
                            site.line,
                            site.col,
                            tuple(parts),
                            "call",
                            sink.requires,
                        )
                    )
        return hits

    def self_contained(self, f: _Func) -> bool:
        """Whether ``f`` may hold a concrete source without any parameter being tainted: a
        source, attribute or module-variable atom anywhere, or a call whose result may."""
        fn = f.summary
        taints: list[Taint] = [fn.returns, *(h.taint for h in fn.sinks)]
        for site in fn.sites.values():
            taints.extend(site.args)
            taints.extend(t for _k, t in site.kwargs)
            taints.append(site.star)
            taints.append(site.recv)
        taints.extend(t for _c, _a, t in fn.field_stores)
        taints.extend(t for _q, t in fn.global_stores)
        taints.extend(t for _l, _c, t in fn.body_returns)
        return self._any_may_source(f, taints, 0)

    def _any_may_source(self, f: _Func, taints: Iterable[Taint], depth: int) -> bool:
        """Whether one of ``taints`` (of ``f``) holds a source, attribute or module-variable atom,
        or the result of a call that may."""
        for taint in taints:
            for origin, _san, _trace in taint:
                tag = origin[0]
                if tag in ("S", "F", "G"):
                    return True
                if tag == "R" and self.call_may_source(f, int(origin[1]), depth):  # type: ignore[call-overload]
                    return True
        return False

    def call_may_source(self, f: _Func, sid: int, depth: int) -> bool:
        key = (f.summary.qualname, sid)
        hit = self._may_source.get(key)
        if hit is None:
            self._may_source[key] = False  # in progress: a cycle adds nothing
            hit = self._call_may_source(f, sid, depth)
            self._may_source[key] = hit
        return hit

    def _call_may_source(self, f: _Func, sid: int, depth: int) -> bool:
        site = f.summary.sites.get(sid)
        if site is None or depth > 8:
            return False
        target = self.callee(f, sid)
        if target is None or target == "class":
            if self.inherited_source(site.callees) is not None:
                return True
            return self._any_may_source(
                f, (*site.args, *(t for _k, t in site.kwargs), site.star, site.recv), depth + 1
            )
        if isinstance(target, str):
            return False
        ret = self.ret.get(target[0].summary.qualname, {})
        if any(origin[0] != "P" for origin, _san in ret):
            return True
        # the callee returns (some of) its parameters: what does this call pass?
        return self._any_may_source(f, (*site.args, *(t for _k, t in site.kwargs), site.star), depth + 1)

    def inherited_source(self, quals: Iterable[str]) -> s.Source | None:
        """The source ``Owner.attr`` is through the project class hierarchy of ``Owner``."""
        for q in quals:
            owner, _, attr = q.rpartition(".")
            if not owner or owner not in self.classes:
                continue
            for base in self.mro(owner)[1:]:
                src = self.idx.source(f"{base}.{attr}")
                if src is not None:
                    return src
        return None

    def request_like(self, annotation: str) -> bool:
        """Whether a typed parameter is a framework request object (its attributes are the
        sources) rather than data (``UploadFile``, a Pydantic model). Parameters typed by a
        ``ParamType`` heuristic have no annotation and are request objects."""
        if not annotation:
            return True
        owners = self.idx.source_owners
        return any(t in owners for t in self.idx.with_supers(annotation))

    def seed_params(self, f: _Func, ep: s.EntryPoint, route: str) -> list[tuple[int, str]]:
        fn = f.summary
        skip_self = 1 if fn.method_kind in ("method", "class") else 0
        typed_idx = {i + skip_self for i, _ in ep.param_types}
        names: dict[str, bool] | None = None
        if ep.params == "route" and route:
            names = _route_params(route)
        out: list[tuple[int, str]] = []
        for i, p in enumerate(fn.params):
            if i < skip_self or i in typed_idx or (p.typed and self.request_like(p.annotation)):
                continue
            if p.name in ep.tainted_params:
                out.append((i, p.name))
                continue
            if ep.params == "none":
                continue
            if ep.params == "route":
                if names is not None and not (names.get(p.name, False) or i in (fn.vararg, fn.kwarg)):
                    continue
            elif ep.params == "fastapi":
                if p.default_call.rsplit(".", 1)[-1] in ("Depends", "Security"):
                    continue
                ann = p.annotation
                if ann in _SAFE_ANNOTATIONS:
                    continue
                if (
                    ann
                    and ann not in _STRINGY_ANNOTATIONS
                    and (self.idx.is_library(ann) or ann.split(".", 1)[0] in self.idx.model_roots)
                ):
                    continue
            out.append((i, p.name))
        return out

    # propagation -------------------------------------------------------------------------------
    def run(self) -> list[Finding]:
        if not self.rules:
            return []
        self.solve_returns()
        entries = self.entry_points()
        entry_return: dict[str, list[s.Sink]] = {}
        for f, ep, _ in entries:
            sinks = self.idx.return_sinks.get(ep.framework)
            if sinks:
                entry_return.setdefault(f.summary.qualname, []).extend(sinks)

        deps: dict[tuple[Any, ...], list[tuple[_Endpoint, frozenset[str], GTrace]]] = {}
        facts: dict[tuple[Any, ...], GTaint] = {}
        work: deque[tuple[tuple[Any, ...], GKey, GTrace]] = deque()
        results: dict[tuple[str, str, int, int], tuple[Finding, int]] = {}

        def deliver(ep: _Endpoint, key: GKey, trace: GTrace) -> None:
            origin, san = key
            if ep.kind == "sink":
                self.report(ep, origin, san, trace, results)
            elif ep.kind == "arg":
                callee_q, index, step = ep.target
                node = ("P", callee_q, index)
                push(node, (origin, san), self.cat(trace, step))
            else:
                push(ep.target, (origin, san), trace)

        def push(node: tuple[Any, ...], key: GKey, trace: GTrace) -> None:
            have = facts.setdefault(node, {})
            if key in have or len(have) >= MAX_FACTS:
                return
            have[key] = trace
            work.append((node, key, trace))

        def register(ep: _Endpoint, taint: GTaint) -> None:
            for (origin, san), trace in taint.items():
                if origin[0] == "S":
                    deliver(ep, (origin, san), trace)
                else:
                    deps.setdefault(origin, []).append((ep, san, trace))

        registered: set[str] = set()

        def register_function(f: _Func) -> None:
            registered.add(f.summary.qualname)

            fn = f.summary
            for hit in fn.sinks:
                if hit.vuln in self.rules:
                    register(_Endpoint("sink", f, hit), self.expand(f, hit.taint))
            for sid, site in fn.sites.items():
                if not (site.args or site.kwargs or site.star):
                    continue
                target = self.callee(f, sid)
                if target is None or isinstance(target, str):
                    continue
                callee, shift = target
                for j, p in enumerate(callee.summary.params):
                    arg = self.arg_for_param(site, callee.summary, j, shift)
                    if not arg:
                        continue
                    step: GTrace = (
                        (f.path, site.line, site.col, f"passed to `{site.label}()`"),
                        (
                            callee.path,
                            callee.summary.line,
                            callee.summary.col,
                            f"parameter `{p.name}` of `{callee.summary.name}`",
                        ),
                    )
                    register(_Endpoint("arg", f, (callee.summary.qualname, j, step)), self.expand(f, arg))
            for site in fn.sites.values():
                if site.callees and site.callees[0].startswith("<R"):
                    for hit in self.deferred_sinks(f, site):
                        register(_Endpoint("sink", f, hit), self.expand(f, hit.taint))
            for cls, attr, taint in fn.field_stores:
                node = ("F", self.field_owner(cls, attr), attr)
                register(_Endpoint("field", f, node), self.expand(f, taint))
            for q, taint in fn.global_stores:
                register(_Endpoint("global", f, ("G", q)), self.expand(f, taint))
            for sink in entry_return.get(fn.qualname, ()):
                if sink.vuln not in self.rules:
                    continue
                for line, col, body in fn.body_returns:
                    hit = SinkHit(
                        sink.vuln,
                        sink.label or "returned as the response",
                        line,
                        col,
                        line,
                        col,
                        (),
                        "return",
                    )
                    register(_Endpoint("sink", f, hit), self.expand(f, body))

        # Functions that can see a concrete source on their own (a source expression, a class
        # attribute or module variable, a callee returning one, a framework handler) are
        # registered now; the others only when a source reaches one of their parameters.
        entry_names = {f.summary.qualname for f, _ep, _r in entries}
        for f in self.functions.values():
            if f.summary.qualname in entry_names or self.self_contained(f):
                register_function(f)

        # Inherited attributes: a load of Sub.x sees stores to Base.x. And an attribute that is a
        # source of a library base class reached through project classes in other modules
        # (``self.kwargs`` in a view deriving from a project base view) is that source.
        for node in list(deps):
            if node[0] == "F":
                for base in self.mro(node[1])[1:]:
                    bnode = ("F", base, node[2])
                    if bnode != node:
                        deps.setdefault(bnode, []).extend(deps[node])
                src = self.inherited_source((f"{node[1]}.{node[2]}",))
                if src is not None:
                    label = src.label or src.pattern
                    push(node, (("S", label, src.kind), _NOSAN), ())

        for f, ep, route in entries:
            for i, name in self.seed_params(f, ep, route):
                label = f"{ep.label or ep.framework + ' handler parameter'} `{name}`"
                trace: GTrace = ((f.path, f.summary.line, f.summary.col, f"source: {label}"),)
                push(("P", f.summary.qualname, i), (("S", label, ep.kind), _NOSAN), trace)

        while work:
            node, (origin, san), trace = work.popleft()
            if node[0] == "P" and node[1] not in registered:
                reached = self.functions.get(node[1])
                if reached is not None:
                    register_function(reached)
            for endpoint, san2, tr2 in deps.get(node, ()):
                deliver(endpoint, (origin, san | san2), self.cat(trace, tr2))

        return [finding for finding, _ in results.values()]

    def report(
        self,
        ep: _Endpoint,
        origin: tuple[Any, ...],
        san: frozenset[str],
        trace: GTrace,
        results: dict[tuple[str, str, int, int], tuple[Finding, int]],
    ) -> None:
        hit = ep.target
        rule = self.rules.get(hit.vuln)
        if rule is None or hit.vuln in san or "*" in san:
            return
        if any(t.startswith("?g") for t in san):
            proved = self.guard_clears(san)
            if hit.vuln in proved or "*" in proved:
                return
        if hit.requires and not any(m in san for m in hit.requires):
            return
        label, kind = str(origin[1]), str(origin[2])
        if kind == "local" and not (self.settings.local_sources and rule.accepts_local):
            return
        path = ep.func.path
        key = (rule.meta.code, path, hit.line, hit.col)
        rank = 0 if kind == "remote" else 1
        old = results.get(key)
        if old is not None and old[1] <= rank:
            return
        sink_step: GStep = (path, hit.line, hit.col, f"sink: {hit.label}")
        steps = self.cat(trace, (sink_step,))
        finding = rule.finding(
            Span(path, hit.line, hit.col, hit.end_line, hit.end_col),
            rule.message(label, kind, hit.label),
            severity=rule.severity_for(kind),
            source=label,
            source_kind=kind,
            sink=hit.label,
        )
        from dataclasses import replace

        finding = replace(finding, trace=_dedupe_steps(steps))
        results[key] = (finding, rank)


def _fallback(site: Site) -> Taint:
    """What a call returns when the callee is unknown: its arguments and receiver."""
    out: list[Any] = list(site.recv)
    for a in site.args:
        out.extend(a)
    for _k, t in site.kwargs:
        out.extend(t)
    out.extend(site.star)
    return tuple(out)


def _flatten(steps: GTrace) -> Iterator[GStep]:
    for chunk in steps:
        if len(chunk) == 2:
            path, local = chunk
            for line, col, label in local:
                yield (path, line, col, label)
        else:
            yield chunk


def _dedupe_steps(steps: GTrace) -> tuple[TraceStep, ...]:
    out: list[TraceStep] = []
    last: tuple[str, int, str] | None = None
    for path, line, col, label in _flatten(steps):
        key = (path, line, label)
        if key == last:
            continue
        last = key
        out.append(TraceStep(Span(path, line, col), label))
    return tuple(out)


def _route_params(route: str) -> dict[str, bool]:
    """Parameter name -> whether it can carry arbitrary text, from a Flask/Django/FastAPI route."""
    out: dict[str, bool] = {}
    for conv, name in _FLASK_VAR.findall(route):
        out[name] = (conv or "string") not in _SAFE_CONVERTERS
    for name, conv in _BRACE_VAR.findall(route):
        out[name] = conv not in ("int", "float", "uuid")
    for name, pattern in _REGEX_GROUP.findall(route):
        out[name] = not _DIGITS_ONLY.match(pattern)
    return out
