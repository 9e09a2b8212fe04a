"""Does an OSV record affect a PyPI version? PEP 440 ordering via ``packaging``.

A version is affected by an ``affected[]`` entry when it is listed in ``versions[]`` or lies in
one of its ``ECOSYSTEM`` (or ``SEMVER``) ranges, evaluated as the OSV specification's
``IsVulnerable`` pseudocode does: walk the sorted events, ``introduced`` switches on, ``fixed``
(at or above) and ``last_affected`` (strictly above) switch off, and ``limit`` events, when
present, bound the range from above. ``GIT`` ranges cannot be evaluated without the repository;
the ``versions[]`` list that accompanies them covers those.

Record versions that are not valid PEP 440 never crash the matcher: an unparsable entry in
``versions[]`` only matches the identical string, and a range with an unparsable event is not
evaluated (its ``versions[]`` list still is), which :func:`unevaluable_ranges` reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from pyward.deps.advisories.osv import Affected, OsvRecord, Range

_ZERO = Version("0")
_ORDER = {"introduced": 0, "last_affected": 1, "fixed": 1, "limit": 2}


@lru_cache(maxsize=65536)
def parse_version(text: str) -> Version | None:
    """The PEP 440 version, or None when ``text`` is not one."""
    try:
        return Version(text.strip())
    except (InvalidVersion, TypeError):
        return None


def _event_version(kind: str, text: str) -> Version | None:
    if kind == "introduced" and text.strip() == "0":
        return _ZERO
    return parse_version(text)


def range_evaluable(rng: Range) -> bool:
    """True when every event of an ECOSYSTEM/SEMVER range is a PEP 440 version (or ``limit: *``)."""
    if rng.type not in ("ECOSYSTEM", "SEMVER"):
        return False
    for e in rng.events:
        if e.kind == "limit" and "*" in e.version:
            continue
        if _event_version(e.kind, e.version) is None:
            return False
    return True


def in_range(version: Version, rng: Range) -> bool:
    """The OSV evaluation of one range. Unevaluable ranges (GIT, non-PEP 440 events) return False."""
    if not range_evaluable(rng):
        return False
    limits = [e for e in rng.events if e.kind == "limit"]
    if limits:
        below_some_limit = False
        for e in limits:
            if "*" in e.version:
                below_some_limit = True
                break
            lv = parse_version(e.version)
            if lv is not None and version < lv:
                below_some_limit = True
                break
        if not below_some_limit:
            return False
    events = [
        (v, _ORDER[e.kind], e.kind)
        for e in rng.events
        if e.kind != "limit"
        for v in [_event_version(e.kind, e.version)]
        if v is not None
    ]
    events.sort(key=lambda t: (t[0], t[1]))
    vulnerable = False
    for ev_version, _, kind in events:
        if kind == "introduced":
            if version >= ev_version:
                vulnerable = True
        elif kind == "fixed":
            if version >= ev_version:
                vulnerable = False
        elif kind == "last_affected" and version > ev_version:
            vulnerable = False
    return vulnerable


@lru_cache(maxsize=8192)
def _version_set(versions: tuple[str, ...]) -> tuple[frozenset[Version], frozenset[str]]:
    parsed = frozenset(v for v in (parse_version(text) for text in versions) if v is not None)
    return parsed, frozenset(versions)


def in_versions(version: Version, raw: str, versions: Sequence[str]) -> bool:
    """``version`` is listed (PEP 440 equality, so ``1.0`` matches ``1.0.0``; verbatim for the rest)."""
    if not versions:
        return False
    parsed, verbatim = _version_set(tuple(versions))
    return version in parsed or raw in verbatim


def affected_entry_matches(entry: Affected, version: Version, raw: str | None = None) -> bool:
    if in_versions(version, raw if raw is not None else str(version), entry.versions):
        return True
    return any(in_range(version, r) for r in entry.ranges)


def record_affects(record: OsvRecord, normalized_name: str, version: str | Version) -> bool:
    """Whether ``record`` affects ``normalized_name`` at ``version`` (withdrawn records never do)."""
    if record.is_withdrawn:
        return False
    if isinstance(version, Version):
        parsed, raw = version, str(version)
    else:
        raw = version
        maybe = parse_version(version)
        if maybe is None:
            # A non-PEP 440 installed version can only match a verbatim versions[] entry.
            return any(raw in a.versions for a in record.affected_for(normalized_name))
        parsed = maybe
    return any(affected_entry_matches(a, parsed, raw) for a in record.affected_for(normalized_name))


def unevaluable_ranges(record: OsvRecord, normalized_name: str) -> list[Range]:
    """ECOSYSTEM/SEMVER ranges of ``record`` that could not be evaluated (non-PEP 440 events)."""
    return [
        r
        for a in record.affected_for(normalized_name)
        for r in a.ranges
        if r.type in ("ECOSYSTEM", "SEMVER") and not range_evaluable(r)
    ]


def known_versions(records: Iterable[OsvRecord], normalized_name: str) -> list[Version]:
    """Every PEP 440 version the records mention for the package (events and versions lists), sorted.

    pyward has no package index offline, so these are the versions it can reason about.
    """
    found: set[Version] = set()
    for record in records:
        for a in record.affected_for(normalized_name):
            for text in a.versions:
                v = parse_version(text)
                if v is not None:
                    found.add(v)
            for r in a.ranges:
                if r.type == "GIT":
                    continue
                for e in r.events:
                    if e.kind == "limit" or (e.kind == "introduced" and e.version.strip() == "0"):
                        continue
                    v = parse_version(e.version)
                    if v is not None:
                        found.add(v)
    return sorted(found)


@dataclass(frozen=True)
class RangeExposure:
    """What a version specifier admits, judged against the known versions of a package."""

    #: Known versions the specifier admits (ascending).
    admitted: tuple[Version, ...]
    #: record id -> admitted versions it affects (only records affecting at least one).
    affected: dict[str, tuple[Version, ...]]
    #: The newest admitted known version, if any.
    newest: Version | None
    #: Ids of records that affect ``newest``.
    newest_affected_by: tuple[str, ...]
    #: The specifier admits versions above every version pyward knows of (newer releases may be fine).
    open_above: bool


def parse_specifier(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text or "")
    except InvalidSpecifier:
        return None


def assess_specifier(
    records: Sequence[OsvRecord], normalized_name: str, specifier: SpecifierSet
) -> RangeExposure:
    live = [r for r in records if not r.is_withdrawn]
    known = known_versions(live, normalized_name)
    admitted = tuple(
        v for v in known if specifier.contains(v, prereleases=bool(specifier) and specifier.prereleases)
    )
    affected: dict[str, tuple[Version, ...]] = {}
    for rec in live:
        hits = tuple(v for v in admitted if record_affects(rec, normalized_name, v))
        if hits:
            affected[rec.id] = hits
    newest = admitted[-1] if admitted else None
    newest_by = tuple(rid for rid, hits in affected.items() if newest is not None and newest in hits)
    top = known[-1] if known else _ZERO
    probe = Version(f"{top.release[0] + 1000}")
    open_above = specifier.contains(probe, prereleases=True)
    return RangeExposure(admitted, affected, newest, newest_by, open_above)
