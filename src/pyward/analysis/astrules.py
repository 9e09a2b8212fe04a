"""Runs every enabled :class:`~pyward.rules.base.AstRule` over a file.

The semantic model already indexes every node by type, so no extra walk is needed: each rule gets
the nodes of the types it asked for. ``ast.Call`` nodes are further routed by callee name: a rule
that sets ``call_names`` (the last segment of the callees it cares about, e.g. ``{"load",
"unsafe_load"}``) only sees calls whose callee ends with one of them — either as written
(``yaml.load``, ``load``) or, for a name imported under an alias (``from yaml import load as l``),
as originally imported.
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


def callee_terminals(call: ast.Call, aliases: dict[str, str]) -> tuple[str, ...]:
    """The names a call's callee may end with: ``a.b.c(...)`` → ``("c",)``; an aliased import
    ``m(...)`` after ``from hashlib import md5 as m`` → ``("m", "md5")``."""
    func = call.func
    if isinstance(func, ast.Attribute):
        name = func.attr  # ``h.md5`` after ``import hashlib as h`` still ends with md5
    elif isinstance(func, ast.Name):
        name = func.id
    else:
        return ()
    original = aliases.get(name)
    return (name, original) if original and original != name else (name,)


def import_aliases(ctx: FileContext) -> dict[str, str]:
    """Local alias -> last segment of what it was imported as, over every import of the file."""
    aliases: dict[str, str] = {}
    index = ctx.semantic.nodes_by_type
    for node in index.get(ast.ImportFrom, ()):
        assert isinstance(node, ast.ImportFrom)
        for alias in node.names:
            if alias.asname and alias.asname != alias.name:
                aliases[alias.asname] = alias.name
    for node in index.get(ast.Import, ()):
        assert isinstance(node, ast.Import)
        for alias in node.names:
            if alias.asname:
                aliases[alias.asname] = alias.name.rsplit(".", 1)[-1]
    return aliases


class AstAnalysis(Analysis):
    name = "ast"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.instances: list[AstRule] = [r() for r in rules]  # type: ignore[misc]
        self.dispatch: dict[type[ast.AST], list[AstRule]] = {}
        self.call_all: list[AstRule] = []
        self.call_by_name: dict[str, list[AstRule]] = {}
        for inst in self.instances:
            for node_type in inst.node_types:
                if node_type is ast.Call and inst.call_names is not None:
                    for name in inst.call_names:
                        self.call_by_name.setdefault(name, []).append(inst)
                elif node_type is ast.Call:
                    self.call_all.append(inst)
                else:
                    self.dispatch.setdefault(node_type, []).append(inst)

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
            if self.call_by_name:
                routed: dict[int, list[ast.AST]] = {}
                by_name = self.call_by_name
                aliases = import_aliases(ctx)
                for call in calls:
                    assert isinstance(call, ast.Call)
                    seen: set[int] = set()
                    for terminal in callee_terminals(call, aliases):
                        for rule in by_name.get(terminal, ()):
                            key = id(rule)
                            if key not in seen:
                                seen.add(key)
                                routed.setdefault(key, []).append(call)
                for rule in self.instances:
                    nodes_for_rule = routed.get(id(rule))
                    if nodes_for_rule:
                        run(rule, nodes_for_rule)
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
