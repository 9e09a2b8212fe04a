"""The dependency as every manifest parser reports it, and a parse result."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dependency:
    """One declared or installed distribution.

    ``version`` is set only when the exact version is known (``==1.2.3`` / ``===`` pins, lock files,
    installed environments); ``specifier`` keeps the PEP 440 specifier as written (``>=2,<3``).
    ``url`` is set for ``name @ url``, VCS and local-path requirements (no version can be checked).
    """

    name: str
    specifier: str = ""
    version: str | None = None
    file: str = ""  # display path of the manifest
    line: int = 0  # 1-based line of the declaration (0 when unknown)
    extras: tuple[str, ...] = ()
    marker: str | None = None
    url: str | None = None
    editable: bool = False
    hashes: tuple[str, ...] = ()
    #: "requirements", "pyproject", "poetry.lock", "installed", ... (which parser produced it)
    source: str = ""
    #: dependency group/extra/section it was declared in ("main", "dev", "build-system", ...)
    group: str = ""
    #: True when read from a lock file or an installed environment (exact and resolved).
    locked: bool = False

    @property
    def normalized(self) -> str:
        from packaging.utils import canonicalize_name  # imported on first use: start-up cost

        return canonicalize_name(self.name)


@dataclass(frozen=True)
class ManifestProblem:
    """Something in a manifest that could not be understood (a diagnostic, never silent)."""

    file: str
    line: int
    message: str


@dataclass(frozen=True)
class ManifestResult:
    dependencies: tuple[Dependency, ...] = ()
    problems: tuple[ManifestProblem, ...] = ()
    #: Other files this one pulled in (``-r``/``-c``), so discovery does not report them twice.
    included: tuple[str, ...] = field(default=())
