"""A typed model of OSV records (https://ossf.github.io/osv-schema/), read from JSON or YAML.

Only what pyward uses is modelled: ids and aliases, text, severity (CVSS vector plus a computed
base score for v3.x), affected packages with their ranges and versions, references and dates.
``database_specific`` and ``ecosystem_specific`` are ignored. Anything malformed raises
:class:`OsvError` with a message naming the field; the importer counts those records as failed.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from packaging.utils import canonicalize_name

from pyward.deps.advisories.cvss import CvssError, base_score_v3
from pyward.model import Severity

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
PYPI = "PyPI"


class OsvError(ValueError):
    """A record that does not follow the OSV schema closely enough to be used."""


@dataclass(frozen=True)
class SeverityScore:
    """One ``severity[]`` entry. ``score`` is the computed base score when pyward can compute it."""

    type: str
    vector: str
    score: float | None = None
    level: Severity | None = None
    #: Why no score was derived ("CVSS v4 vectors are not scored"...), empty when scored.
    note: str = ""


@dataclass(frozen=True)
class Event:
    kind: str  # one of EVENT_KINDS
    version: str


@dataclass(frozen=True)
class Range:
    type: str  # ECOSYSTEM, SEMVER or GIT
    events: tuple[Event, ...]
    repo: str | None = None


@dataclass(frozen=True)
class Package:
    ecosystem: str
    name: str
    purl: str | None = None

    @property
    def normalized(self) -> str:
        return canonicalize_name(self.name)


@dataclass(frozen=True)
class Affected:
    package: Package
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()
    severity: tuple[SeverityScore, ...] = ()

    @property
    def fixed_versions(self) -> tuple[str, ...]:
        return tuple(e.version for r in self.ranges if r.type != "GIT" for e in r.events if e.kind == "fixed")


@dataclass(frozen=True)
class Reference:
    type: str
    url: str


@dataclass(frozen=True)
class OsvRecord:
    id: str
    modified: str
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    severity: tuple[SeverityScore, ...] = ()
    affected: tuple[Affected, ...] = ()
    references: tuple[Reference, ...] = ()
    published: str | None = None
    withdrawn: str | None = None
    schema_version: str | None = None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn is not None

    @property
    def ids(self) -> tuple[str, ...]:
        """The record's id followed by its aliases."""
        return (self.id, *self.aliases)

    def affected_for(self, normalized_name: str, ecosystem: str = PYPI) -> tuple[Affected, ...]:
        return tuple(
            a
            for a in self.affected
            if a.package.ecosystem == ecosystem and a.package.normalized == normalized_name
        )

    def package_names(self, ecosystem: str = PYPI) -> tuple[str, ...]:
        """Normalised names of the packages this record affects in ``ecosystem`` (sorted, unique)."""
        return tuple(
            sorted({a.package.normalized for a in self.affected if a.package.ecosystem == ecosystem})
        )

    def fixed_versions(self, normalized_name: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for aff in self.affected_for(normalized_name):
            for v in aff.fixed_versions:
                seen.setdefault(v, None)
        return tuple(seen)

    def best_severity(self, normalized_name: str | None = None) -> SeverityScore | None:
        """The highest scored severity entry (package-level entries included), else any entry."""
        entries = list(self.severity)
        for aff in self.affected if normalized_name is None else self.affected_for(normalized_name):
            entries.extend(aff.severity)
        scored = [e for e in entries if e.score is not None]
        if scored:
            return max(scored, key=lambda e: e.score or 0.0)
        return entries[0] if entries else None

    def to_dict(self) -> dict[str, Any]:
        """The record back in OSV JSON shape (only the modelled fields)."""
        out: dict[str, Any] = {"id": self.id, "modified": self.modified}
        if self.schema_version:
            out["schema_version"] = self.schema_version
        if self.published:
            out["published"] = self.published
        if self.withdrawn:
            out["withdrawn"] = self.withdrawn
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.related:
            out["related"] = list(self.related)
        if self.summary:
            out["summary"] = self.summary
        if self.details:
            out["details"] = self.details
        if self.severity:
            out["severity"] = [{"type": s.type, "score": s.vector} for s in self.severity]
        out["affected"] = [_affected_dict(a) for a in self.affected]
        if self.references:
            out["references"] = [{"type": r.type, "url": r.url} for r in self.references]
        return out


def _affected_dict(a: Affected) -> dict[str, Any]:
    pkg: dict[str, Any] = {"ecosystem": a.package.ecosystem, "name": a.package.name}
    if a.package.purl:
        pkg["purl"] = a.package.purl
    out: dict[str, Any] = {"package": pkg}
    if a.ranges:
        ranges = []
        for r in a.ranges:
            item: dict[str, Any] = {"type": r.type, "events": [{e.kind: e.version} for e in r.events]}
            if r.repo:
                item["repo"] = r.repo
            ranges.append(item)
        out["ranges"] = ranges
    if a.versions:
        out["versions"] = list(a.versions)
    if a.severity:
        out["severity"] = [{"type": s.type, "score": s.vector} for s in a.severity]
    return out


# --------------------------------------------------------------------------------------------
# parsing


def _text(value: object, where: str, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise OsvError(f"{where} is missing")
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise OsvError(f"{where} must be a string, not a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.datetime):
        text = value.isoformat()
        return text.replace("+00:00", "Z")
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise OsvError(f"{where} must be a string, not {type(value).__name__}")


def _list(value: object, where: str) -> Sequence[Any]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise OsvError(f"{where} must be a list, not {type(value).__name__}")
    return value


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise OsvError(f"{where} must be an object, not {type(value).__name__}")
    return value


def parse_severity(item: object, where: str) -> SeverityScore:
    entry = _mapping(item, where)
    kind = _text(entry.get("type"), f"{where}.type", required=True)
    vector = _text(entry.get("score"), f"{where}.score", required=True)
    if kind == "CVSS_V3" or vector.startswith(("CVSS:3.0/", "CVSS:3.1/")):
        try:
            cv = base_score_v3(vector)
        except CvssError as exc:
            return SeverityScore(kind, vector, note=f"invalid CVSS v3 vector: {exc}")
        return SeverityScore(kind, vector, cv.base_score, cv.severity)
    if kind == "CVSS_V4":
        return SeverityScore(kind, vector, note="CVSS v4 vectors are kept but not scored by pyward")
    if kind == "CVSS_V2":
        return SeverityScore(kind, vector, note="CVSS v2 vectors are kept but not scored by pyward")
    return SeverityScore(kind, vector, note=f"severity type {kind} is not scored by pyward")


def _parse_range(item: object, where: str) -> Range:
    entry = _mapping(item, where)
    kind = _text(entry.get("type"), f"{where}.type", required=True)
    events: list[Event] = []
    for j, raw in enumerate(_list(entry.get("events"), f"{where}.events")):
        ev = _mapping(raw, f"{where}.events[{j}]")
        keys = [k for k in ev if k in EVENT_KINDS]
        if len(keys) != 1:
            raise OsvError(f"{where}.events[{j}] must have exactly one of {', '.join(EVENT_KINDS)}")
        events.append(Event(keys[0], _text(ev[keys[0]], f"{where}.events[{j}].{keys[0]}", required=True)))
    if not any(e.kind == "introduced" for e in events):
        raise OsvError(f"{where}.events has no 'introduced' event")
    repo = entry.get("repo")
    return Range(kind, tuple(events), _text(repo, f"{where}.repo") or None)


def _parse_affected(item: object, where: str) -> Affected:
    entry = _mapping(item, where)
    pkg = _mapping(entry.get("package"), f"{where}.package")
    package = Package(
        _text(pkg.get("ecosystem"), f"{where}.package.ecosystem", required=True),
        _text(pkg.get("name"), f"{where}.package.name", required=True),
        _text(pkg.get("purl"), f"{where}.package.purl") or None,
    )
    ranges = tuple(
        _parse_range(r, f"{where}.ranges[{i}]")
        for i, r in enumerate(_list(entry.get("ranges"), f"{where}.ranges"))
    )
    versions = tuple(
        _text(v, f"{where}.versions[{i}]", required=True)
        for i, v in enumerate(_list(entry.get("versions"), f"{where}.versions"))
    )
    severity = tuple(
        parse_severity(s, f"{where}.severity[{i}]")
        for i, s in enumerate(_list(entry.get("severity"), f"{where}.severity"))
    )
    return Affected(package, ranges, versions, severity)


def parse_record(data: object) -> OsvRecord:
    """Build an :class:`OsvRecord` from decoded JSON/YAML; raises :class:`OsvError`."""
    obj = _mapping(data, "record")
    rid = _text(obj.get("id"), "id", required=True).strip()
    if not rid:
        raise OsvError("id is empty")
    modified = _text(obj.get("modified"), f"{rid}: modified")
    return OsvRecord(
        id=rid,
        modified=modified,
        aliases=tuple(
            _text(a, f"{rid}: aliases[{i}]", required=True)
            for i, a in enumerate(_list(obj.get("aliases"), f"{rid}: aliases"))
        ),
        related=tuple(
            _text(a, f"{rid}: related[{i}]", required=True)
            for i, a in enumerate(_list(obj.get("related"), f"{rid}: related"))
        ),
        summary=_text(obj.get("summary"), f"{rid}: summary"),
        details=_text(obj.get("details"), f"{rid}: details"),
        severity=tuple(
            parse_severity(s, f"{rid}: severity[{i}]")
            for i, s in enumerate(_list(obj.get("severity"), f"{rid}: severity"))
        ),
        affected=tuple(
            _parse_affected(a, f"{rid}: affected[{i}]")
            for i, a in enumerate(_list(obj.get("affected"), f"{rid}: affected"))
        ),
        references=tuple(
            Reference(
                _text(_mapping(r, f"{rid}: references[{i}]").get("type"), f"{rid}: references[{i}].type"),
                _text(_mapping(r, f"{rid}: references[{i}]").get("url"), f"{rid}: references[{i}].url"),
            )
            for i, r in enumerate(_list(obj.get("references"), f"{rid}: references"))
        ),
        published=_text(obj.get("published"), f"{rid}: published") or None,
        withdrawn=_text(obj.get("withdrawn"), f"{rid}: withdrawn") or None,
        schema_version=_text(obj.get("schema_version"), f"{rid}: schema_version") or None,
    )


# --------------------------------------------------------------------------------------------
# decoding


def _yaml_loader() -> Any:
    """A safe YAML loader (libyaml when available) that leaves every scalar a string.

    OSV YAML quotes most versions, but an unquoted ``1.10`` would otherwise become the float 1.1,
    a bare timestamp a ``datetime`` and a package called ``on`` the boolean True; only ``null``
    keeps its YAML meaning.
    """
    try:
        import yaml
    except ImportError:
        return None
    base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class _TextLoader(base):  # type: ignore[misc]
        pass

    resolvers: dict[Any, list[tuple[str, Any]]] = {}
    for first, entries in base.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in entries if tag == "tag:yaml.org,2002:null"]
        if kept:
            resolvers[first] = kept
    _TextLoader.yaml_implicit_resolvers = resolvers
    return _TextLoader


_LOADER: list[Any] = []


def yaml_available() -> bool:
    return _get_loader() is not None


def _get_loader() -> Any:
    if not _LOADER:
        _LOADER.append(_yaml_loader())
    return _LOADER[0]


def decode(name: str, data: bytes) -> object:
    """Decode a ``.json`` or ``.yaml``/``.yml`` document; raises :class:`OsvError`."""
    lower = name.lower()
    if lower.endswith(".json"):
        try:
            return json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise OsvError(f"invalid JSON: {exc}") from None
    if lower.endswith((".yaml", ".yml")):
        loader = _get_loader()
        if loader is None:
            raise OsvError("YAML records need PyYAML: pip install 'pyward[yaml]' (or pip install pyyaml)")
        import yaml

        try:
            return yaml.load(data, Loader=loader)
        except (yaml.YAMLError, RecursionError, ValueError) as exc:
            raise OsvError(
                f"invalid YAML: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            ) from None
    raise OsvError(f"not a .json or .yaml file: {name}")


def load_record(name: str, data: bytes) -> OsvRecord:
    return parse_record(decode(name, data))
