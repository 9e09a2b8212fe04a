"""Rule discovery without pkgutil and importlib.metadata on the common path: the same modules in the
same order, and third-party rules still found through real installed entry points."""

from __future__ import annotations

import importlib
import pkgutil
import zipfile
from pathlib import Path

import pytest

from pyward import registry

PLUGIN = '''
import ast
from pyward.rules.base import AstRule, RuleMeta
from pyward.model import Confidence, Severity

class NoExit(AstRule):
    """Reports exit()."""
    meta = RuleMeta(code="PWA498", name="acme-no-exit", severity=Severity.LOW,
                    confidence=Confidence.HIGH, cwe=(), summary="exit() call")
    node_types = (ast.Call,)
    call_names = frozenset({"exit"})

    def visit(self, node, ctx):
        if ctx.call_name(node) == "builtins.exit":
            yield self.report(node, ctx, "exit() in library code")
'''


def test_walk_matches_pkgutil_order() -> None:
    package = importlib.import_module("pyward.rules")
    expected = ["pyward.rules"] + [
        info.name for info in pkgutil.walk_packages(package.__path__, prefix="pyward.rules.")
    ]
    assert [m.__name__ for m in registry._walk_package("pyward.rules")] == expected


def _install(site: Path, entry_points: str | None) -> None:
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points)
    (site / "acme_exit_rules.py").write_text(PLUGIN)


def test_installed_entry_point_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(tmp_path, "[console_scripts]\nacme = acme_exit_rules:main\n\n[pyward.rules]\nacme = acme_exit_rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "acme_exit_rules", raising=False)
    assert registry._declares_group("pyward.rules")
    registry.all_rules.cache_clear()
    try:
        rule = registry.rule_by_code("PWA498")
        assert rule is not None and rule.meta.name == "acme-no-exit"
    finally:
        registry.all_rules.cache_clear()


def test_other_groups_do_not_trigger_metadata_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install(tmp_path, "[console_scripts]\nacme = acme_exit_rules:main\n")
    (tmp_path / "other-2.0.dist-info").mkdir()  # no entry_points.txt at all
    (tmp_path / "legacy.egg-info").write_text("Name: legacy\n")  # a PKG-INFO style file
    monkeypatch.setattr("sys.path", [str(tmp_path), str(tmp_path / "missing")])
    assert not registry._declares_group("pyward.rules")
    assert registry._declares_group("console_scripts")
    assert list(registry.entry_points(group="pyward.rules")) == []


def test_unusual_path_entries_defer_to_importlib_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("acme_rules-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
        zf.writestr("acme_rules-1.0.dist-info/entry_points.txt", "[pyward.rules]\nacme = acme_exit_rules\n")
    monkeypatch.setattr("sys.path", [str(archive)])
    assert registry._declares_group("pyward.rules")
    assert [ep.value for ep in registry.entry_points(group="pyward.rules")] == ["acme_exit_rules"]
