"""Fixture files with inline expectations, run through the real engine.

- ``tests/fixtures/rules/<CODE or topic>/<file>``: each file is scanned on its own.
- ``tests/fixtures/projects/<name>/``: the whole directory is scanned as one project (cross-file
  flows, settings chains, templates, manifests).

Every line marked ``expect: CODE`` must get exactly those findings, every other line none (within
the code families the fixture mentions, or its ``fixture: select=...`` header), and a line marked
``ok: CODE`` must not get CODE.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, compare, read_expectations, run_scan

from pyward.settings import Settings

_SKIP_NAMES = {"__init__.py"}


def _rule_files() -> list[Path]:
    base = FIXTURES / "rules"
    return sorted(
        p
        for p in base.rglob("*")
        if p.is_file() and p.name not in _SKIP_NAMES and "__pycache__" not in p.parts
    )


def _projects() -> list[Path]:
    base = FIXTURES / "projects"
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def _options(exp: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, Any]]:
    settings = Settings(local_sources="local-sources" in exp.flags)
    options: dict[str, Any] = {}
    if exp.options.get("db") == "pypa":
        from support_deps import shared_pypa_db

        options["db"] = shared_pypa_db(tmp_path_factory)
    return settings, options


@pytest.mark.parametrize("path", _rule_files(), ids=lambda p: str(p.relative_to(FIXTURES / "rules")))
def test_rule_fixture(path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    exp = read_expectations([(path.name, path)])
    if not exp.expect and not exp.ok:
        pytest.fail(f"{path} has no expect:/ok: annotations")
    settings, options = _options(exp, tmp_path_factory)
    report = run_scan([path], root=path.parent, settings=settings, options=options)
    problems = compare(report, exp)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("project", _projects(), ids=lambda p: p.name)
def test_project_fixture(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    files = [(p.relative_to(project).as_posix(), p) for p in sorted(project.rglob("*")) if p.is_file()]
    exp = read_expectations(files)
    settings, options = _options(exp, tmp_path_factory)
    report = run_scan([project], root=project, settings=settings, options=options)
    problems = compare(report, exp)
    assert not problems, "\n".join(problems)
