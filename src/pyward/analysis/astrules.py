"""Runs every enabled :class:`~pyward.rules.base.AstRule` over a file in one walk of the tree."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pyward.analysis.base import Analysis, PerFileOutput
from pyward.model import Finding

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import AstRule, Rule
    from pyward.settings import Settings


class AstAnalysis(Analysis):
    name = "ast"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.instances: list[AstRule] = [r() for r in rules]  # type: ignore[misc]
        self.dispatch: dict[type[ast.AST], list[AstRule]] = {}
        for inst in self.instances:
            for node_type in inst.node_types:
                self.dispatch.setdefault(node_type, []).append(inst)

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        findings: list[Finding] = []
        crashes: list[tuple[str, BaseException]] = []
        broken: set[str] = set()
        dispatch = self.dispatch
        index = ctx.semantic.nodes_by_type
        for node_type, handlers in dispatch.items():
            for node in index.get(node_type, ()):
                for rule in handlers:
                    code = rule.meta.code
                    if code in broken:
                        continue
                    try:
                        findings.extend(rule.visit(node, ctx))
                    except (RecursionError, MemoryError, Exception) as exc:
                        broken.add(code)
                        crashes.append((code, exc))
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
