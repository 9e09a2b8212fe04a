"""Matching real (package, version) pairs against the shared PyPA advisory data.

Each expected list was checked by reading the package's YAML records under
``shared/data/advisories/pypa/vulns/<package>/`` and evaluating their ranges by hand.
"""

from __future__ import annotations

import pytest
from packaging.version import Version

from pyward.deps.advisories.db import AdvisoryDatabase
from pyward.deps.match import record_affects
from pyward.deps.remedy import smallest_fix

CASES = [
    # flask: PYSEC-2018-66 <0.12.3, PYSEC-2019-179 <1.0, PYSEC-2023-62 <2.2.5 | [2.3.0,2.3.2)
    ("flask", "0.12.2", ["PYSEC-2018-66", "PYSEC-2019-179", "PYSEC-2023-62"]),
    ("flask", "1.0", ["PYSEC-2023-62"]),
    # requests: PYSEC-2018-28 <2.20.0, PYSEC-2023-74 [2.3.0,2.31.0); 2014-13/14 <2.3.0; 2015-17 [2.1.0,2.6.0)
    ("requests", "2.19.1", ["PYSEC-2018-28", "PYSEC-2023-74"]),
    ("requests", "2.25.0", ["PYSEC-2023-74"]),
    ("requests", "2.2.1", ["PYSEC-2014-13", "PYSEC-2014-14", "PYSEC-2015-17", "PYSEC-2018-28"]),
    # urllib3: 2023-192 and 2023-212 list their events out of order (2.0.x first, then 0..1.26.x)
    (
        "urllib3",
        "1.24.1",
        ["PYSEC-2019-132", "PYSEC-2019-133", "PYSEC-2020-148", "PYSEC-2021-108", "PYSEC-2023-192", "PYSEC-2023-207", "PYSEC-2023-212"],
    ),
    ("urllib3", "1.26.4", ["PYSEC-2021-108", "PYSEC-2023-192", "PYSEC-2023-212"]),  # 2021-59 is fixed in 1.26.4
    # jinja2: PYSEC-2019-217 <2.10.1, PYSEC-2021-66 <2.11.3
    ("jinja2", "2.10", ["PYSEC-2019-217", "PYSEC-2021-66"]),
    ("jinja2", "2.11.2", ["PYSEC-2021-66"]),
    # pyyaml: 2020-176 [5.1,5.2b1), 2020-96 [5.1,5.3.1), 2021-142 <5.4, 2018-49 <5.1
    ("pyyaml", "5.1", ["PYSEC-2020-176", "PYSEC-2020-96", "PYSEC-2021-142"]),
    ("pyyaml", "5.3", ["PYSEC-2020-96", "PYSEC-2021-142"]),
    ("pyyaml", "4.2b4", ["PYSEC-2018-49", "PYSEC-2021-142"]),
    # werkzeug: 2023-57/58 <2.2.3, 2023-221 <2.3.8 | [3.0.0,3.0.1); 2022-203 <2.1.1
    ("werkzeug", "2.2.2", ["PYSEC-2023-221", "PYSEC-2023-57", "PYSEC-2023-58"]),
    # cryptography: 2021-63 [3.1,3.3.2), 2023-11 [1.8,39.0.1), 2023-254 [3.1,41.0.6); 2021-62 <3.2.1
    ("cryptography", "3.3.1", ["PYSEC-2021-63", "PYSEC-2023-11", "PYSEC-2023-254"]),
    # paramiko: PYSEC-2018-19 has six intervals (none covering 2.4.x); 2022-166 <2.9.3
    ("paramiko", "2.4.1", ["PYSEC-2022-166"]),
    ("sqlalchemy", "1.2.17", ["PYSEC-2019-123", "PYSEC-2019-124"]),
    ("SQLAlchemy", "1.2.18", []),
    ("Jinja2", "2.11.3", []),
]


@pytest.mark.parametrize(("package", "version", "expected"), CASES, ids=[f"{p}=={v}" for p, v, _ in CASES])
def test_real_advisories(pypa_db: AdvisoryDatabase, package: str, version: str, expected: list[str]) -> None:
    from packaging.utils import canonicalize_name

    name = canonicalize_name(package)
    hits = sorted(r.id for r, _ in pypa_db.records_for(name) if record_affects(r, name, version))
    assert hits == sorted(expected)


def test_django_3_2_0_includes_the_upload_traversal(pypa_db: AdvisoryDatabase) -> None:
    # PYSEC-2021-7 (CVE-2021-31542): "3.2 before 3.2.1"
    advisories = pypa_db.advisories_for("django")
    hit = [a for a in advisories if any(record_affects(r, "django", "3.2.0") for r in a.records)]
    ids = {i for a in hit for i in a.all_ids}
    assert {"PYSEC-2021-7", "CVE-2021-31542", "GHSA-rxjp-mfm9-w4wr"} <= ids
    assert all(a.sources == ("pypa",) for a in hit)


def test_withdrawn_record_is_not_in_the_index(pypa_db: AdvisoryDatabase) -> None:
    # redis/PYSEC-2023-73 is withdrawn in the data
    assert [r.id for r, _ in pypa_db.records_for("redis")].count("PYSEC-2023-73") == 0
    assert pypa_db.lookup("CVE-2023-31655") == []


@pytest.mark.parametrize(
    ("package", "version", "fix"),
    [("pyyaml", "5.1", "5.4"), ("jinja2", "2.10", "2.11.3"), ("requests", "2.19.1", "2.31.0"), ("urllib3", "1.24.1", "1.26.18")],
)
def test_smallest_upgrade_fixing_everything(pypa_db: AdvisoryDatabase, package: str, version: str, fix: str) -> None:
    records = [r for r, _ in pypa_db.records_for(package)]
    assert smallest_fix(records, package, version) == Version(fix)
