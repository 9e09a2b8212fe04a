"""The library models indexed for matching on qualified names.

Built once per process (:func:`get_index`). Every lookup is a dictionary access or a short walk
over the dotted prefixes of a name, memoised, so matching costs next to nothing per expression.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pyward.analysis.taint import spec as s
from pyward.analysis.taint.models import load_spec

_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}


@dataclass
class SpecIndex:
    spec: s.Spec
    aliases: dict[str, str] = field(default_factory=dict)
    sources: dict[str, s.Source] = field(default_factory=dict)
    call_sinks: dict[str, list[s.Sink]] = field(default_factory=dict)
    method_sinks: dict[str, list[s.Sink]] = field(default_factory=dict)
    suffix_sinks: list[tuple[str, s.Sink]] = field(default_factory=list)
    store_sinks: dict[str, list[s.Sink]] = field(default_factory=dict)
    return_sinks: dict[str, list[s.Sink]] = field(default_factory=dict)
    sanitizers: dict[str, list[s.Sanitizer]] = field(default_factory=dict)
    method_sanitizers: dict[str, list[s.Sanitizer]] = field(default_factory=dict)
    guards: dict[str, s.Guard] = field(default_factory=dict)
    method_guards: dict[str, s.Guard] = field(default_factory=dict)
    propagators: dict[str, s.Propagator] = field(default_factory=dict)
    method_propagators: dict[str, s.Propagator] = field(default_factory=dict)
    call_types: dict[str, str] = field(default_factory=dict)
    #: TypeOf declarations with ``when``/``receiver`` (checked against each call).
    cond_call_types: dict[str, list[s.TypeOf]] = field(default_factory=dict)
    #: ``Sanitizer("[key]")``: values written under a constant dict key.
    key_sanitizers: dict[str, list[s.Sanitizer]] = field(default_factory=dict)
    attr_types: dict[str, str] = field(default_factory=dict)
    item_types: dict[str, str] = field(default_factory=dict)
    suffix_attr_types: list[tuple[str, str]] = field(default_factory=list)
    suffix_call_types: list[tuple[str, str]] = field(default_factory=list)
    supers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Types some source is an attribute of (``django.http.HttpRequest``): request objects.
    source_owners: frozenset[str] = frozenset()
    #: Top-level modules that some model talks about (calls into them are library calls).
    model_roots: frozenset[str] = frozenset()
    #: Every qualified name a model mentions as a type (library classes, never project classes).
    library_types: frozenset[str] = frozenset()
    _canon: dict[str, str] = field(default_factory=dict)
    _source: dict[str, s.Source | None] = field(default_factory=dict)
    _sinks: dict[str, list[s.Sink]] = field(default_factory=dict)
    _ctype: dict[str, str | None] = field(default_factory=dict)
    _atype: dict[str, str | None] = field(default_factory=dict)
    _attr_facts: dict[tuple[str, ...], tuple[s.Source | None, tuple[str, ...]]] = field(default_factory=dict)
    _call_types: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    _facts: dict[
        tuple[str, ...],
        tuple[s.Source | None, str, list[s.Sink], list[s.Sanitizer] | None, s.Propagator | None],
    ] = field(default_factory=dict)

    # names ---------------------------------------------------------------------------------
    def canonical(self, qual: str) -> str:
        """``qual`` with the longest matching :class:`Alias` prefix rewritten (memoised)."""
        hit = self._canon.get(qual)
        if hit is not None:
            return hit
        result = qual
        if self.aliases:
            parts = qual.split(".")
            for n in range(len(parts), 0, -1):
                prefix = ".".join(parts[:n])
                target = self.aliases.get(prefix)
                if target is not None:
                    result = ".".join([target, *parts[n:]])
                    break
        if len(self._canon) < 200_000:
            self._canon[qual] = result
        return result

    def source(self, qual: str) -> s.Source | None:
        """The source that ``qual`` or one of its dotted prefixes is, else None (memoised)."""
        if qual in self._source:
            return self._source[qual]
        found: s.Source | None = None
        parts = qual.split(".")
        for n in range(len(parts), 1, -1):
            found = self.sources.get(".".join(parts[:n]))
            if found is not None:
                break
        if len(self._source) < 200_000:
            self._source[qual] = found
        return found

    def sinks_for(self, qual: str) -> list[s.Sink]:
        hit = self._sinks.get(qual)
        if hit is not None:
            return hit
        found = self.call_sinks.get(qual) or []
        if self.suffix_sinks:
            extra = [sink for suffix, sink in self.suffix_sinks if qual.endswith(suffix)]
            if extra:
                found = [*found, *extra]
        if len(self._sinks) < 200_000:
            self._sinks[qual] = found
        return found

    def call_facts(
        self, quals: tuple[str, ...]
    ) -> tuple[s.Source | None, str, list[s.Sink], list[s.Sanitizer] | None, s.Propagator | None]:
        """For the names a call may resolve to, tried in order: the first source, the first name
        with sinks and its sinks, the first sanitizer list, the first propagator (memoised)."""
        hit = self._facts.get(quals)
        if hit is not None:
            return hit
        src = self._first_source(quals)
        sink_q = ""
        sinks: list[s.Sink] = []
        for q in quals:
            found = self.sinks_for(q)
            if found:
                sink_q, sinks = q, found
                break
        sans: list[s.Sanitizer] | None = None
        for q in quals:
            sans = self.sanitizers.get(q)
            if sans is not None:
                break
        prop: s.Propagator | None = None
        for q in quals:
            prop = self.propagators.get(q)
            if prop is not None:
                break
        result = (src, sink_q, sinks, sans, prop)
        if len(self._facts) < 200_000:
            self._facts[quals] = result
        return result

    def attr_facts(self, quals: tuple[str, ...]) -> tuple[s.Source | None, tuple[str, ...]]:
        """For the names an attribute may resolve to, tried in order: the first source, and the
        type (with its library bases) of the first name with a declared type (memoised)."""
        hit = self._attr_facts.get(quals)
        if hit is not None:
            return hit
        types: tuple[str, ...] = ()
        for q in quals:
            t = self.attr_type(q)
            if t:
                types = self.with_supers(t)
                break
        result = (self._first_source(quals), types)
        if len(self._attr_facts) < 200_000:
            self._attr_facts[quals] = result
        return result

    def _first_source(self, quals: tuple[str, ...]) -> s.Source | None:
        for q in quals:
            src = self.source(q)
            if src is not None:
                return src
        return None

    def call_types_of(self, quals: tuple[str, ...]) -> tuple[str, ...]:
        """The declared result type (with its library bases) of the first name with one (memoised)."""
        hit = self._call_types.get(quals)
        if hit is not None:
            return hit
        types: tuple[str, ...] = ()
        for q in quals:
            t = self.call_type(q)
            if t:
                types = self.with_supers(t)
                break
        if len(self._call_types) < 200_000:
            self._call_types[quals] = types
        return types

    def call_type(self, qual: str) -> str | None:
        if qual in self._ctype:
            return self._ctype[qual]
        t = self.call_types.get(qual)
        if t is None and self.suffix_call_types:
            for suffix, typ in self.suffix_call_types:
                if qual.endswith(suffix):
                    t = typ
                    break
        if len(self._ctype) < 200_000:
            self._ctype[qual] = t
        return t

    def attr_type(self, qual: str) -> str | None:
        """The type of attribute ``qual`` (memoised: looked up for every attribute load)."""
        if qual in self._atype:
            return self._atype[qual]
        t = self._attr_type(qual)
        if len(self._atype) < 200_000:
            self._atype[qual] = t
        return t

    def _attr_type(self, qual: str) -> str | None:
        t = self.attr_types.get(qual)
        if t is None and "." in qual:
            # ``TypeOf("pymongo.MongoClient.*", ...)``: every attribute of a typed value
            t = self.attr_types.get(qual.rsplit(".", 1)[0] + ".*")
        if t is None and self.suffix_attr_types:
            for suffix, typ in self.suffix_attr_types:
                if qual.endswith(suffix):
                    return typ
        return t

    def is_library(self, qual: str) -> bool:
        """Whether ``qual`` belongs to the standard library (never a project function)."""
        return qual.split(".", 1)[0] in _STDLIB

    def with_supers(self, typ: str) -> tuple[str, ...]:
        """``typ`` and its library base classes (from :class:`Subtype`), nearest first."""
        return self.supers.get(typ, (typ,))


def _split_pattern(pattern: str) -> tuple[str, str]:
    """('exact'|'suffix'|'method', key)."""
    if pattern.startswith("#"):
        return "method", pattern[1:]
    if pattern.startswith("*."):
        return "suffix", pattern[1:]
    return "exact", pattern


def build_index(spec: s.Spec) -> SpecIndex:
    idx = SpecIndex(spec)
    for alias in spec.aliases:
        idx.aliases[alias.name] = alias.target
    canon = idx.canonical
    for src in spec.sources:
        old = idx.sources.setdefault(canon(src.pattern), src)
        if old is not src:
            # a pattern declared again (to add marks): keep one source with every mark and the
            # first non-empty label, whatever the module order
            marks = tuple(dict.fromkeys((*old.marks, *src.marks)))
            keys = tuple(dict.fromkeys((*old.trusted_keys, *src.trusted_keys)))
            label = old.label or src.label
            if marks != old.marks or label != old.label or keys != old.trusted_keys:
                idx.sources[canon(src.pattern)] = replace(old, marks=marks, label=label, trusted_keys=keys)
    for sink in spec.sinks:
        kind, key = _split_pattern(sink.pattern)
        if sink.kind == "return":
            idx.return_sinks.setdefault(sink.pattern, []).append(sink)
        elif sink.kind == "store":
            idx.store_sinks.setdefault(canon(key), []).append(sink)
        elif kind == "method":
            idx.method_sinks.setdefault(key, []).append(sink)
        elif kind == "suffix":
            idx.suffix_sinks.append((key, sink))
        else:
            idx.call_sinks.setdefault(canon(key), []).append(sink)
    for san in spec.sanitizers:
        kind, key = _split_pattern(san.pattern)
        if san.pattern.startswith("[") and san.pattern.endswith("]"):
            idx.key_sanitizers.setdefault(san.pattern[1:-1], []).append(san)
        elif kind == "method":
            idx.method_sanitizers.setdefault(key, []).append(san)
        else:
            idx.sanitizers.setdefault(canon(key), []).append(san)
    for guard in spec.guards:
        kind, key = _split_pattern(guard.pattern)
        if kind == "method":
            idx.method_guards.setdefault(key, guard)
        else:
            idx.guards.setdefault(canon(key), guard)
    for prop in spec.propagators:
        kind, key = _split_pattern(prop.pattern)
        if kind == "method":
            idx.method_propagators.setdefault(key, prop)
        else:
            idx.propagators.setdefault(canon(key), prop)
    types: set[str] = set()
    for t in spec.types:
        pattern = t.pattern
        types.add(t.type)
        if (t.when or t.receiver) and pattern.endswith("()"):
            idx.cond_call_types.setdefault(canon(pattern[:-2]), []).append(t)
        elif pattern.endswith("()"):
            base = pattern[:-2]
            if base.startswith("*."):
                idx.suffix_call_types.append((base[1:], t.type))
            else:
                idx.call_types.setdefault(canon(base), t.type)
        elif pattern.endswith("[]"):
            idx.item_types.setdefault(canon(pattern[:-2]), t.type)
        elif pattern.startswith("*."):
            idx.suffix_attr_types.append((pattern[1:], t.type))
        else:
            idx.attr_types.setdefault(canon(pattern), t.type)
    direct: dict[str, list[str]] = {}
    for sub in spec.subtypes:
        direct.setdefault(canon(sub.cls), []).append(canon(sub.base))
        types.update((sub.cls, sub.base))
    for cls in direct:
        order: list[str] = [cls]
        queue = list(direct[cls])
        while queue:
            base = queue.pop(0)
            if base not in order:
                order.append(base)
                queue.extend(direct.get(base, ()))
        idx.supers[cls] = tuple(order)
    for ep in spec.entry_points:
        for _, typ in ep.param_types:
            types.add(typ)
    for pt in spec.param_types:
        types.add(pt.type)
    idx.library_types = frozenset(canon(t) for t in types)
    roots: set[str] = set()
    for pattern in [
        *(x.pattern for x in spec.sources),
        *(x.pattern for x in spec.sinks),
        *(x.pattern for x in spec.sanitizers),
        *types,
    ]:
        if not pattern.startswith(("#", "*")):
            roots.add(pattern.split(".", 1)[0])
    idx.model_roots = frozenset(roots)
    idx.source_owners = frozenset(p.rsplit(".", 1)[0] for p in idx.sources)
    return idx


@lru_cache(maxsize=1)
def get_index() -> SpecIndex:
    return build_index(load_spec())
