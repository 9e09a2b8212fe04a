"""Helpers shared by the manifest parsers: PEP 508 strings to :class:`Dependency`, problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from pyward.deps.manifests.target import TargetEnv, marker_applies
from pyward.deps.types import Dependency, ManifestProblem, ManifestResult


@dataclass
class Collector:
    """Accumulates the dependencies and problems of one parse."""

    file: str
    target: TargetEnv
    source: str
    deps: list[Dependency] = field(default_factory=list)
    problems: list[ManifestProblem] = field(default_factory=list)
    included: list[str] = field(default_factory=list)

    def problem(self, line: int, message: str, file: str | None = None) -> None:
        self.problems.append(ManifestProblem(file or self.file, max(line, 0), message))

    def result(self) -> ManifestResult:
        return ManifestResult(tuple(self.deps), tuple(self.problems), tuple(self.included))

    def add_pep508(
        self,
        text: str,
        line: int,
        *,
        group: str = "",
        extra: str = "",
        file: str | None = None,
        hashes: Sequence[str] = (),
        editable: bool = False,
        locked: bool = False,
        what: str = "requirement",
    ) -> Dependency | None:
        """Parse one PEP 508 requirement; record a problem when it is invalid.

        Returns None (and records nothing) when its marker is false on the target environment.
        """
        where = file or self.file
        try:
            req = Requirement(text)
        except (InvalidRequirement, ValueError) as exc:  # packaging may raise InvalidSpecifier
            first = str(exc).splitlines()[0] if str(exc) else "invalid"
            self.problem(line, f"invalid {what} {text!r}: {first}", where)
            return None
        if req.marker is not None:
            try:
                if not marker_applies(req.marker, self.target, extra):
                    return None
            except ValueError as exc:
                self.problem(line, str(exc), where)
                return None
        dep = Dependency(
            name=req.name,
            specifier=str(req.specifier),
            version=exact_version(req.specifier),
            file=where,
            line=line,
            extras=tuple(sorted(req.extras)),
            marker=str(req.marker) if req.marker is not None else None,
            url=req.url or None,
            editable=editable,
            hashes=tuple(hashes),
            source=self.source,
            group=group,
            locked=locked,
        )
        if dep.url is not None:
            dep = _replace_version(dep, None)
        self.deps.append(dep)
        return dep


def _replace_version(dep: Dependency, version: str | None) -> Dependency:
    from dataclasses import replace

    return replace(dep, version=version)


def exact_version(spec: SpecifierSet | str) -> str | None:
    """The version an ``==X`` / ``===X`` specifier pins (None for ranges and wildcards)."""
    if isinstance(spec, str):
        try:
            spec = SpecifierSet(spec)
        except Exception:
            return None
    items = list(spec)
    if len(items) != 1:
        exact = [s for s in items if s.operator in ("==", "===") and not s.version.endswith(".*")]
        if len(exact) == 1 and all(s.contains(exact[0].version, prereleases=True) for s in items):
            return exact[0].version
        return None
    only = items[0]
    if only.operator in ("==", "===") and not only.version.endswith(".*"):
        return only.version
    return None


def looks_binary(text: str) -> bool:
    return "\x00" in text[:8192]


def vcs_url(where: str, scheme: str = "git", ref: object = None) -> str:
    """A pip-style VCS URL: ``git+https://host/repo@ref`` (the scheme prefix added once, the ref
    appended when it is a non-empty string)."""
    url = where if where.startswith(f"{scheme}+") else f"{scheme}+{where}"
    return f"{url}@{ref}" if isinstance(ref, str) and ref else url
