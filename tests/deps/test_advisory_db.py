"""The SQLite index: what gets stored, status, and clear errors for unusable files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from support_deps import PYPA

from pyward.deps.advisories.db import APPLICATION_ID, AdvisoryDatabase, AdvisoryDbError, DatabaseBuilder
from pyward.deps.advisories.importer import SourceError, SourceInput, build_database
from pyward.deps.advisories.osv import parse_record


def test_status_of_the_shared_data(pypa_db: AdvisoryDatabase) -> None:
    status = pypa_db.status()
    assert status.records == 2651  # 2,661 files, 10 withdrawn
    (source,) = status.sources
    assert (source.label, source.kind, source.files, source.records, source.withdrawn, source.failed) == (
        "pypa", "directory", 2661, 2651, 10, 0,
    )
    assert status.packages == 660
    assert 0 <= status.age_days() < 1


def test_schema_tables_and_indexes(pypa_db_path: Path) -> None:
    conn = sqlite3.connect(pypa_db_path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert {"meta", "sources", "records", "packages", "aliases", "packages_name", "aliases_alias"} <= names
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        rid, data = conn.execute("SELECT rid, data FROM records WHERE id = 'PYSEC-2011-1'").fetchone()
        assert json.loads(data)["aliases"] == ["CVE-2011-4136", "GHSA-x88j-93vc-wpmp"]
        assert conn.execute("SELECT name FROM packages WHERE rid = ?", (rid,)).fetchall() == [("django",)]
        aliases = {r[0] for r in conn.execute("SELECT alias FROM aliases WHERE rid = ?", (rid,))}
        assert aliases == {"PYSEC-2011-1", "CVE-2011-4136", "GHSA-X88J-93VC-WPMP"}
    finally:
        conn.close()


def test_lookup_by_alias_is_case_insensitive(pypa_db: AdvisoryDatabase) -> None:
    assert [r.id for r, _ in pypa_db.lookup("ghsa-x88j-93vc-wpmp")] == ["PYSEC-2011-1"]


def test_missing_database(tmp_path: Path) -> None:
    with pytest.raises(AdvisoryDbError, match=r"no advisory database at .*pyward db update.*pyward db import"):
        AdvisoryDatabase.open(tmp_path / "nope.sqlite3")


@pytest.mark.parametrize("content", [b"", b"this is not sqlite at all" * 100, b"SQLite format 3\x00" + b"\xff" * 2000])
def test_corrupt_file_gives_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(content)
    with pytest.raises(AdvisoryDbError, match=r"pyward db update"):
        AdvisoryDatabase.open(path)


def test_foreign_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(AdvisoryDbError, match="not a pyward advisory database"):
        AdvisoryDatabase.open(path)


def test_old_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("PRAGMA user_version=0")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(AdvisoryDbError, match=r"older pyward \(schema 0"):
        AdvisoryDatabase.open(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(AdvisoryDbError, match="not a file"):
        AdvisoryDatabase.open(tmp_path)


def test_failed_build_leaves_the_old_database_and_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "db.sqlite3"
    build_database(target, [SourceInput(PYPA / "vulns" / "flask")])
    before = target.read_bytes()
    with pytest.raises(SourceError):
        build_database(target, [SourceInput(PYPA / "vulns" / "jinja2"), SourceInput(tmp_path / "missing.zip")])
    with pytest.raises(RuntimeError), DatabaseBuilder(target) as builder:
        source = builder.add_source("x", "x", "directory")
        builder.add_record(source, parse_record({"id": "X-1", "modified": "", "affected": []}))
        raise RuntimeError("interrupted")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]
    with AdvisoryDatabase.open(target) as db:
        assert {r.id for r, _ in db.records_for("flask")} == {"PYSEC-2018-66", "PYSEC-2019-179", "PYSEC-2023-62"}


def test_duplicate_ids_in_one_source_keep_the_newest(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    old = {"id": "X-1", "modified": "2020-01-01T00:00:00Z", "summary": "old", "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "versions": ["1.0"]}]}
    new = dict(old, modified="2021-01-01T00:00:00Z", summary="new")
    (src / "a.json").write_text(json.dumps(new))
    (src / "b.json").write_text(json.dumps(old))
    result = build_database(tmp_path / "db", [SourceInput(src)])
    assert (result.sources[0].records, result.sources[0].duplicates) == (1, 1)
    with AdvisoryDatabase.open(tmp_path / "db") as db:
        assert [r.summary for r, _ in db.records_for("demo")] == ["new"]


def test_unwritable_popular_list_keeps_the_old_database(tmp_path: Path) -> None:
    from support_deps import POPULAR

    from pyward.deps.paths import popular_list_path

    target = tmp_path / "db.sqlite3"
    build_database(target, [SourceInput(PYPA / "vulns" / "flask")])
    before = target.read_bytes()
    popular_list_path(target).mkdir()  # a directory where the list should go: the write fails
    with pytest.raises(AdvisoryDbError, match=r"cannot write .*top-pypi-packages\.json"):
        build_database(target, [SourceInput(PYPA / "vulns" / "jinja2")], popular=POPULAR.read_bytes())
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3", "top-pypi-packages.json"]
