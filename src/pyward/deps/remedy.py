"""The smallest upgrade that fixes every known advisory of a package."""

from __future__ import annotations

from collections.abc import Sequence

from packaging.version import Version

from pyward.deps.advisories.osv import OsvRecord
from pyward.deps.match import known_versions, parse_version, record_affects


def smallest_fix(
    records: Sequence[OsvRecord], normalized_name: str, current: str | Version | None
) -> Version | None:
    """The lowest known version ``>= current`` that no (non-withdrawn) record affects.

    Candidates are the versions the records mention (fixed events, range bounds, listed versions),
    final releases preferred over pre-releases. None when no such version is known (e.g. an
    advisory with no fix, or ``last_affected`` without a named successor).
    """
    live = [r for r in records if not r.is_withdrawn]
    floor: Version | None
    floor = current if current is None or isinstance(current, Version) else parse_version(current)
    candidates = [v for v in known_versions(live, normalized_name) if floor is None or v >= floor]
    finals = [v for v in candidates if not v.is_prerelease and not v.is_devrelease]
    for pool in (finals, [v for v in candidates if v not in finals]):
        for v in pool:
            if not any(record_affects(r, normalized_name, v) for r in live):
                return v
    return None
