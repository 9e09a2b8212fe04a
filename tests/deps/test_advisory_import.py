"""Importing from a zip and a git checkout; archive safety limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support_deps import PYPA, shared_zip

from pyward.deps.advisories.db import AdvisoryDatabase
from pyward.deps.advisories.importer import Limits, SourceError, SourceInput, build_database, iter_zip


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_import_matches_directory_import(tmp_path: Path, pypa_db: AdvisoryDatabase) -> None:
    archive = tmp_path / "all.zip"
    archive.write_bytes(shared_zip())
    result = build_database(tmp_path / "db", [SourceInput(archive)])
    (st,) = result.sources
    assert (st.kind, st.label, st.files, st.records, st.withdrawn, st.failed) == ("zip", "all.zip", 2661, 2651, 10, 0)
    with AdvisoryDatabase.open(tmp_path / "db") as db:
        assert db.status().packages == pypa_db.status().packages
        assert [r.id for r, _ in db.records_for("jinja2")] == [r.id for r, _ in pypa_db.records_for("jinja2")]


@pytest.mark.parametrize("name", ["../evil.json", "a/../../evil.json", "/etc/evil.json", "C:/evil.json", "a\\..\\evil.json"])
def test_zip_with_unsafe_names_is_refused(tmp_path: Path, name: str) -> None:
    archive = write_zip(tmp_path / "bad.zip", {"ok.json": b"{}", name: b"{}"})
    with pytest.raises(SourceError, match="unsafe entry name"):
        list(iter_zip(archive))


def test_truncated_zip_is_refused(tmp_path: Path) -> None:
    data = shared_zip(limit=50)
    archive = tmp_path / "cut.zip"
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="truncated or damaged"):
        build_database(tmp_path / "db", [SourceInput(archive)])
    assert not (tmp_path / "db").exists()


def test_corrupted_member_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "c.zip", {"a.json": b'{"id": "X", "modified": ""}' * 50})
    raw = bytearray(archive.read_bytes())
    offset = raw.index(b"a.json") + len("a.json") + 5  # inside the compressed data of the first member
    raw[offset] ^= 0xFF
    raw[offset + 1] ^= 0xFF
    archive.write_bytes(bytes(raw))
    with pytest.raises(SourceError, match=r"damaged member|truncated or damaged"):
        list(iter_zip(archive))


def test_zip_entry_count_and_size_limits(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "many.zip", {f"{i}.json": b"{}" for i in range(20)})
    with pytest.raises(SourceError, match="more than the limit of 10"):
        list(iter_zip(archive, Limits(max_entries=10)))
    bomb = write_zip(tmp_path / "bomb.zip", {"big.json": b" " * 5_000_000})
    assert bomb.stat().st_size < 50_000
    with pytest.raises(SourceError, match="exceeds the limit"):
        list(iter_zip(bomb, Limits(max_total_bytes=1_000_000)))
    # a single oversized member is a per-record failure, not a refusal of the archive
    assert list(iter_zip(bomb, Limits(max_entry_bytes=1000))) == [("big.json", "larger than 1000 bytes")]


def test_git_checkout_records_its_commit(tmp_path: Path) -> None:
    repo = tmp_path / "advisory-database"
    (repo / "vulns" / "flask").mkdir(parents=True)
    for f in (PYPA / "vulns" / "flask").iterdir():
        (repo / "vulns" / "flask" / f.name).write_bytes(f.read_bytes())
    git = repo / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("3ccb612573e2511ab5cad7dafecd838605c80cda\n")
    (git / "config.json").write_text("{")  # files under .git are never read as records
    result = build_database(tmp_path / "db", [SourceInput(repo)])
    (st,) = result.sources
    assert (st.kind, st.label, st.revision, st.records, st.failed) == (
        "git", "advisory-database", "3ccb612573e2511ab5cad7dafecd838605c80cda", 3, 0,
    )


def test_not_an_archive(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"hello")
    with pytest.raises(SourceError, match="not a zip archive"):
        build_database(tmp_path / "db", [SourceInput(junk)])
    with pytest.raises(SourceError, match="no such file"):
        build_database(tmp_path / "db", [SourceInput(tmp_path / "missing")])
