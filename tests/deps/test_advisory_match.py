"""OSV range semantics (introduced/fixed/last_affected/limit, several ranges, versions[] only),
specifier exposure and the smallest fixing upgrade, on hand-written records."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from pyward.deps.advisories.osv import Event, OsvRecord, Range, parse_record
from pyward.deps.match import assess_specifier, in_range, known_versions, record_affects, unevaluable_ranges
from pyward.deps.remedy import smallest_fix


def rec(rid: str, *events: dict[str, str], versions: tuple[str, ...] = (), rtype: str = "ECOSYSTEM", **extra: Any) -> OsvRecord:
    affected: dict[str, Any] = {"package": {"ecosystem": "PyPI", "name": "Demo"}}
    if events:
        affected["ranges"] = [{"type": rtype, "events": list(events)}]
    if versions:
        affected["versions"] = list(versions)
    return parse_record({"id": rid, "modified": "2024-01-01T00:00:00Z", "affected": [affected], **extra})


def affected(record: OsvRecord, versions: list[str]) -> list[str]:
    return [v for v in versions if record_affects(record, "demo", v)]


ALL = ["0.9", "1.0", "1.0.1", "1.5", "1.9.9", "2.0", "2.0.1", "2.5", "3.0", "3.1", "3.2", "4.0"]


def test_introduced_fixed() -> None:
    r = rec("A", {"introduced": "1.0"}, {"fixed": "2.0"})
    assert affected(r, ALL) == ["1.0", "1.0.1", "1.5", "1.9.9"]


def test_introduced_zero_means_every_earlier_version() -> None:
    r = rec("A", {"introduced": "0"}, {"fixed": "1.0.1"})
    assert affected(r, ALL) == ["0.9", "1.0"]
    assert record_affects(r, "demo", "0.0.1.dev1")


def test_unfixed_range_affects_everything_after_introduced() -> None:
    r = rec("A", {"introduced": "3.0"})
    assert affected(r, ALL) == ["3.0", "3.1", "3.2", "4.0"]


def test_last_affected_is_inclusive() -> None:
    r = rec("A", {"introduced": "1.5"}, {"last_affected": "2.0"})
    assert affected(r, ALL) == ["1.5", "1.9.9", "2.0"]
    assert not record_affects(r, "demo", "2.0.post1")


def test_several_intervals_in_one_range_unsorted_events() -> None:
    # events are sorted before evaluation, as the spec's pseudocode does
    r = rec("A", {"introduced": "3.0"}, {"fixed": "3.2"}, {"introduced": "1.0"}, {"fixed": "1.5"})
    assert affected(r, ALL) == ["1.0", "1.0.1", "3.0", "3.1"]


def test_limit_bounds_the_range() -> None:
    r = rec("A", {"introduced": "1.0"}, {"limit": "2.5"})
    assert affected(r, ALL) == ["1.0", "1.0.1", "1.5", "1.9.9", "2.0", "2.0.1"]
    star = rec("B", {"introduced": "3.0"}, {"limit": "*"})
    assert affected(star, ALL) == ["3.0", "3.1", "3.2", "4.0"]
    two = rec("C", {"introduced": "1.0"}, {"limit": "1.5"}, {"limit": "2.0.1"})
    assert affected(two, ALL) == ["1.0", "1.0.1", "1.5", "1.9.9", "2.0"]  # below some limit


def test_multiple_range_objects() -> None:
    r = parse_record(
        {
            "id": "M",
            "modified": "",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "demo"},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.5"}]},
                        {"type": "ECOSYSTEM", "events": [{"introduced": "3.1"}, {"fixed": "4.0"}]},
                    ],
                }
            ],
        }
    )
    assert affected(r, ALL) == ["1.0", "1.0.1", "3.1", "3.2"]


def test_versions_list_only_and_pep440_equality() -> None:
    r = rec("A", versions=("1.0", "2.0.1", "not-a-version"))
    assert affected(r, ALL) == ["1.0", "2.0.1"]
    assert record_affects(r, "demo", "1.0.0")  # PEP 440: 1.0 == 1.0.0
    assert record_affects(r, "demo", "not-a-version")  # verbatim match only
    assert not record_affects(r, "demo", "also-not-a-version")


def test_other_package_and_other_ecosystem_never_match() -> None:
    r = rec("A", {"introduced": "0"})
    assert not record_affects(r, "other", "1.0")
    npm = parse_record(
        {"id": "N", "modified": "", "affected": [{"package": {"ecosystem": "npm", "name": "demo"}, "versions": ["1.0"]}]}
    )
    assert not record_affects(npm, "demo", "1.0")


def test_withdrawn_records_never_match() -> None:
    r = rec("A", {"introduced": "0"}, withdrawn="2024-02-02T00:00:00Z")
    assert affected(r, ALL) == []


def test_git_ranges_are_not_guessed_but_versions_still_count() -> None:
    r = rec("A", {"introduced": "0"}, {"fixed": "deadbeef"}, versions=("1.5",), rtype="GIT")
    assert affected(r, ALL) == ["1.5"]


def test_non_pep440_events_do_not_crash() -> None:
    r = rec("A", {"introduced": "0"}, {"fixed": "1.0-final-really"}, versions=("0.9",))
    assert affected(r, ALL) == ["0.9"]  # the unevaluable range is skipped, versions[] kept
    assert len(unevaluable_ranges(r, "demo")) == 1
    assert not record_affects(r, "demo", "garbage version")


def test_known_versions_come_from_events_and_lists() -> None:
    records = [rec("A", {"introduced": "0"}, {"fixed": "1.5"}, versions=("1.0", "1.4")), rec("B", {"introduced": "2.0"}, {"last_affected": "2.5"})]
    assert known_versions(records, "demo") == [Version(v) for v in ("1.0", "1.4", "1.5", "2.0", "2.5")]


def test_specifier_exposure_reports_newest_admitted_version() -> None:
    records = [
        rec("A", {"introduced": "0"}, {"fixed": "1.5"}, versions=("1.0", "1.4")),
        rec("B", {"introduced": "2.0"}, {"fixed": "2.2"}, versions=("2.0", "2.1")),
    ]
    exp = assess_specifier(records, "demo", SpecifierSet(">=1.0"))
    assert exp.affected == {"A": (Version("1.0"), Version("1.4")), "B": (Version("2.0"), Version("2.1"))}
    assert exp.newest == Version("2.2") and exp.newest_affected_by == () and exp.open_above
    capped = assess_specifier(records, "demo", SpecifierSet(">=1.4,<2.2"))
    assert capped.newest == Version("2.1") and capped.newest_affected_by == ("B",) and not capped.open_above
    safe = assess_specifier(records, "demo", SpecifierSet("~=1.5.0"))
    assert safe.affected == {} and safe.newest == Version("1.5")
    bare = assess_specifier(records, "demo", SpecifierSet(""))
    assert set(bare.affected) == {"A", "B"} and bare.open_above


def test_remedy_smallest_version_fixing_all_advisories() -> None:
    records = [
        rec("A", {"introduced": "0"}, {"fixed": "1.5"}),
        rec("B", {"introduced": "1.5"}, {"fixed": "1.7"}),  # 1.5 itself is bad for B
        rec("C", {"introduced": "2.0"}, {"fixed": "2.1"}),
        rec("D", {"introduced": "0"}, {"fixed": "1.7rc1"}),
    ]
    assert smallest_fix(records, "demo", "1.0") == Version("1.7")  # final preferred over 1.7rc1
    assert smallest_fix(records, "demo", "2.0") == Version("2.1")
    assert smallest_fix(records, "demo", "2.1") == Version("2.1")  # already safe
    assert smallest_fix([rec("E", {"introduced": "0"})], "demo", "1.0") is None  # no fix exists
    last = [rec("F", {"introduced": "0"}, {"last_affected": "3.0"})]
    assert smallest_fix(last, "demo", "1.0") is None  # no version above 3.0 is known


@pytest.mark.parametrize("current", ["1!0.1", "0.1.dev0", "1.0+local"])
def test_remedy_with_unusual_current_versions(current: str) -> None:
    records = [rec("A", {"introduced": "0"}, {"fixed": "1.5"})]
    assert smallest_fix(records, "demo", current) == (None if current.startswith("1!") else Version("1.5"))



@given(
    bounds=st.lists(st.integers(min_value=1, max_value=60), min_size=2, max_size=10, unique=True),
    last_open=st.booleans(),
    order=st.randoms(use_true_random=False),
    probe=st.integers(min_value=0, max_value=65),
)
def test_range_evaluation_matches_intervals(bounds: list[int], last_open: bool, order: object, probe: int) -> None:
    """Events describing disjoint [introduced, fixed) intervals, in any order, match exactly those intervals."""
    points = sorted(bounds)
    if len(points) % 2:
        points = points[:-1]
    intervals = [(points[i], points[i + 1]) for i in range(0, len(points), 2)]
    events = [Event("introduced", f"{lo}.0") for lo, _ in intervals]
    events += [Event("fixed", f"{hi}.0") for _, hi in intervals[:-1]]
    if not last_open:
        events.append(Event("fixed", f"{intervals[-1][1]}.0"))
    order.shuffle(events)  # type: ignore[attr-defined]
    expected = any(lo <= probe < hi for lo, hi in intervals[:-1]) or (
        intervals[-1][0] <= probe and (last_open or probe < intervals[-1][1])
    )
    assert in_range(Version(f"{probe}.0"), Range("ECOSYSTEM", tuple(events))) is expected
