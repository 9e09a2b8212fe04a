"""Syntax newer than the running interpreter is still analysed, with the same findings as a newer
Python gives: each fixture in tests/fixtures/newsyntax is scanned here (3.11 in CI, through the
fallback front end) and under Python 3.13 in a subprocess, and both must match the annotations."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import FIXTURES, REPO, compare, read_expectations, run_scan

NEWSYNTAX = sorted((FIXTURES / "newsyntax").glob("*.py"))
RUNTIME_DEPS = ["libcst>=1.8.0", "pathspec>=0.12", "rich>=13", "platformdirs>=3", "packaging>=23"]


def _python313() -> str | None:
    pyenv = shutil.which("pyenv")
    candidates = []
    if pyenv:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True).stdout.strip()
        candidates.append(Path(root) / "versions" / "3.13.0" / "bin" / "python3")
    candidates.append(Path.home() / ".pyenv" / "versions" / "3.13.0" / "bin" / "python3")
    for c in candidates:
        if c.is_file():
            return str(c)
    return shutil.which("python3.13")


@pytest.fixture(scope="session")
def py313_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    python = _python313()
    if python is None:
        pytest.skip("Python 3.13 is not installed (pyenv 3.13.0)")
    target = REPO / ".pytest_cache" / "py313-deps"
    if not (target / "libcst").is_dir():
        proc = subprocess.run(
            [python, "-m", "pip", "install", "-q", "--target", str(target), *RUNTIME_DEPS],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            pytest.skip(f"cannot install pyward's dependencies for Python 3.13: {proc.stderr[-500:]}")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(target)])
    return python, env


@pytest.mark.parametrize("path", NEWSYNTAX, ids=lambda p: p.name)
def test_newer_syntax_here(path: Path) -> None:
    exp = read_expectations([(path.name, path)])
    report = run_scan([path], root=path.parent)
    assert not compare(report, exp), "\n".join(compare(report, exp))


@pytest.mark.parametrize("path", NEWSYNTAX, ids=lambda p: p.name)
def test_same_findings_on_313(path: Path, py313_env: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    python, env = py313_env
    exp = read_expectations([(path.name, path)])
    local = run_scan([path], root=path.parent)
    proc = subprocess.run(
        [python, "-m", "pyward", "scan", str(path), "--no-cache", "-f", "json", "-j", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=path.parent,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    there = sorted((f["code"], f["location"]["line"]) for f in data["findings"] if exp.in_scope(f["code"]))
    here = sorted((f.code, f.span.line) for f in local.findings if exp.in_scope(f.code))
    assert here == there
