"""Every rule's documentation is complete, and its examples are real tests: the Example must
produce the rule's finding and the Use-instead must not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import run_scan

from pyward.registry import all_rules
from pyward.rules.base import Rule
from pyward.settings import Settings

RULES = all_rules()
REQUIRED = ("What it does", "Why is this bad?", "Example", "Use instead")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_metadata_valid(rule: type[Rule]) -> None:
    assert rule.meta.validate() == []


def test_codes_and_names_unique() -> None:
    codes = [r.meta.code for r in RULES]
    names = [r.meta.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_doc_sections(rule: type[Rule]) -> None:
    doc = rule.doc()
    for title in REQUIRED:
        assert doc.sections.get(title, "").strip(), f"{rule.meta.code}: missing section {title!r}"
    if rule.examples_testable:
        assert doc.example.strip(), f"{rule.meta.code}: Example has no fenced code block"
        assert doc.use_instead.strip(), f"{rule.meta.code}: Use instead has no fenced code block"


def _scan_example(
    rule: type[Rule], code: str, tmp: Path, tmp_path_factory: pytest.TempPathFactory
) -> set[str]:
    target = tmp / rule.example_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(code, encoding="utf-8")
    options: dict[str, Any] = {}
    if rule.meta.code.startswith("PWD"):
        from support_deps import shared_pypa_db

        options["db"] = shared_pypa_db(tmp_path_factory)
    select = (rule.meta.code,) if rule.meta.code != "PWX001" else ()
    settings = Settings(select=select, warn_unused_ignores=rule.meta.code == "PWX003", local_sources=True)
    report = run_scan([tmp], root=tmp, settings=settings, options=options)
    return {f.code for f in (*report.findings, *report.diagnostics)}


@pytest.mark.parametrize("rule", [r for r in RULES if r.examples_testable], ids=lambda r: r.meta.code)
def test_example_fires(rule: type[Rule], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert rule.meta.code in _scan_example(rule, rule.doc().example, tmp_path / "bad", tmp_path_factory)


@pytest.mark.parametrize("rule", [r for r in RULES if r.examples_testable], ids=lambda r: r.meta.code)
def test_use_instead_is_clean(
    rule: type[Rule], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert rule.meta.code not in _scan_example(
        rule, rule.doc().use_instead, tmp_path / "good", tmp_path_factory
    )
