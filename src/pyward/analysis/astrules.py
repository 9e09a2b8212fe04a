"""Runs every enabled :class:`~pyward.rules.base.AstRule` over a file.

The semantic model already indexes every node by type, so no extra walk is needed: each rule gets
the nodes of the types it asked for. ``ast.Call`` nodes are further routed by callee name: a rule
that sets ``call_names`` (the last segment of the callees it cares about, e.g. ``{"load",
"unsafe_load"}``) only sees calls whose callee ends with one of them — either as written
(``yaml.load``, ``load``) or, for a name imported under an alias (``from yaml import load as l``),
as originally imported. A rule may also set ``call_keywords`` (``{"verify"}``): calls passing one
of those keyword arguments are routed to it as well (a rule setting only ``call_keywords`` sees
only such calls).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from pyward.analysis.base import Analysis, PerFileOutput
from pyward.model import Finding

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import AstRule, Rule
    from pyward.settings import Settings


def callee_terminals(call: ast.Call, aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The names a call's callee may end with: ``a.b.c(...)`` → ``("c",)``; an aliased import
    ``m(...)`` after ``from hashlib import md5 as m`` → ``("m", "md5")``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        name = func.attr  # ``h.md5`` after ``import hashlib as h`` still ends with md5
    elif isinstance(func, ast.Name):
        name = func.id
    else:
        return ()
    originals = aliases.get(name)
    return (name, *originals) if originals else (name,)


def import_aliases(ctx: FileContext) -> dict[str, tuple[str, ...]]:
    """Local alias -> last segments of what it was imported as, over every import of the file
    (one alias may name different things in different scopes)."""
    found: dict[str, set[str]] = {}
    index = ctx.semantic.nodes_by_type
    for node in index.get(ast.ImportFrom, ()):
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            if alias.asname and alias.asname != alias.name:
                found.setdefault(alias.asname, set()).add(alias.name)
    for node in index.get(ast.Import, ()):
        assert isinstance(node, ast.Import)
        for alias in node.names:
            if alias.asname:
                original = alias.name.rsplit(".", 1)[-1]
                if original != alias.asname:
                    found.setdefault(alias.asname, set()).add(original)
    return {name: tuple(sorted(originals)) for name, originals in found.items()}


class AstAnalysis(Analysis):
    name = "ast"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.instances: list[AstRule] = [r() for r in rules]  # type: ignore[misc]
        self.dispatch: dict[type[ast.AST], list[AstRule]] = {}
        self.call_all: list[AstRule] = []
        #: Rules whose calls are routed (by callee name or keyword), in rule order.
        self.routed: list[AstRule] = []
        by_name: dict[str, list[int]] = {}
        by_keyword: dict[str, list[int]] = {}
        for inst in self.instances:
            for node_type in inst.node_types:
                if node_type is ast.Call and (inst.call_names is not None or inst.call_keywords is not None):
                    slot = len(self.routed)
                    self.routed.append(inst)
                    for name in inst.call_names or ():
                        by_name.setdefault(name, []).append(slot)
                    for keyword in inst.call_keywords or ():
                        by_keyword.setdefault(keyword, []).append(slot)
                elif node_type is ast.Call:
                    self.call_all.append(inst)
                else:
                    self.dispatch.setdefault(node_type, []).append(inst)
        #: callee terminal / keyword name -> slots in ``routed``
        self.call_by_name: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in by_name.items()}
        self.call_by_keyword: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in by_keyword.items()}

    def route_calls(self, calls: Sequence[ast.AST], ctx: FileContext) -> list[list[ast.AST]]:
        """For each rule of ``routed``, the calls (in file order) it asked for."""
        buckets: list[list[ast.AST]] = [[] for _ in self.routed]
        by_name = self.call_by_name
        by_keyword = self.call_by_keyword
        aliases = import_aliases(ctx)
        attribute, name_type = ast.Attribute, ast.Name
        # Calls passing a routed keyword, from the file's keyword index (few keywords are routed;
        # looking through every call's keywords costs more): call id -> slots.
        keyword_slots_of: dict[int, list[int]] = {}
        if by_keyword:
            parent_of = ctx.semantic.parent
            for kw in ctx.semantic.nodes_by_type.get(ast.keyword, ()):
                keyword_slots = by_keyword.get(kw.arg) if kw.arg is not None else None  # type: ignore[attr-defined]
                if keyword_slots:
                    keyword_slots_of.setdefault(id(parent_of(kw)), []).extend(keyword_slots)
        for call in calls:
            assert isinstance(call, ast.Call)
            func = call.func
            cls = func.__class__
            if cls is attribute:
                name: str | None = func.attr  # type: ignore[attr-defined]
            elif cls is name_type:
                name = func.id  # type: ignore[attr-defined]
            else:
                name = None
            slots = by_name.get(name) if name is not None else None
            wanted: set[int] | None = None  # only built when a call matches in more than one way
            if aliases and name is not None:
                originals = aliases.get(name)
                if originals:
                    wanted = set(slots) if slots else set()
                    for original in originals:
                        wanted.update(by_name.get(original, ()))
            if keyword_slots_of:
                passed = keyword_slots_of.get(id(call))
                if passed:
                    if wanted is None:
                        wanted = set(slots) if slots else set()
                    wanted.update(passed)
            if wanted is None:
                if slots:
                    for slot in slots:
                        buckets[slot].append(call)
            else:
                for slot in wanted:
                    buckets[slot].append(call)
        return buckets

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        findings: list[Finding] = []
        crashes: list[tuple[str, BaseException]] = []
        broken: set[str] = set()
        index = ctx.semantic.nodes_by_type

        def run(rule: AstRule, nodes: Iterable[ast.AST]) -> None:
            code = rule.meta.code
            if code in broken:
                return
            visit: Callable[[ast.AST, FileContext], Iterable[Finding]] = rule.visit
            extend = findings.extend
            try:
                for node in nodes:
                    extend(visit(node, ctx))
            except (RecursionError, MemoryError, Exception) as exc:
                broken.add(code)
                crashes.append((code, exc))

        for node_type, handlers in self.dispatch.items():
            nodes = index.get(node_type)
            if nodes:
                for rule in handlers:
                    run(rule, nodes)
        calls = index.get(ast.Call)
        if calls:
            for rule in self.call_all:
                run(rule, calls)
            if self.routed:
                for rule, routed in zip(self.routed, self.route_calls(calls, ctx), strict=True):
                    if routed:
                        run(rule, routed)
        for rule in self.instances:
            if rule.meta.code in broken:
                continue
            try:
                findings.extend(rule.check_module(ctx))
            except Exception as exc:
                crashes.append((rule.meta.code, exc))
        return PerFileOutput(
            tuple(findings), errors=tuple(f"{code}: {type(exc).__name__}: {exc}" for code, exc in crashes)
        )
