"""Dependency manifests and lock files → :class:`~pyward.deps.types.Dependency` lists.

``manifest_kind(filename)`` says which parser reads a file; ``parse_manifest`` parses one (never
raising on bad input: problems come back as :class:`~pyward.deps.types.ManifestProblem`);
``read_environment`` lists an interpreter's installed distributions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyward.deps.kinds import manifest_kind
from pyward.deps.manifests.common import Collector, looks_binary
from pyward.deps.manifests.environment import EnvironmentError_, read_environment
from pyward.deps.manifests.target import TargetEnv, coerce_target, marker_applies
from pyward.deps.types import ManifestProblem, ManifestResult

__all__ = [
    "EnvironmentError_",
    "TargetEnv",
    "cache_salt",
    "manifest_kind",
    "marker_applies",
    "parse_manifest",
    "read_environment",
]


def cache_salt(abspath: str | Path, kind: str | None, data: bytes) -> str:
    """Extra cache-key material for a manifest: the contents of the files it includes."""
    if kind != "requirements":
        return ""
    from pyward.deps.manifests.requirements import include_fingerprint

    try:
        return include_fingerprint(abspath, data)
    except (OSError, ValueError, RecursionError):
        return "unreadable-includes"


def _parsers() -> dict[str, Callable[[Collector, str], None]]:
    from pyward.deps.manifests import conda, locks, pyproject, setuptools

    return {
        "pyproject": pyproject.parse_pyproject,
        "pipfile": pyproject.parse_pipfile,
        "poetry.lock": locks.parse_poetry_lock,
        "pipfile.lock": locks.parse_pipfile_lock,
        "pdm.lock": locks.parse_pdm_lock,
        "uv.lock": locks.parse_uv_lock,
        "pylock": locks.parse_pylock,
        "conda": conda.parse_conda,
        "setup.cfg": setuptools.parse_setup_cfg,
        "setup.py": setuptools.parse_setup_py,
    }


def parse_manifest(
    display_path: str,
    abspath: Path | str | None,
    text: str,
    *,
    target: TargetEnv | str | None = None,
    kind: str | None = None,
) -> ManifestResult:
    """Parse one manifest. ``target`` is a :class:`TargetEnv` or a Python version string ("3.9")."""
    path = Path(abspath) if abspath is not None and str(abspath) else None
    kind = kind or manifest_kind(display_path) or (manifest_kind(path.name) if path is not None else None)
    if kind is None:
        return ManifestResult(problems=(ManifestProblem(display_path, 0, "not a known manifest file name"),))
    try:
        env = coerce_target(target)
    except ValueError as exc:
        return ManifestResult(problems=(ManifestProblem(display_path, 0, f"target Python: {exc}"),))
    collector = Collector(display_path, env, kind)
    if looks_binary(text):
        collector.problem(0, "binary file, not a text manifest")
        return collector.result()
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        if kind == "requirements":
            from pyward.deps.manifests.requirements import parse_requirements

            parse_requirements(collector, display_path, path, text)
        else:
            _parsers()[kind](collector, text)
    except RecursionError:
        collector.problem(0, "manifest nested too deeply to read")
    return collector.result()
