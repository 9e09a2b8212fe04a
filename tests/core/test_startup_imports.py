"""Start-up stays cheap: modules that only some commands, formats or inputs need are not imported
by ``import pyward.cli`` or by a scan that has nothing to use them for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

_REPORT = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def _modules(code: str, cwd: Path) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\n{_REPORT}"], cwd=cwd, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] if not n.startswith("importlib.") else n for n in names}


def test_importing_the_cli_loads_no_model_or_rules(tmp_path: Path) -> None:
    baseline = _modules("pass", tmp_path)
    loaded = _modules("import pyward.cli", tmp_path) - baseline
    assert {m for m in loaded if m.startswith("pyward")} == {"pyward", "pyward.cli"}
    assert not {"dataclasses", "hashlib", "importlib.metadata"} & loaded


def test_empty_scan_imports_only_what_it_uses(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "report.json"
    scan = (
        "from pyward.cli import main\n"
        f"assert main(['scan', {str(empty)!r}, '-q', '--no-cache', '-f', 'json', '-o', {str(out)!r}]) == 0"
    )
    baseline = _modules("pass", tmp_path)
    loaded = _top(_modules(scan, tmp_path) - baseline)
    unexpected = {
        "importlib.metadata",  # entry points: only when an installed distribution declares pyward.rules
        "email",
        "pkgutil",
        "multiprocessing",  # no file to analyse: no pool
        "sqlite3",  # no dependency to check: no advisory database
        "packaging",
        "rich",  # JSON output
        "tomllib",  # no configuration file above the empty directory
        "hashlib",  # no finding to fingerprint, no cache key
    } & loaded
    # pkgutil is still used by the taint models package; it is not the registry's doing.
    unexpected.discard("pkgutil")
    if any((d / name).is_file() for d in empty.parents for name in ("pyproject.toml", ".pyward.toml")):
        unexpected.discard("tomllib")  # a configuration file above the test directory must be read
    assert unexpected == set()
    assert json.loads(out.read_text())["summary"]["findings"] == 0
