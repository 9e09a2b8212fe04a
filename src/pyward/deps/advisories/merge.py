"""Records from several sources that describe the same vulnerability become one advisory.

Two records are the same vulnerability when their id/alias sets intersect (PYSEC-2021-7 lists
CVE-2021-3281 and GHSA-fvgf-6h6h-3322; the GHSA record lists the CVE): the groups are the
connected components of that relation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pyward.deps.advisories.osv import OsvRecord, SeverityScore

_PREFERENCE = ("GHSA-", "PYSEC-", "CVE-")


def _id_key(ident: str) -> tuple[int, str, tuple[int, ...]]:
    rank = next((i for i, p in enumerate(_PREFERENCE) if ident.upper().startswith(p)), len(_PREFERENCE))
    numbers = tuple(int(n) for n in re.findall(r"\d+", ident))
    return (rank, ident.split("-")[0].upper(), numbers)


@dataclass(frozen=True)
class Advisory:
    """One vulnerability as every source that knows it describes it."""

    #: Ids of the merged records (each a record some source published), sorted GHSA, PYSEC, CVE, others.
    ids: tuple[str, ...]
    #: Other known ids (aliases) that are not themselves record ids here.
    aliases: tuple[str, ...]
    #: Labels of the sources that reported it.
    sources: tuple[str, ...]
    records: tuple[OsvRecord, ...]

    @property
    def all_ids(self) -> tuple[str, ...]:
        return self.ids + self.aliases

    @property
    def primary(self) -> str:
        return self.ids[0]

    @property
    def summary(self) -> str:
        for r in self.records:
            if r.summary.strip():
                return r.summary.strip()
        for r in self.records:
            if r.details.strip():
                first = r.details.strip().split("\n\n")[0].replace("\n", " ")
                return first if len(first) <= 200 else first[:197].rstrip() + "..."
        return ""

    def severity(self, normalized_name: str) -> SeverityScore | None:
        scored: list[SeverityScore] = []
        unscored: list[SeverityScore] = []
        for r in self.records:
            best = r.best_severity(normalized_name)
            if best is None:
                continue
            (scored if best.score is not None else unscored).append(best)
        if scored:
            return max(scored, key=lambda s: s.score or 0.0)
        return unscored[0] if unscored else None

    def fixed_versions(self, normalized_name: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for r in self.records:
            for v in r.fixed_versions(normalized_name):
                seen.setdefault(v, None)
        return tuple(seen)


def merge_records(items: Sequence[tuple[OsvRecord, str]]) -> list[Advisory]:
    """Group (record, source label) pairs by shared ids/aliases. Withdrawn records are dropped."""
    live = [(r, s) for r, s in items if not r.is_withdrawn]
    parent = list(range(len(live)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, (record, _) in enumerate(live):
        for ident in record.ids:
            key = ident.upper()
            if key in owner:
                a, b = find(owner[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(live)):
        groups.setdefault(find(index), []).append(index)
    advisories: list[Advisory] = []
    for members in groups.values():
        records = [live[i][0] for i in members]
        own = sorted({r.id for r in records}, key=_id_key)
        own_upper = {i.upper() for i in own}
        other = sorted({a for r in records for a in r.aliases if a.upper() not in own_upper}, key=_id_key)
        sources = tuple(dict.fromkeys(live[i][1] for i in members))
        unique: dict[tuple[str, str], OsvRecord] = {}
        for i in members:
            unique.setdefault((live[i][0].id, live[i][1]), live[i][0])
        ordered = sorted(unique.values(), key=lambda r: _id_key(r.id))
        advisories.append(Advisory(tuple(own), tuple(other), sources, tuple(ordered)))
    advisories.sort(key=lambda a: _id_key(a.primary))
    return advisories
