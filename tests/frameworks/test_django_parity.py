"""pyward's Django settings rules against the real ``manage.py check --deploy``.

Each ``settings_*.py`` of the parity fixture project is checked by Django (in a subprocess with an
empty environment, so every environment read takes its default, as pyward assumes) and scanned by
pyward; the Django ids, mapped through ``DJANGO_CHECK_MAP``, must be exactly pyward's mapped
findings for that module, up to the documented differences below. pyward's other findings must be
its own extras (rules with no Django equivalent).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURES, REPO, run_scan

from pyward.frameworks.django import DJANGO_CHECK_MAP, check_deploy_markdown
from pyward.model import Report
from pyward.registry import all_rules
from pyward.settings import Settings

PARITY = FIXTURES / "projects" / "django_parity"
MODULES = sorted(f"paritysite.{p.stem}" for p in (PARITY / "paritysite").glob("settings_*.py"))
MAPPED = set(DJANGO_CHECK_MAP.values())
EXTRAS = {r.meta.code for r in all_rules() if r.meta.code.startswith("PWC5")} - MAPPED
DOC = REPO / "docs" / "django-check-deploy.md"

#: module -> (codes only Django reports, codes only pyward reports, why).
DIFFERENCES: dict[str, tuple[set[str], set[str], str]] = {
    "paritysite.settings_subclass": (
        {"PWC501", "PWC502", "PWC503"},
        set(),
        "Django compares middleware paths; project subclasses of its middleware are present for pyward",
    ),
}
#: module -> text Django's check prints instead of findings (a crash pyward reports as a finding).
DJANGO_CRASHES: dict[str, tuple[str, set[str]]] = {
    "paritysite.settings_missingview": ("ViewDoesNotExist", {"PWC520"}),
}
#: module -> (first Django major version that can load it, pyward codes it must report anyway).
NEEDS_DJANGO: dict[str, tuple[int, set[str]]] = {
    "paritysite.settings_csp": (6, {"PWC521", "PWC522"}),  # django.utils.csp is new in 6.0
}

#: The interpreter that runs Django (default: this one), and extra import paths, so the test can
#: also be run against another Django: PYWARD_PARITY_PYTHON=python3.12 PYWARD_PARITY_PATH=/tmp/dj6.
PYTHON = os.environ.get("PYWARD_PARITY_PYTHON", sys.executable)
EXTRA_PATH = os.environ.get("PYWARD_PARITY_PATH", "")


def _env(module: str = "") -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(p for p in (str(PARITY), EXTRA_PATH) if p),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if module:
        env["DJANGO_SETTINGS_MODULE"] = module
    return env


def django_major() -> int | None:
    proc = subprocess.run(
        [PYTHON, "-c", "import django; print(django.VERSION[0])"], capture_output=True, text=True, env=_env()
    )
    return int(proc.stdout.strip()) if proc.returncode == 0 else None


def django_check(module: str, tmp: Path) -> tuple[set[str], str]:
    proc = subprocess.run(
        [PYTHON, "-m", "django", "check", "--deploy"],
        cwd=tmp,
        env=_env(module),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    return set(re.findall(r"\b(security\.[WE]\d{3})\b", output)), output


@pytest.fixture(scope="module")
def report() -> Report:
    return run_scan([PARITY], root=PARITY, settings=Settings(select=("PWC5",)))


def pyward_codes(report: Report, module: str) -> set[str]:
    return {f.code for f in report.findings if module in f.properties.get("settings_modules", ())}


def test_parity_fixture_has_modules() -> None:
    assert len(MODULES) >= 5, MODULES


@pytest.mark.parametrize("module", MODULES)
def test_check_deploy_parity(module: str, report: Report, tmp_path: Path) -> None:
    major = django_major()
    assert major is not None, "Django is required for this test: pip install -e '.[test]'"
    ids, output = django_check(module, tmp_path)
    ours = pyward_codes(report, module)
    if module in NEEDS_DJANGO and major < NEEDS_DJANGO[module][0]:
        assert "ModuleNotFoundError" in output or "No module named" in output, output[-2000:]
        assert NEEDS_DJANGO[module][1] <= ours
        return
    if module in DJANGO_CRASHES:
        marker, codes = DJANGO_CRASHES[module]
        assert marker in output, output[-2000:]
        assert codes <= ours
        return
    assert "Traceback" not in output, output[-3000:]
    unknown = ids - set(DJANGO_CHECK_MAP)
    assert not unknown, f"Django ids without a pyward mapping: {sorted(unknown)}"
    expected = {DJANGO_CHECK_MAP[i] for i in ids}
    django_only, pyward_only, _why = DIFFERENCES.get(module, (set(), set(), ""))
    assert django_only <= expected, f"documented difference no longer happens: {django_only - expected}"
    assert ours & MAPPED == (expected - django_only) | pyward_only, (
        f"Django: {sorted(ids)} -> {sorted(expected)}; pyward: {sorted(ours & MAPPED)}"
    )
    assert ours - MAPPED <= EXTRAS


def test_every_check_deploy_rule_exercised(report: Report) -> None:
    """Across the parity modules, every pyward rule that maps a Django id fires at least once."""
    seen: set[str] = set()
    for module in MODULES:
        seen |= pyward_codes(report, module)
    assert MAPPED - seen == set(), sorted(MAPPED - seen)


def test_mapping_doc_is_current() -> None:
    text = check_deploy_markdown(all_rules())
    if os.environ.get("PYWARD_UPDATE_DOCS"):
        DOC.parent.mkdir(parents=True, exist_ok=True)
        tmp = DOC.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, DOC)
    assert DOC.is_file(), f"{DOC} is missing: run PYWARD_UPDATE_DOCS=1 pytest {__file__}"
    assert DOC.read_text(encoding="utf-8") == text, f"{DOC} is stale: run PYWARD_UPDATE_DOCS=1 pytest {__file__}"


def test_startproject_parity(tmp_path: Path) -> None:
    """The project the installed Django's ``startproject`` writes: same findings as its check."""
    assert django_major() is not None, "Django is required for this test: pip install -e '.[test]'"
    project = tmp_path / "site"
    project.mkdir()
    made = subprocess.run(
        [PYTHON, "-m", "django", "startproject", "paritysite2", str(project)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    env = _env("paritysite2.settings")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(project), EXTRA_PATH) if p)
    proc = subprocess.run(
        [PYTHON, "-m", "django", "check", "--deploy"], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300,
    )
    ids = set(re.findall(r"\b(security\.[WE]\d{3})\b", proc.stdout + proc.stderr))
    assert ids, proc.stdout + proc.stderr
    report = run_scan([project], root=project, settings=Settings(select=("PWC5",)))
    ours = pyward_codes(report, "paritysite2.settings")
    assert ours & MAPPED == {DJANGO_CHECK_MAP[i] for i in ids}
    # and the extras a startproject settings file deserves: the literal key
    assert ours - MAPPED == {"PWC531"}
