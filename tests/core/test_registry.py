"""Rule discovery: built-in modules and third-party rules through the ``pyward.rules`` entry points."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest
from support import run_scan

from pyward import registry
from pyward.model import Confidence, Severity
from pyward.rules.base import AstRule, RuleMeta


def _plugin_module() -> types.ModuleType:
    module = types.ModuleType("acme_pyward_rules")
    source = '''
import ast
from pyward.rules.base import AstRule, RuleMeta
from pyward.model import Confidence, Severity

class NoPrint(AstRule):
    """Reports print()."""
    meta = RuleMeta(code="PWA499", name="acme-no-print", severity=Severity.LOW,
                    confidence=Confidence.HIGH, cwe=(), summary="print() call")
    node_types = (ast.Call,)
    call_names = frozenset({"print"})

    def visit(self, node, ctx):
        if ctx.call_name(node) == "builtins.print":
            yield self.report(node, ctx, "print() in library code")
'''
    exec(compile(source, "acme_pyward_rules.py", "exec"), module.__dict__)
    return module


class _EntryPoint:
    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self._value = value

    def load(self) -> Any:
        return self._value


def test_third_party_rules_from_entry_points(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _plugin_module()
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [_EntryPoint("acme", module)] if group == "pyward.rules" else []
    )
    registry.all_rules.cache_clear()
    try:
        assert registry.rule_by_code("PWA499") is not None
        (tmp_path / "a.py").write_text("print('x')\nimport builtins\n")
        report = run_scan([tmp_path], root=tmp_path)
        assert [(f.code, f.span.line) for f in report.findings if f.code == "PWA499"] == [("PWA499", 1)]
    finally:
        registry.all_rules.cache_clear()


def test_duplicate_codes_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Clash(AstRule):
        """Clash."""

        meta = RuleMeta(
            code="PWA301", name="clash", severity=Severity.LOW, confidence=Confidence.LOW, cwe=(), summary="x"
        )

    monkeypatch.setattr(registry, "entry_points", lambda group: [_EntryPoint("clash", Clash)])
    registry.all_rules.cache_clear()
    try:
        # A third-party rule never silently replaces a built-in one: the clash is an error that
        # names both, and the CLI turns it into exit code 2 without a traceback.
        with pytest.raises(registry.RegistryError, match="duplicate rule code PWA301"):
            registry.all_rules()
        from pyward.cli import main

        registry.all_rules.cache_clear()
        assert main(["rules"]) == 2
    finally:
        registry.all_rules.cache_clear()
