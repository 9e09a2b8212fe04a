"""The OSV record model: parsing JSON and YAML, CVSS scoring, and malformed input."""

from __future__ import annotations

import json

import pytest

from pyward.deps.advisories.cvss import CvssError, base_score_v3
from pyward.deps.advisories.osv import OsvError, decode, load_record, parse_record
from pyward.model import Severity

RECORD = {
    "schema_version": "1.4.0",
    "id": "GHSA-aaaa-bbbb-cccc",
    "modified": "2024-01-02T03:04:05Z",
    "published": "2023-12-01T00:00:00Z",
    "aliases": ["CVE-2023-0001", "PYSEC-2023-999"],
    "summary": "Path traversal in demo",
    "details": "Long text.",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Demo_Pkg", "purl": "pkg:pypi/demo-pkg"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]},
                {"type": "GIT", "repo": "https://example.invalid/r", "events": [{"introduced": "0"}, {"fixed": "abc"}]},
            ],
            "versions": ["1.0", "1.2.2"],
            "ecosystem_specific": {"anything": [1, 2]},
            "database_specific": {"source": "x"},
        },
        {"package": {"ecosystem": "npm", "name": "demo"}, "versions": ["9.9.9"]},
    ],
    "references": [{"type": "ADVISORY", "url": "https://example.invalid/a"}],
    "database_specific": {"severity": "HIGH"},
}


def test_parse_json_record() -> None:
    rec = load_record("x.json", json.dumps(RECORD).encode())
    assert rec.id == "GHSA-aaaa-bbbb-cccc"
    assert rec.ids == ("GHSA-aaaa-bbbb-cccc", "CVE-2023-0001", "PYSEC-2023-999")
    assert rec.package_names() == ("demo-pkg",)
    assert rec.package_names("npm") == ("demo",)
    assert rec.fixed_versions("demo-pkg") == ("1.2.3",)  # the GIT commit is not a version
    assert rec.published == "2023-12-01T00:00:00Z"
    assert not rec.is_withdrawn
    sev = rec.best_severity("demo-pkg")
    assert sev is not None and sev.score == 9.8 and sev.level is Severity.CRITICAL
    assert rec.references[0].url == "https://example.invalid/a"
    assert [r.type for r in rec.affected[0].ranges] == ["ECOSYSTEM", "GIT"]
    assert rec.affected[0].ranges[1].repo == "https://example.invalid/r"


def test_round_trip_through_to_dict() -> None:
    rec = parse_record(RECORD)
    assert parse_record(json.loads(json.dumps(rec.to_dict()))) == rec


def test_yaml_scalars_stay_text() -> None:
    text = b"""
id: PYSEC-0000-1
modified: 2021-07-05T00:01:17Z
withdrawn: 2022-01-01T00:00:00Z
summary: ~
affected:
- package: {name: on, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: 0
    - fixed: 1.10
  versions: [1.0, 1.9]
"""
    rec = load_record("r.yaml", text)
    assert rec.affected[0].ranges[0].events[1].version == "1.10"  # not the float 1.1
    assert rec.affected[0].versions == ("1.0", "1.9")
    assert rec.affected[0].package.name == "on"  # not the YAML 1.1 boolean
    assert rec.summary == ""
    assert rec.modified == "2021-07-05T00:01:17Z"
    assert rec.withdrawn == "2022-01-01T00:00:00Z" and rec.is_withdrawn


@pytest.mark.parametrize(
    ("vector", "score", "level"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, Severity.CRITICAL),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, Severity.MEDIUM),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, Severity.HIGH),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3, Severity.MEDIUM),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8, Severity.HIGH),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, Severity.CRITICAL),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 2.8, Severity.LOW),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0, Severity.INFO),
        ("CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:H", 7.6, Severity.HIGH),
        # temporal metrics do not change the base score
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O", 9.8, Severity.CRITICAL),
    ],
)
def test_cvss_v3_base_scores(vector: str, score: float, level: Severity) -> None:
    result = base_score_v3(vector)
    assert (result.base_score, result.severity) == (score, level)


@pytest.mark.parametrize(
    "vector",
    ["AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:N/AC:L", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV"],
)
def test_bad_cvss_vectors(vector: str) -> None:
    with pytest.raises(CvssError):
        base_score_v3(vector)


def test_v4_and_v2_vectors_kept_without_a_score() -> None:
    rec = parse_record(
        {
            "id": "X-1",
            "modified": "2024-01-01T00:00:00Z",
            "severity": [
                {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
                {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
            ],
        }
    )
    v4, v2 = rec.severity
    assert v4.vector.startswith("CVSS:4.0/") and v4.score is None and v4.level is None and "v4" in v4.note
    assert v2.score is None and "v2" in v2.note
    assert rec.best_severity() == v4


def test_invalid_v3_vector_is_kept_not_fatal() -> None:
    rec = parse_record({"id": "X-2", "modified": "", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:Q"}]})
    assert rec.severity[0].score is None and "invalid" in rec.severity[0].note


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "record must be an object"),
        ({"modified": "x"}, "id is missing"),
        ({"id": "X", "aliases": "CVE-1"}, "aliases must be a list"),
        ({"id": "X", "affected": [{"package": {"name": "a"}}]}, "ecosystem is missing"),
        ({"id": "X", "affected": [{"package": {"name": "a", "ecosystem": "PyPI"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": "1"}]}]}]}, "no 'introduced'"),
        ({"id": "X", "affected": [{"package": {"name": "a", "ecosystem": "PyPI"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1"}]}]}]}, "exactly one"),
        ({"id": "X", "summary": True}, "not a boolean"),
        ({"id": "X", "summary": {"a": 1}}, "must be a string"),
    ],
)
def test_malformed_records(data: object, message: str) -> None:
    with pytest.raises(OsvError, match=message):
        parse_record(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [("a.json", b"{not json"), ("a.yaml", b"id: [unclosed"), ("a.txt", b"{}"), ("a.json", b"[" * 100000)],
)
def test_undecodable_documents(name: str, data: bytes) -> None:
    with pytest.raises(OsvError):
        decode(name, data)


def test_yaml_without_pyyaml_is_a_clear_per_record_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyward.deps.advisories import osv

    monkeypatch.setattr(osv, "_LOADER", [None])
    with pytest.raises(OsvError, match=r"YAML records need PyYAML: pip install 'pyward\[yaml\]'"):
        decode("r.yaml", b"id: X")
    assert decode("r.json", b'{"id": "X"}') == {"id": "X"}
