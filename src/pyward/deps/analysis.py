"""The dependency audit as an engine analysis.

Per file (``analyze_text``): parse the manifest and hand its dependencies to the project phase;
problems in the manifest become ``PWX011`` diagnostics. Per project (``analyze_project``): open
the advisory database and report vulnerable pins (PWD901), unpinned requirements and what their
range still admits (PWD902), and requirements whose version cannot be known (PWD904).

Without a database nothing can be checked, and the scan says so: a line in
``project.incomplete`` (exit code 3), never a clean result. A database older than
``db-max-age-days`` is used but reported (PWX010).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.deps.paths import resolve_db_path
from pyward.deps.types import Dependency, ManifestProblem, ManifestResult
from pyward.model import Confidence, FileKind, Finding, Fix, Severity, Span
from pyward.settings import DepsIgnore, Settings

if TYPE_CHECKING:
    import datetime as _dt

    # The advisory database, OSV records and PEP 440 matching (sqlite3, packaging...) are imported
    # where they are used: a scan without dependencies to check never needs them.
    from pyward.deps.advisories.db import AdvisoryDatabase
    from pyward.deps.advisories.merge import Advisory

NO_DB_HELP = (
    "run `pyward db update` to download the advisory database, or `pyward db import PATH` to build it "
    "from local OSV data (or pass --db PATH)"
)


def _diag(code: str, name: str, message: str, span: Span, **properties: Any) -> Finding:
    return Finding(code, name, message, span, Severity.LOW, Confidence.HIGH, properties=properties)


# --------------------------------------------------------------------------------------------
# ignores


@dataclass
class IgnoreState:
    """``[tool.pyward.deps] ignore`` entries, split into active and expired ones."""

    active: list[DepsIgnore] = field(default_factory=list)
    expired: list[tuple[DepsIgnore, str]] = field(default_factory=list)  # (entry, why)
    used_expired: set[int] = field(default_factory=set)

    @classmethod
    def from_settings(cls, settings: Settings, today: _dt.date) -> IgnoreState:
        state = cls()
        for entry in settings.deps_ignore:
            if entry.until is None:
                state.active.append(entry)
                continue
            try:
                import datetime as _dt

                until = _dt.date.fromisoformat(str(entry.until)[:10])
            except ValueError:
                state.expired.append(
                    (entry, f"its until date {entry.until!r} is not an ISO date (YYYY-MM-DD)")
                )
                continue
            if today > until:
                state.expired.append((entry, f"it expired on {until.isoformat()}"))
            else:
                state.active.append(entry)
        return state

    def suppresses(self, advisory: Advisory) -> DepsIgnore | None:
        ids = {i.upper() for i in advisory.all_ids}
        for entry in self.active:
            if entry.id.strip().upper() in ids:
                return entry
        for index, (entry, _) in enumerate(self.expired):
            if entry.id.strip().upper() in ids:
                self.used_expired.add(index)
        return None


def _config_span(settings: Settings, root: Path, ident: str) -> Span:
    source = settings.config_file
    if not source:
        return Span("pyproject.toml", 1)
    path = Path(source)
    line = 1
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ident in text:
                line = number
                break
    except (OSError, UnicodeDecodeError):
        pass
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return Span(shown, line)


# --------------------------------------------------------------------------------------------
# messages


def _ids_text(advisory: Advisory) -> str:
    text = ", ".join(advisory.ids)
    if advisory.aliases:
        text += f" (aliases: {', '.join(advisory.aliases)})"
    return text


def _severity_of(advisory: Advisory, name: str, default: Severity) -> tuple[Severity, str]:
    best = advisory.severity(name)
    if best is not None and best.score is not None and best.level is not None:
        return max(best.level, Severity.LOW), f"CVSS {best.score:.1f} {best.vector}"
    if best is not None:
        return default, f"severity vector {best.vector} not scored"
    return default, "no CVSS score published"


def _dep_span(dep: Dependency, fallback: str) -> Span:
    return Span(dep.file or fallback, max(dep.line, 1))


def _dependency_key(dep: Dependency) -> tuple[str, int, str, str, str]:
    return (dep.file, dep.line, dep.normalized, dep.specifier, dep.version or "")


@dataclass
class Audit:
    """Runs the checks for a list of dependencies against an open database (pure apart from reads)."""

    db: AdvisoryDatabase | None
    settings: Settings
    enabled: set[str]
    root: Path
    today: _dt.date
    ignores: IgnoreState = field(init=False)
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ignores = IgnoreState.from_settings(self.settings, self.today)

    def run(self, deps: Iterable[Dependency]) -> list[Finding]:
        for dep in deps:
            self.check(dep)
        # Expired ignore entries are always reported (the engine drops PWX012 if deselected).
        for index, (entry, why) in enumerate(self.ignores.expired):
            used = index in self.ignores.used_expired
            self.findings.append(
                _diag(
                    "PWX012",
                    "expired-advisory-ignore",
                    f"ignore entry for {entry.id} no longer suppresses anything: {why}"
                    + (" (the advisory is reported again)" if used else ""),
                    _config_span(self.settings, self.root, entry.id),
                    id=entry.id,
                    until=entry.until,
                )
            )
        return self.findings

    def check(self, dep: Dependency) -> None:
        if dep.version is None and (dep.url is not None or dep.editable):
            if "PWD904" in self.enabled:
                self._unverifiable(dep)
            return
        if self.db is None:
            if dep.version is None and "PWD902" in self.enabled:
                self._unpinned(dep, [])
            return
        advisories = self.db.advisories_for(dep.normalized)
        if dep.version is not None:
            if "PWD901" in self.enabled:
                self._exact(dep, advisories)
        elif "PWD902" in self.enabled:
            self._unpinned(dep, advisories)

    # ---------------------------------------------------------------------------------------
    def _unverifiable(self, dep: Dependency) -> None:
        what = "an editable install" if dep.editable else "a direct reference"
        where = f" ({dep.url})" if dep.url else ""
        self.findings.append(
            Finding(
                "PWD904",
                "unverifiable-dependency",
                f"cannot check {dep.name}: {what}{where} has no version to compare with advisories; "
                "pin a released version or audit that source yourself",
                _dep_span(dep, "requirements.txt"),
                Severity.LOW,
                Confidence.HIGH,
                properties={"package": dep.normalized, "url": dep.url, "editable": dep.editable},
            )
        )

    def _exact(self, dep: Dependency, advisories: Sequence[Advisory]) -> None:
        from pyward.deps.match import parse_version, record_affects
        from pyward.deps.remedy import smallest_fix

        version = dep.version or ""
        name = dep.normalized
        hits = [a for a in advisories if any(record_affects(r, name, version) for r in a.records)]
        if not hits:
            return
        all_records = [r for a in advisories for r in a.records]
        fix = smallest_fix(all_records, name, version) if parse_version(version) is not None else None
        if parse_version(version) is None:
            fix_text = f"{version!r} is not a PEP 440 version, so no upgrade can be computed"
        elif fix is not None:
            fix_text = f"smallest upgrade fixing all {len(advisories)} known advisories of {dep.name}: {fix}"
        else:
            fix_text = f"no released version of {dep.name} is known to fix every advisory"
        for advisory in hits:
            if self.ignores.suppresses(advisory) is not None:
                continue
            severity, severity_text = _severity_of(advisory, name, Severity.HIGH)
            fixed = advisory.fixed_versions(name)
            summary = advisory.summary or "no summary"
            message = (
                f"{dep.name} {version} is affected by {_ids_text(advisory)}: {summary} "
                f"[{severity_text}; reported by {', '.join(advisory.sources)}]; "
                f"fixed in {', '.join(fixed) if fixed else 'no released version'}; {fix_text}"
            )
            lock_hint = ""
            if dep.locked and dep.source not in ("requirements", "installed", ""):
                lock_hint = f" (update the lock file with your tool, e.g. `{_lock_command(dep)}`)"
            self.findings.append(
                Finding(
                    "PWD901",
                    "vulnerable-dependency",
                    message,
                    _dep_span(dep, "requirements.txt"),
                    severity,
                    Confidence.HIGH,
                    fix=Fix(f"upgrade {dep.name} to {fix}{lock_hint}") if fix is not None else None,
                    properties={
                        "package": name,
                        "version": version,
                        "ids": list(advisory.ids),
                        "aliases": list(advisory.aliases),
                        "sources": list(advisory.sources),
                        "summary": advisory.summary,
                        "fixed_versions": list(fixed),
                        "fix": str(fix) if fix is not None else None,
                        "cvss": severity_text,
                    },
                )
            )

    def _unpinned(self, dep: Dependency, advisories: Sequence[Advisory]) -> None:
        from pyward.deps.match import assess_specifier, parse_specifier
        from pyward.deps.remedy import smallest_fix

        name = dep.normalized
        written = dep.specifier or ""
        shown = f"{dep.name}{written}" if written else dep.name
        spec = parse_specifier(written)
        base = f"{shown} is not pinned: what gets installed depends on the day it is resolved"
        props: dict[str, Any] = {"package": name, "specifier": written}
        if spec is None:
            message = f"{base}; its specifier cannot be parsed, so no advisory could be checked"
        elif self.db is None:
            message = f"{base}; advisories not checked (no advisory database)"
        else:
            records = [r for a in advisories for r in a.records]
            exposure = assess_specifier(records, name, spec)
            admitted_by: list[tuple[Advisory, tuple[str, ...]]] = []
            for advisory in advisories:
                versions = sorted({v for r in advisory.records for v in exposure.affected.get(r.id, ())})
                if versions and self.ignores.suppresses(advisory) is None:
                    admitted_by.append((advisory, (str(versions[0]), str(versions[-1]))))
            newest_ids = [
                a.primary
                for a, _ in admitted_by
                if any(r.id in exposure.newest_affected_by for r in a.records)
            ]
            if not admitted_by:
                message = f"{base}; no known advisory affects the versions it admits"
            else:
                listed = ", ".join(
                    a.primary + (f" ({lo})" if lo == hi else f" ({lo} to {hi})")
                    for a, (lo, hi) in admitted_by[:10]
                )
                more = f" and {len(admitted_by) - 10} more" if len(admitted_by) > 10 else ""
                message = (
                    f"{base}; it admits versions affected by {len(admitted_by)} advisories: {listed}{more}"
                )
                if exposure.newest is not None:
                    if newest_ids:
                        message += (
                            f"; the newest version it admits that pyward knows of, {exposure.newest}, is "
                            f"itself affected by {', '.join(newest_ids)}"
                        )
                    else:
                        message += (
                            f"; the newest version it admits that pyward knows of, {exposure.newest}, "
                            "is not affected by any known advisory"
                        )
                if exposure.open_above:
                    message += "; newer releases are admitted too and may be fine"
                fix = smallest_fix(records, name, exposure.admitted[0] if exposure.admitted else None)
                if fix is not None:
                    message += f"; pin a safe version (>= {fix})"
                    props["fix"] = str(fix)
            props["advisories"] = [list(a.all_ids) for a, _ in admitted_by]
            props["newest_known"] = str(exposure.newest) if exposure.newest is not None else None
        self.findings.append(
            Finding(
                "PWD902",
                "unpinned-dependency",
                message,
                _dep_span(dep, "requirements.txt"),
                Severity.LOW,
                Confidence.HIGH,
                properties=props,
            )
        )


def _lock_command(dep: Dependency) -> str:
    source = dep.source.lower()
    if "poetry" in source:
        return f"poetry update {dep.name}"
    if "pipfile" in source:
        return f"pipenv update {dep.name}"
    if "pdm" in source:
        return f"pdm update {dep.name}"
    if "uv" in source:
        return f"uv lock --upgrade-package {dep.name}"
    return f"re-lock with {dep.name} upgraded"


# --------------------------------------------------------------------------------------------
# the analysis


def collect_dependencies(results: Iterable[ManifestResult]) -> list[Dependency]:
    seen: set[tuple[str, int, str, str, str]] = set()
    out: list[Dependency] = []
    for result in results:
        for dep in result.dependencies:
            key = _dependency_key(dep)
            if key not in seen:
                seen.add(key)
                out.append(dep)
    return out


def audit(
    deps: Sequence[Dependency],
    db_path: Path,
    settings: Settings,
    enabled: set[str],
    root: Path,
    *,
    incomplete: list[str],
    today: _dt.date | None = None,
    now: _dt.datetime | None = None,
) -> list[Finding]:
    """Check ``deps`` against the database at ``db_path``; problems opening it go to ``incomplete``."""
    if not deps:
        return []
    from pyward.deps.advisories.db import AdvisoryDatabase, AdvisoryDbError

    needs_db = any(d.version is not None or (d.url is None and not d.editable) for d in deps) and bool(
        {"PWD901", "PWD902"} & enabled
    )
    db: AdvisoryDatabase | None = None
    findings: list[Finding] = []
    if needs_db:
        try:
            db = AdvisoryDatabase.open(db_path)
        except AdvisoryDbError as exc:
            incomplete.append(
                f"dependency audit: {exc}"
                if "pyward db" in str(exc)
                else f"dependency audit: {exc}; {NO_DB_HELP}"
            )
    try:
        if db is not None:
            status = db.status()
            age = status.age_days(now)
            if age > settings.db_max_age_days:
                first = next((d.file for d in deps if d.file), "requirements.txt")
                findings.append(
                    _diag(
                        "PWX010",
                        "advisory-db-stale",
                        f"the advisory database {db_path} is {age:.0f} days old (limit {settings.db_max_age_days}); "
                        "advisories published since then are missing: run `pyward db update`",
                        Span(first, 1),
                        age_days=round(age, 1),
                        built_at=status.built_at.isoformat(),
                    )
                )
        import datetime as _dt

        day = today or (now.date() if now else _dt.datetime.now(_dt.timezone.utc).date())
        try:
            findings.extend(Audit(db, settings, enabled, root, day).run(deps))
        except AdvisoryDbError as exc:
            incomplete.append(f"dependency audit: {exc}")
    finally:
        if db is not None:
            db.close()
    return findings


def _problem_finding(problem: ManifestProblem, path: str) -> Finding:
    return _diag(
        "PWX011",
        "manifest-problem",
        f"not understood: {problem.message}",
        Span(problem.file or path or "requirements.txt", max(problem.line, 1)),
    )


class DependencyAnalysis(Analysis):
    name = "deps"
    text_kinds = frozenset({FileKind.MANIFEST})
    wants_python = False

    def project_cache_token(self, project: ProjectModel) -> str | None:
        return None  # depends on the advisory data, not only on the scanned files

    def analyze_text(self, path: str, abspath: str, kind: FileKind, text: str) -> PerFileOutput:
        from pyward.deps.manifests import parse_manifest

        if self.settings.target_python:
            result = parse_manifest(path, abspath, text, target=self.settings.target_python)
        else:
            result = parse_manifest(path, abspath, text)
        findings = tuple(_problem_finding(p, path) for p in result.problems)
        return PerFileOutput(findings=findings, data=result)

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        parsed: dict[str, ManifestResult] = {}
        for entry in project.of_kind(FileKind.MANIFEST):
            data = entry.data.get(self.name)
            if isinstance(data, ManifestResult):
                parsed[entry.path] = data
        # A file pulled in with ``-r`` that discovery also found is taken from its own parse, which
        # is never older than the copy inside the including file's (possibly cached) result.
        results: list[ManifestResult] = []
        for path, data in parsed.items():
            keep = tuple(d for d in data.dependencies if d.file in (path, "") or d.file not in parsed)
            results.append(
                data if len(keep) == len(data.dependencies) else ManifestResult(keep, data.problems)
            )
        # Parsed outside the per-file phase: an installed environment, manifests named explicitly.
        extras: list[ManifestResult] = []
        environment = project.options.get("environment")
        if isinstance(environment, ManifestResult):
            extras.append(environment)
        extras.extend(r for r in project.options.get("manifests") or () if isinstance(r, ManifestResult))
        problems = [_problem_finding(p, "") for r in extras for p in r.problems]
        deps = collect_dependencies([*results, *extras])
        enabled = {r.meta.code for r in self.rules}
        return problems + audit(
            deps,
            resolve_db_path(project.options.get("db")),
            project.settings,
            enabled,
            project.root,
            incomplete=project.incomplete,
        )


def version_is_exact(dep: Dependency) -> bool:
    from pyward.deps.match import parse_version

    return dep.version is not None and parse_version(dep.version) is not None
