"""The dependency audit over parsed dependencies: findings, messages, ignores, stale and missing DB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pyward.analysis.base import FileEntry, ProjectModel
from pyward.deps.analysis import DependencyAnalysis, audit
from pyward.deps.types import Dependency, ManifestResult
from pyward.model import FileKind, Finding, Severity
from pyward.registry import all_rules
from pyward.settings import DepsIgnore, Settings

ALL = {"PWD901", "PWD902", "PWD904"}


def dep(name: str, spec: str = "", version: str | None = None, line: int = 1, **kw: object) -> Dependency:
    return Dependency(name, spec, version, "requirements.txt", line, **kw)  # type: ignore[arg-type]


def run(db: Path, deps: list[Dependency], settings: Settings | None = None, **kw: object) -> tuple[list[Finding], list[str]]:
    incomplete: list[str] = []
    findings = audit(deps, db, settings or Settings(), ALL | {"PWX010", "PWX012"}, db.parent, incomplete=incomplete, **kw)  # type: ignore[arg-type]
    return findings, incomplete


def test_vulnerable_pin(pypa_db_path: Path) -> None:
    findings, incomplete = run(pypa_db_path, [dep("Jinja2", "==2.10", "2.10", line=3)])
    assert incomplete == []
    assert [(f.code, f.span.path, f.span.line, f.properties["ids"]) for f in findings] == [
        ("PWD901", "requirements.txt", 3, ["PYSEC-2019-217"]),
        ("PWD901", "requirements.txt", 3, ["PYSEC-2021-66"]),
    ]
    first = findings[0]
    assert first.message.startswith("Jinja2 2.10 is affected by PYSEC-2019-217 (aliases: GHSA-462w-v97r-4m45, CVE-2019-10906): ")
    assert "fixed in 2.10.1" in first.message
    assert "smallest upgrade fixing all 5 known advisories of Jinja2: 2.11.3" in first.message
    assert first.properties["aliases"] == ["GHSA-462w-v97r-4m45", "CVE-2019-10906"]
    assert first.properties["sources"] == ["pypa"]
    assert first.properties["fix"] == "2.11.3"
    assert first.severity is Severity.HIGH and "no CVSS score published" in first.message
    assert first.fix is not None and first.fix.description == "upgrade Jinja2 to 2.11.3"


def test_severity_comes_from_cvss(pypa_db_path: Path) -> None:
    findings, _ = run(pypa_db_path, [dep("GitPython", "==3.1.30", "3.1.30")])
    by_id = {f.properties["ids"][0]: f for f in findings}
    f = by_id["PYSEC-2023-165"]  # CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:L
    assert f.severity is Severity.MEDIUM
    assert "[CVSS 6.5 CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:L; reported by pypa]" in f.message


def test_safe_pin_has_no_finding(pypa_db_path: Path) -> None:
    assert run(pypa_db_path, [dep("jinja2", "==2.11.3", "2.11.3"), dep("django", "==4.2.16", "4.2.16")]) == ([], [])


def test_unpinned_range_lists_what_it_admits(pypa_db_path: Path) -> None:
    findings, _ = run(pypa_db_path, [dep("requests", ">=2.0", line=2)])
    (f,) = findings
    assert (f.code, f.severity, f.span.line) == ("PWD902", Severity.LOW, 2)
    assert f.message == (
        "requests>=2.0 is not pinned: what gets installed depends on the day it is resolved; it admits versions "
        "affected by 5 advisories: PYSEC-2014-13 (2.0.0 to 2.2.1), PYSEC-2014-14 (2.0.0 to 2.2.1), "
        "PYSEC-2015-17 (2.1.0 to 2.5.3), PYSEC-2018-28 (2.0.0 to 2.19.1), PYSEC-2023-74 (2.3.0 to 2.30.0); "
        "the newest version it admits that pyward knows of, 2.31.0, is not affected by any known advisory; "
        "newer releases are admitted too and may be fine; pin a safe version (>= 2.31.0)"
    )
    assert f.properties["newest_known"] == "2.31.0"


def test_capped_range_says_the_newest_allowed_is_vulnerable(pypa_db_path: Path) -> None:
    (f,) = run(pypa_db_path, [dep("pyyaml", "<5.3")])[0]
    assert "the newest version it admits that pyward knows of, 5.2, is itself affected by PYSEC-2020-96, PYSEC-2021-142" in f.message
    assert "newer releases are admitted" not in f.message


def test_bare_name_and_safe_range(pypa_db_path: Path) -> None:
    findings, _ = run(pypa_db_path, [dep("flask"), dep("jinja2", ">=3.0", line=2)])
    assert [f.code for f in findings] == ["PWD902", "PWD902"]
    assert findings[0].message.startswith("flask is not pinned")
    assert findings[1].message.endswith("no known advisory affects the versions it admits")


@pytest.mark.parametrize(
    ("d", "text"),
    [
        (dep("flask", url="https://github.com/pallets/flask/archive/main.zip"), "a direct reference (https://github.com/pallets/flask/archive/main.zip)"),
        (dep("mylib", url="file:///src/mylib", editable=True), "an editable install"),
    ],
)
def test_unverifiable(pypa_db_path: Path, d: Dependency, text: str) -> None:
    (f,) = run(pypa_db_path, [d])[0]
    assert f.code == "PWD904" and text in f.message and f.message.startswith(f"cannot check {d.name}")


def test_no_database_is_incomplete_never_clean(tmp_path: Path) -> None:
    findings, incomplete = run(tmp_path / "missing.sqlite3", [dep("jinja2", "==2.10", "2.10"), dep("requests", ">=2"), dep("x", url="https://x/x.zip")])
    (message,) = incomplete
    assert "no advisory database at" in message and "pyward db update" in message and "pyward db import PATH" in message
    assert [f.code for f in findings] == ["PWD902", "PWD904"]
    assert findings[0].message.endswith("advisories not checked (no advisory database)")


def test_corrupt_database_is_incomplete(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    _, incomplete = run(bad, [dep("jinja2", "==2.10", "2.10")])
    assert len(incomplete) == 1 and "not a usable advisory database" in incomplete[0]


def test_nothing_to_check_needs_no_database(tmp_path: Path) -> None:
    assert run(tmp_path / "missing", []) == ([], [])
    findings, incomplete = run(tmp_path / "missing", [dep("x", url="https://x/x.zip")])
    assert incomplete == [] and [f.code for f in findings] == ["PWD904"]


def test_stale_database(pypa_db_path: Path) -> None:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=10)
    findings, _ = run(pypa_db_path, [dep("jinja2", "==2.11.3", "2.11.3")], now=later)
    (f,) = findings
    assert f.code == "PWX010" and f.name == "advisory-db-stale"
    assert "is 10 days old (limit 7)" in f.message and "pyward db update" in f.message
    assert run(pypa_db_path, [dep("jinja2", "==2.11.3", "2.11.3")], Settings(db_max_age_days=30), now=later)[0] == []


def test_ignore_matches_any_alias(pypa_db_path: Path) -> None:
    settings = Settings(deps_ignore=(DepsIgnore("ghsa-462w-v97r-4m45", "not reachable", "2999-01-01"),))
    findings, _ = run(pypa_db_path, [dep("jinja2", "==2.10", "2.10")], settings)
    assert [f.properties["ids"] for f in findings] == [["PYSEC-2021-66"]]
    cve = Settings(deps_ignore=(DepsIgnore("CVE-2020-28493"),))
    assert [f.properties["ids"] for f in run(pypa_db_path, [dep("jinja2", "==2.10", "2.10")], cve)[0]] == [
        ["PYSEC-2019-217"]
    ]


def test_ignore_applies_to_ranges_too(pypa_db_path: Path) -> None:
    settings = Settings(deps_ignore=(DepsIgnore("CVE-2020-28493"), DepsIgnore("PYSEC-2019-217")))
    (f,) = run(pypa_db_path, [dep("jinja2", "~=2.10")], settings)[0]
    assert f.message.endswith("no known advisory affects the versions it admits")


def test_expired_ignore_stops_suppressing_and_says_so(pypa_db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.pyward.deps]\nignore = [\n  { id = "GHSA-462w-v97r-4m45", until = "2020-01-31" },\n]\n')
    settings = Settings(deps_ignore=(DepsIgnore("GHSA-462w-v97r-4m45", "", "2020-01-31"),), config_file=str(config))
    findings, _ = run(pypa_db_path, [dep("jinja2", "==2.10", "2.10")], settings)
    codes = sorted((f.code, tuple(f.properties.get("ids", ()))) for f in findings)
    assert codes == [("PWD901", ("PYSEC-2019-217",)), ("PWD901", ("PYSEC-2021-66",)), ("PWX012", ())]
    diag = next(f for f in findings if f.code == "PWX012")
    assert diag.message == (
        "ignore entry for GHSA-462w-v97r-4m45 no longer suppresses anything: it expired on 2020-01-31 "
        "(the advisory is reported again)"
    )
    assert diag.span.line == 3


def test_invalid_until_date_is_reported(pypa_db_path: Path) -> None:
    settings = Settings(deps_ignore=(DepsIgnore("PYSEC-2019-217", "", "soon"),))
    findings, _ = run(pypa_db_path, [dep("jinja2", "==2.10", "2.10")], settings)
    assert sorted(f.code for f in findings) == ["PWD901", "PWD901", "PWX012"]
    assert "is not an ISO date" in next(f.message for f in findings if f.code == "PWX012")


def test_analysis_project_phase_uses_manifest_data(pypa_db_path: Path, tmp_path: Path) -> None:
    rules = [r for r in all_rules() if r.meta.code in ALL]
    analysis = DependencyAnalysis(rules, Settings())
    data = ManifestResult((dep("jinja2", "==2.10", "2.10", line=1), dep("jinja2", "==2.10", "2.10", line=1)))
    project = ProjectModel(
        tmp_path, Settings(), [FileEntry("requirements.txt", str(tmp_path / "requirements.txt"), FileKind.MANIFEST, data={"deps": data})],
        options={"db": str(pypa_db_path), "environment": ManifestResult((Dependency("pyyaml", version="5.3", file="<env>", source="installed", locked=True),))},
    )
    findings = analysis.analyze_project(project)
    assert sorted((f.span.path, f.properties["ids"][0]) for f in findings) == [
        ("<env>", "PYSEC-2020-96"), ("<env>", "PYSEC-2021-142"),
        ("requirements.txt", "PYSEC-2019-217"), ("requirements.txt", "PYSEC-2021-66"),
    ]  # the duplicate declaration is reported once
    assert project.incomplete == []
    missing = ProjectModel(tmp_path, Settings(), project.files, options={"db": str(tmp_path / "none.sqlite3")})
    assert analysis.analyze_project(missing) == []
    assert len(missing.incomplete) == 1 and "pyward db update" in missing.incomplete[0]


def test_non_pep440_pin_matches_verbatim_only(tmp_path: Path) -> None:
    import json

    from pyward.deps.advisories.importer import SourceInput, build_database

    src = tmp_path / "src"
    src.mkdir()
    record = {
        "id": "X-1",
        "modified": "",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "odd"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}], "versions": ["1.0-custom"]}],
    }
    (src / "x.json").write_text(json.dumps(record))
    build_database(tmp_path / "db", [SourceInput(src)])
    (f,) = run(tmp_path / "db", [dep("odd", "===1.0-custom", "1.0-custom")])[0]
    assert f.properties["ids"] == ["X-1"] and f.properties["fix"] is None
    assert "'1.0-custom' is not a PEP 440 version, so no upgrade can be computed" in f.message
    assert run(tmp_path / "db", [dep("odd", "===weird", "weird")])[0] == []


def test_fix_targets_take_the_highest_version() -> None:
    from pyward.deps.cli import fix_targets
    from pyward.model import Confidence, Span

    def f(package: str, fix: str | None, code: str = "PWD901") -> Finding:
        return Finding(code, "x", "m", Span("r.txt", 1), Severity.HIGH, Confidence.HIGH, properties={"package": package, "fix": fix})

    found = [f("jinja2", "2.10.1"), f("jinja2", "2.11.3"), f("jinja2", "2.9"), f("flask", None), f("requests", "9", "PWD902")]
    assert fix_targets(found) == {"jinja2": "2.11.3"}


def test_included_file_is_taken_from_its_own_parse(pypa_db_path: Path, tmp_path: Path) -> None:
    rules = [r for r in all_rules() if r.meta.code == "PWD901"]
    stale = ManifestResult((dep("flask", "==1.0", "1.0", line=1), Dependency("jinja2", "==2.10", "2.10", "dev.txt", 1)))
    fresh = ManifestResult((Dependency("jinja2", "==2.11.3", "2.11.3", "dev.txt", 1),))
    project = ProjectModel(
        tmp_path,
        Settings(),
        [
            FileEntry("requirements.txt", str(tmp_path / "requirements.txt"), FileKind.MANIFEST, data={"deps": stale}),
            FileEntry("dev.txt", str(tmp_path / "dev.txt"), FileKind.MANIFEST, data={"deps": fresh}),
        ],
        options={"db": str(pypa_db_path)},
    )
    findings = DependencyAnalysis(rules, Settings()).analyze_project(project)
    assert [(f.span.path, f.properties["package"]) for f in findings] == [("requirements.txt", "flask")]
