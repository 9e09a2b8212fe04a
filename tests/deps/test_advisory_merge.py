"""Two sources describing the same vulnerabilities under different ids merge into one advisory.

The second source is built from a transformed copy of shared PyPA records: each copy gets the
GHSA id (the PYSEC id is dropped from its aliases, as GitHub's own records do) and only the CVE
as alias, so the records are linked only through the CVE / GHSA ids.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support_deps import PYPA

from pyward.deps.advisories.db import AdvisoryDatabase
from pyward.deps.advisories.importer import SourceInput, build_database
from pyward.deps.advisories.merge import merge_records
from pyward.deps.advisories.osv import load_record, parse_record
from pyward.deps.match import record_affects

COPIED = {
    "flask/PYSEC-2023-62.yaml": "GHSA-m2qf-hxjv-5gpq",
    "jinja2/PYSEC-2021-66.yaml": "GHSA-g3rq-g295-4j3m",
    "django/PYSEC-2021-7.yaml": "GHSA-rxjp-mfm9-w4wr",
}


def _ghsa_copy(rel: str, ghsa: str) -> dict[str, object]:
    record = load_record(rel, (PYPA / "vulns" / rel).read_bytes()).to_dict()
    cves = [a for a in record["aliases"] if a.startswith("CVE-")]  # type: ignore[union-attr]
    record.update(id=ghsa, aliases=cves, summary=f"GitHub copy of {record['id']}")
    return record


@pytest.fixture(scope="module")
def merged_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("merge")
    ghsa = base / "ghsa"
    (ghsa / "reviewed").mkdir(parents=True)
    for rel, ghsa_id in COPIED.items():
        (ghsa / "reviewed" / f"{ghsa_id}.json").write_text(json.dumps(_ghsa_copy(rel, ghsa_id)))
    # a withdrawn GitHub record aliasing jinja2's PYSEC-2019-217: must not show up anywhere
    withdrawn = _ghsa_copy("jinja2/PYSEC-2019-217.yaml", "GHSA-462w-v97r-4m45")
    withdrawn["withdrawn"] = "2024-01-01T00:00:00Z"
    (ghsa / "reviewed" / "GHSA-462w-v97r-4m45.json").write_text(json.dumps(withdrawn))
    # a record only the second source has
    only = {
        "id": "GHSA-only-only-only",
        "modified": "2024-05-01T00:00:00Z",
        "summary": "Only in the GitHub copy",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Flask"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.13"}]}]}],
    }
    (ghsa / "reviewed" / "GHSA-only-only-only.json").write_text(json.dumps(only))
    # a record of another ecosystem and a broken file: counted, not fatal
    (ghsa / "npm.json").write_text(json.dumps({"id": "GHSA-npm", "modified": "", "affected": [{"package": {"ecosystem": "npm", "name": "flask"}, "versions": ["1"]}]}))
    (ghsa / "broken.json").write_text("{")
    path = base / "db.sqlite3"
    result = build_database(path, [SourceInput(PYPA), SourceInput(ghsa, label="ghsa-copy")])
    stats = {s.label: (s.records, s.withdrawn, s.other, s.failed) for s in result.sources}
    assert stats == {"pypa": (2651, 10, 0, 0), "ghsa-copy": (4, 1, 1, 1)}
    assert result.sources[1].errors == ["broken.json: invalid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"]
    return path


def test_aliases_merge_into_one_advisory_with_both_sources(merged_db: Path) -> None:
    with AdvisoryDatabase.open(merged_db) as db:
        flask = db.advisories_for("flask")
        hit = [a for a in flask if any(record_affects(r, "flask", "2.2.4") for r in a.records)]
        assert len(hit) == 1
        (adv,) = hit
        assert adv.ids == ("GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62")
        assert adv.aliases == ("CVE-2023-30861",)
        assert adv.sources == ("pypa", "ghsa-copy")
        assert adv.summary == "GitHub copy of PYSEC-2023-62"
        assert adv.fixed_versions("flask") == ("2.2.5", "2.3.2")
        assert len(flask) == 4  # PYSEC-2018-66, PYSEC-2019-179, the merged one, GHSA-only
        only = [a for a in flask if a.primary == "GHSA-only-only-only"]
        assert only[0].sources == ("ghsa-copy",)


def test_withdrawn_alias_does_not_join_or_appear(merged_db: Path) -> None:
    with AdvisoryDatabase.open(merged_db) as db:
        jinja = {a.primary: a for a in db.advisories_for("jinja2")}
        assert jinja["PYSEC-2019-217"].sources == ("pypa",)
        assert jinja["PYSEC-2019-217"].ids == ("PYSEC-2019-217",)
        assert jinja["GHSA-g3rq-g295-4j3m"].ids == ("GHSA-g3rq-g295-4j3m", "PYSEC-2021-66")
        assert set(jinja["GHSA-g3rq-g295-4j3m"].aliases) == {"CVE-2020-28493", "SNYK-PYTHON-JINJA2-1012994"}


def test_status_lists_both_sources(merged_db: Path) -> None:
    with AdvisoryDatabase.open(merged_db) as db:
        status = db.status()
    assert [s.label for s in status.sources] == ["pypa", "ghsa-copy"]
    assert status.records == 2655


def test_merge_is_transitive_and_ignores_withdrawn() -> None:
    def r(rid: str, *aliases: str, withdrawn: str | None = None) -> object:
        data: dict[str, object] = {"id": rid, "modified": "", "aliases": list(aliases)}
        if withdrawn:
            data["withdrawn"] = withdrawn
        return parse_record(data)

    items = [(r("PYSEC-1", "CVE-1"), "a"), (r("GHSA-x", "CVE-1", "CVE-2"), "b"), (r("OSV-9", "CVE-2"), "c"), (r("GHSA-w", "CVE-1", withdrawn="2020"), "d"), (r("PYSEC-2"), "a")]
    groups = merge_records(items)  # type: ignore[arg-type]
    assert [(g.ids, g.aliases, g.sources) for g in groups] == [
        (("GHSA-x", "PYSEC-1", "OSV-9"), ("CVE-1", "CVE-2"), ("a", "b", "c")),
        (("PYSEC-2",), (), ("a",)),
    ]


def test_one_finding_lists_every_id_and_source(merged_db: Path) -> None:
    from pyward.deps.analysis import audit
    from pyward.deps.types import Dependency
    from pyward.settings import Settings

    incomplete: list[str] = []
    findings = audit(
        [Dependency("flask", "==2.2.4", "2.2.4", "requirements.txt", 1)],
        merged_db, Settings(), {"PWD901"}, merged_db.parent, incomplete=incomplete,
    )
    (f,) = findings
    assert f.message.startswith(
        "flask 2.2.4 is affected by GHSA-m2qf-hxjv-5gpq, PYSEC-2023-62 (aliases: CVE-2023-30861): "
        "GitHub copy of PYSEC-2023-62 [no CVSS score published; reported by pypa, ghsa-copy]; fixed in 2.2.5, 2.3.2"
    )
    assert (f.properties["ids"], f.properties["sources"]) == (["GHSA-m2qf-hxjv-5gpq", "PYSEC-2023-62"], ["pypa", "ghsa-copy"])
