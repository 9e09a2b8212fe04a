"""Typosquatting: the issue's must-catch names, no false positive in the top 5,000, the
popularity rule, each resemblance kind on a small synthetic list, loading errors, and PWD903
through the engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SHARED_DATA, run_scan

from pyward.deps.typosquat import (
    POPULAR_RANK,
    PopularIndex,
    PopularListError,
    builtin_allow_list,
    load_popular,
    osa_distance,
    parse_popular,
    skeleton,
)
from pyward.settings import Settings

POPULAR = SHARED_DATA / "top-pypi-packages.min.json"


@pytest.fixture(scope="module")
def index() -> PopularIndex:
    return load_popular(POPULAR)


@pytest.mark.parametrize(
    ("name", "resembles", "reason"),
    [
        ("request", "requests", "one character missing"),
        ("dateutil", "python-dateutil", "the same name with a python/py prefix or suffix added or removed"),
        ("python3-dateutil", "python-dateutil", "the same name with a python/py prefix or suffix added or removed"),
        ("urlib3", "urllib3", "one character missing"),
        ("reqeusts", "requests", "two adjacent characters swapped"),
        ("colourama", "colorama", "one character added"),
        ("jeIlyfish", "jellyfish", "the same name once separators and look-alike characters (0/o, 1/l/I, rn/m, vv/w) are ignored"),
        ("crypt0graphy", "cryptography", "the same name once separators and look-alike characters (0/o, 1/l/I, rn/m, vv/w) are ignored"),
        ("djanga", "django", "one character replaced"),
        ("dateutil-python", "python-dateutil", "the same name with a python/py prefix or suffix added or removed"),
    ],
)  # fmt: skip
def test_must_catch(index: PopularIndex, name: str, resembles: str, reason: str) -> None:
    suspect = index.check(name)
    assert suspect is not None
    assert (suspect.resembles.name, suspect.reason) == (resembles, reason)
    assert suspect.resembles.rank == index.rank(resembles)
    assert f"rank {suspect.resembles.rank:,}" in suspect.describe()


def test_top_5000_are_never_flagged(index: PopularIndex) -> None:
    rows = json.loads(POPULAR.read_bytes())["rows"]
    top = [row["project"] for row in rows[:5000]]
    assert len(top) == 5000 and POPULAR_RANK >= 5000
    assert index.check_many(top) == {}


def test_false_friends_and_settings_allow_list(index: PopularIndex) -> None:
    assert {"pyaml", "scapy", "bs4", "sklearn"} <= set(builtin_allow_list())
    assert index.check("reqeusts", allow=["Reqeusts"]) is None
    assert index.check("reqeusts") is not None


def test_names_with_a_source_of_their_own_are_compared_by_name_only(index: PopularIndex) -> None:
    assert index.check("requests") is None
    assert index.check("Requests") is None
    assert index.check("my-company-internal-lib") is None


# ----------------------------------------------------------------------------------------------
# the rules on a synthetic list: one huge project, one mid, a long tail defining the floor

TAIL = [(f"tail{i:05d}zz", 1_000) for i in range(20)]


def synthetic(*rows: tuple[str, int]) -> PopularIndex:
    return PopularIndex([*rows, *TAIL])


def test_popularity_ratio() -> None:
    idx = synthetic(("abcdefghij", 10_000_000), ("wxyzwxyz", 60_000))
    # unknown names count with the list's smallest download count (1,000)
    assert idx.check("abcdefghik") is not None
    assert idx.check("wxyzwxyq") is not None  # 60x the floor >= 50x
    # a listed name needs a target 50x its own downloads: 10M / 1M = 10x -> not suspect
    listed = PopularIndex([("abcdefghij", 10_000_000), ("abcdefghik", 1_000_000), *TAIL])
    assert listed.check("abcdefghik") is None


def test_each_resemblance_kind() -> None:
    idx = synthetic(("python-flaskish", 10**9), ("alpha-beta-gamma", 10**9), ("modernizer", 10**9))
    assert idx.check("flaskish").reason.startswith("the same name with a python/py")  # type: ignore[union-attr]
    assert idx.check("py-flaskish").reason.startswith("the same name with a python/py")  # type: ignore[union-attr]
    assert idx.check("gamma-alpha-beta").reason == "the same words in another order"  # type: ignore[union-attr]
    assert idx.check("alpha_beta.gamma") is None  # PEP 503: the very same project name
    assert idx.check("alphabeta-gamma").reason.startswith("the same name once separators")  # type: ignore[union-attr]
    assert idx.check("rnodernizer").reason.startswith("the same name once separators")  # type: ignore[union-attr]
    assert idx.check("modernlzer").reason == "one character replaced"  # type: ignore[union-attr]
    assert idx.check("modrenizer").reason == "two adjacent characters swapped"  # type: ignore[union-attr]
    assert idx.check("modernizzer").reason == "one character added"  # type: ignore[union-attr]
    assert idx.check("mdernizer").reason == "one character missing"  # type: ignore[union-attr]
    assert idx.check("madernizar").reason == "two characters differ"  # type: ignore[union-attr]
    assert idx.check("mxdxrnxzer") is None  # three edits


def test_length_limits() -> None:
    idx = synthetic(("abc", 10**9), ("abcd", 10**9), ("abcdefg", 10**9), ("abcdefgh", 10**9))
    assert idx.check("abd") is None  # one edit on 3 characters: too short to tell
    assert idx.check("abce") is not None  # one edit on 4 characters
    assert idx.check("axcdefy") is None  # two edits on 7 characters
    assert idx.check("axcdefgy") is not None  # two edits on 8 characters


def test_skeleton_and_distance() -> None:
    assert skeleton("jeIlyfish") == "jellyfish"
    assert skeleton("Crypt0-graphy") == "cryptography"
    assert skeleton("rnodule_vv") == "modulew"
    assert skeleton("l1I") == "lll"
    assert osa_distance("reqeusts", "requests") == 1
    assert osa_distance("abcdef", "badcfe") == 3
    assert osa_distance("kitten", "sitting", limit=5) == 3


# ----------------------------------------------------------------------------------------------
# loading


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(PopularListError, match="pyward db update"):
        load_popular(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PopularListError, match="not valid JSON"):
        load_popular(bad)
    empty = tmp_path / "empty.json"
    empty.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(PopularListError, match="no 'rows'"):
        load_popular(empty)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"rows": [{"project": "a", "download_count": 3}, {"x": 1}]}', encoding="utf-8")
    with pytest.raises(PopularListError, match="row 2"):
        load_popular(wrong)


def test_parse_popular_accepts_a_plain_ranked_list() -> None:
    rows = parse_popular(b'["requests", "flask", "django"]')
    assert [name for name, _ in rows] == ["requests", "flask", "django"]
    assert rows[0][1] > rows[1][1] > rows[2][1] > 0


# ----------------------------------------------------------------------------------------------
# PWD903 through the engine


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "requirements.txt").write_text(
        "flask==3.0.0\nreqeusts==2.31.0\n-e ./colourama\n", encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = [\n  "djanga>=4",\n  "colourama",\n]\n', encoding="utf-8"
    )
    return root


def test_pwd903_findings_point_at_manifest_lines(tmp_path: Path) -> None:
    root = _project(tmp_path)
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    (db_dir / "top-pypi-packages.json").write_bytes(POPULAR.read_bytes())
    report = run_scan(
        [root],
        root=root,
        settings=Settings(select=("PWD903",)),
        options={"db": db_dir / "advisories.sqlite3"},
    )
    got = sorted((f.span.path, f.span.line, f.properties["resembles"]) for f in report.findings)
    assert got == [
        ("pyproject.toml", 4, "django"),
        ("pyproject.toml", 5, "colorama"),
        ("requirements.txt", 2, "requests"),
    ]
    assert report.incomplete == ()
    messages = {f.span.line: f.message for f in report.findings if f.span.path == "requirements.txt"}
    assert "'reqeusts' looks like the popular package 'requests' (rank 7" in messages[2]


def test_pwd903_allow_packages_setting(tmp_path: Path) -> None:
    root = _project(tmp_path)
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    (db_dir / "top-pypi-packages.json").write_bytes(POPULAR.read_bytes())
    settings = Settings(select=("PWD903",), allow_packages=("reqeusts", "Djanga"))
    report = run_scan([root], root=root, settings=settings, options={"db": db_dir / "advisories.sqlite3"})
    assert sorted((f.span.path, f.span.line) for f in report.findings) == [("pyproject.toml", 5)]


def test_pwd903_without_the_list_is_incomplete_not_clean(tmp_path: Path) -> None:
    root = _project(tmp_path)
    report = run_scan(
        [root],
        root=root,
        settings=Settings(select=("PWD903",)),
        options={"db": tmp_path / "none" / "a.sqlite3"},
    )
    assert report.findings == ()
    assert len(report.incomplete) == 1
    assert "typosquatting check" in report.incomplete[0] and "pyward db update" in report.incomplete[0]


def test_cached_scan_sees_changes_in_included_files(tmp_path: Path) -> None:
    """The per-file cache keys a requirements file by its bytes plus the files it includes."""
    from pyward.engine import ScanOptions, scan

    root = _project(tmp_path)
    (root / "pyproject.toml").unlink()
    (root / "requirements.txt").write_text("-r base.txt\nflask==3.0.0\n", encoding="utf-8")
    (root / "base.txt").write_text("six==1.16.0\n", encoding="utf-8")
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    (db_dir / "top-pypi-packages.json").write_bytes(POPULAR.read_bytes())

    def run() -> list[tuple[str, int, str]]:
        report = scan(
            ScanOptions(
                paths=[root],
                root=root,
                settings=Settings(select=("PWD903",)),
                cache_dir=tmp_path / "cache",
                options={"db": db_dir / "advisories.sqlite3"},
            )
        )
        return [(f.span.path, f.span.line, f.properties["resembles"]) for f in report.findings]

    assert run() == []
    (root / "base.txt").write_text("six==1.16.0\nreqeusts==2.31.0\n", encoding="utf-8")
    assert run() == [("base.txt", 2, "requests")]
