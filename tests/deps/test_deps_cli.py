"""``pyward db import|status`` and ``pyward deps`` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_deps import POPULAR, PYPA

from pyward.cli import main


def test_db_import_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "adv.sqlite3"
    assert main(["db", "import", str(PYPA), "--db", str(db), "--popular", str(POPULAR)]) == 0
    out = capsys.readouterr().out
    assert f"advisory database built: {db}" in out
    assert "pypa: 2651 PyPI records from 2661 files (10 withdrawn, 0 other ecosystems, 0 failed to parse)" in out
    assert main(["db", "status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2651 records for 660 PyPI packages" in out and "source pypa (directory," in out
    assert "newest record modified 2024-10-10T17:22:00.587279Z" in out
    assert main(["db", "status", "--db", str(db), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["records"] == 2651 and doc["sources"][0]["label"] == "pypa" and doc["popular_list"]


def test_pyward_db_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("PYWARD_DB", str(db))
    assert main(["db", "import", str(PYPA / "vulns" / "flask")]) == 0
    assert db.is_file()
    assert main(["db", "status"]) == 0
    assert "3 records for 1 PyPI packages" in capsys.readouterr().out


def test_status_without_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "status", "--db", str(tmp_path / "none.sqlite3")]) == 3
    err = capsys.readouterr().err
    assert "no advisory database at" in err and "pyward db update" in err and "Traceback" not in err


def test_status_of_a_corrupt_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00garbage" * 300)
    assert main(["db", "status", "--db", str(bad)]) == 3
    assert "is not a usable advisory database" in capsys.readouterr().err


def test_import_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "adv.sqlite3"
    assert main(["db", "import", str(tmp_path / "missing"), "--db", str(db)]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert main(["db", "import", str(junk), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "db import failed" in err and "no database was written" in err and "Traceback" not in err
    assert main(["db"]) == 2


def _project(tmp_path: Path, requirements: str) -> Path:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "requirements.txt").write_text(requirements)
    return project


def test_deps_without_database_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "jinja2==2.11.3\n")
    rc = main(["deps", str(project), "--db", str(tmp_path / "none.sqlite3"), "--no-cache", "-f", "json"])
    captured = capsys.readouterr()
    assert rc == 3
    report = json.loads(captured.out)
    assert report["findings"] == []
    assert any("pyward db update" in line and "pyward db import PATH" in line for line in report["summary"]["incomplete"])


def test_deps_reports_vulnerable_pins_at_their_lines(
    tmp_path: Path, pypa_db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path, "# app\nflask==1.0\nrequests>=2.0\nmylib @ https://example.invalid/mylib.zip\n")
    rc = main(["deps", str(project), "--db", str(pypa_db_path), "--no-cache", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1
    got = sorted((f["code"], f["location"]["path"], f["location"]["line"]) for f in report["findings"])
    assert got == [("PWD901", "requirements.txt", 2), ("PWD902", "requirements.txt", 3), ("PWD904", "requirements.txt", 4)]
    (vuln,) = [f for f in report["findings"] if f["code"] == "PWD901"]
    assert vuln["properties"]["ids"] == ["PYSEC-2023-62"] and vuln["properties"]["fix"] == "2.2.5"


def test_deps_env_audits_the_running_environment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.metadata

    src = tmp_path / "src"
    src.mkdir()
    record = {
        "id": "TEST-2024-1",
        "modified": "2024-01-01T00:00:00Z",
        "summary": "every pytest release (test record)",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "pytest"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}],
    }
    (src / "TEST-2024-1.json").write_text(json.dumps(record))
    db = tmp_path / "db.sqlite3"
    assert main(["db", "import", str(src), "--db", str(db)]) == 0
    capsys.readouterr()
    rc = main(["deps", "--env", "--db", str(db), "--no-cache", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1
    (finding,) = [f for f in report["findings"] if f["code"] == "PWD901"]
    assert finding["properties"]["ids"] == ["TEST-2024-1"]
    assert finding["properties"]["version"] == importlib.metadata.version("pytest")
    assert "no released version of pytest is known to fix every advisory" in finding["message"]


def test_deps_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deps", "--dry-run", str(tmp_path)]) == 2
    assert "--dry-run only makes sense with --fix" in capsys.readouterr().err
    assert main(["deps", "--python", str(tmp_path / "no-python"), "--db", str(tmp_path / "x")]) == 2
    assert "no such interpreter" in capsys.readouterr().err
    assert main(["deps", "--env", "--python", "x"]) == 2  # mutually exclusive


def test_deps_fix_dry_run_then_fix(tmp_path: Path, pypa_db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "flask==1.0  # web\njinja2==2.10\n")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\ndependencies = ["pyyaml==5.3"]\n')
    before = (project / "requirements.txt").read_text()
    rc = main(["deps", str(project), "--db", str(pypa_db_path), "--no-cache", "--fix", "--dry-run", "-q"])
    out = capsys.readouterr().out
    assert rc == 1
    diff = out[: out.index("requirements.txt\n  1:1")]  # the diff comes before the report
    for line in ("-flask==1.0  # web", "+flask==2.2.5  # web", "-jinja2==2.10", "+jinja2==2.11.3"):
        assert f"\n{line}\n" in diff
    assert '+dependencies = ["pyyaml==5.4"]' in out
    assert (project / "requirements.txt").read_text() == before
    rc = main(["deps", str(project), "--db", str(pypa_db_path), "--no-cache", "--fix", "-f", "json"])
    captured = capsys.readouterr()
    assert rc == 0, captured.out
    assert json.loads(captured.out)["findings"] == []  # the report is of the fixed files
    assert (project / "requirements.txt").read_text() == "flask==2.2.5  # web\njinja2==2.11.3\n"
    assert "pyyaml==5.4" in (project / "pyproject.toml").read_text()
    assert "rewrote 2 file(s)" in captured.err


def test_scan_and_deps_report_a_stale_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from pyward.deps.advisories.importer import SourceInput, build_database

    db = tmp_path / "old.sqlite3"
    built = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=40)
    build_database(db, [SourceInput(PYPA / "vulns" / "jinja2")], popular=POPULAR.read_bytes(), now=built)
    project = _project(tmp_path, "jinja2==2.11.3\n")
    for command in ("deps", "scan"):
        rc = main([command, str(project), "--db", str(db), "--no-cache", "-f", "json"])
        report = json.loads(capsys.readouterr().out)
        assert rc == 0, command  # a warning, not a finding
        (diag,) = [d for d in report["diagnostics"] if d["code"] == "PWX010"]
        assert "is 40 days old (limit 7)" in diag["message"] and diag["location"]["path"] == "requirements.txt"


def test_scan_without_database_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "jinja2==2.11.3\n")
    (project / "app.py").write_text("print('hello')\n")
    assert main(["scan", str(project), "--db", str(tmp_path / "none.sqlite3"), "--no-cache"]) == 3
    assert "pyward db update" in capsys.readouterr().out


def test_deps_reads_explicitly_named_requirements_files(
    tmp_path: Path, pypa_db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("prod.txt").write_text("# production\n-r base.txt\nflask==1.0\nnot a requirement ===\n")
    Path("base.txt").write_text("jinja2==2.11.3\npyyaml==5.3\n")
    Path("notes.md").write_text("flask==1.0\n")
    rc = main(["deps", "prod.txt", "--db", str(pypa_db_path), "--no-cache", "-f", "json"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1
    got = sorted((f["code"], f["location"]["path"], f["location"]["line"], f["properties"]["ids"][0]) for f in report["findings"])
    assert got == [
        ("PWD901", "base.txt", 2, "PYSEC-2020-96"),
        ("PWD901", "base.txt", 2, "PYSEC-2021-142"),
        ("PWD901", "prod.txt", 3, "PYSEC-2023-62"),
    ]
    assert [(d["code"], d["location"]["path"], d["location"]["line"]) for d in report["diagnostics"]] == [("PWX011", "prod.txt", 4)]
    flask = next(f for f in report["findings"] if f["location"]["path"] == "prod.txt")
    assert flask["snippet"] == "flask==1.0"
    assert main(["deps", "notes.md", "--db", str(pypa_db_path)]) == 2
    assert "notes.md: not a dependency manifest pyward can read" in capsys.readouterr().err
