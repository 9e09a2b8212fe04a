"""``[tool.pyward]`` in ``pyproject.toml`` or ``.pyward.toml`` → a frozen :class:`Settings`.

Unknown keys and wrong types are a :class:`ConfigError` naming the key and the file (exit code 2).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from pyward.model import Confidence, Severity


class ConfigError(Exception):
    """An invalid configuration: the message names the file and the key."""


@dataclass(frozen=True)
class DepsIgnore:
    id: str
    reason: str = ""
    until: str | None = None  # ISO date


@dataclass(frozen=True)
class Settings:
    """Every knob of a scan. CLI flags override values from the config file."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: Severity = Severity.INFO
    confidence: Confidence = Confidence.LOW
    fail_on: Severity = Severity.LOW
    jobs: int | None = None
    baseline: str | None = None
    warn_unused_ignores: bool = False
    respect_gitignore: bool = True
    #: Taint: report flows from local sources (argv, env, input, files) too.
    local_sources: bool = False
    #: Dependencies.
    allow_packages: tuple[str, ...] = ()
    deps_ignore: tuple[DepsIgnore, ...] = ()
    db_max_age_days: int = 7
    target_python: str | None = None
    #: Where the config came from (for messages), not part of the cache key.
    config_file: str | None = field(default=None, compare=False)

    def cache_key(self) -> str:
        """A digest of every setting that can change per-file results."""
        import hashlib

        data = asdict(self)
        data.pop("config_file", None)
        data.pop("baseline", None)
        data.pop("jobs", None)
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_KEYS: dict[str, str] = {
    "select": "list",
    "ignore": "list",
    "extend-select": "list",
    "exclude": "list",
    "per-path-ignores": "table",
    "severity": "severity",
    "confidence": "confidence",
    "fail-on": "severity",
    "jobs": "int",
    "baseline": "str",
    "warn-unused-ignores": "bool",
    "respect-gitignore": "bool",
    "local-sources": "bool",
    "allow-packages": "list",
    "deps": "deps-table",
    "db-max-age-days": "int",
    "target-python": "str",
}


def find_config(start: Path) -> Path | None:
    """The nearest ``.pyward.toml``, or ``pyproject.toml`` with a ``[tool.pyward]`` table, walking up."""
    current = start if start.is_dir() else start.parent
    current = current.absolute()
    for directory in [current, *current.parents]:
        dotfile = directory / ".pyward.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            if sys.version_info >= (3, 11):  # imported only when there is a file to read
                import tomllib
            else:  # pragma: no cover
                import tomli as tomllib
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "pyward" in data["tool"]:
                return pyproject
    return None


def load_settings(path: Path | None) -> Settings:
    """Read settings from ``path`` (``None`` → defaults)."""
    if path is None:
        return Settings()
    if sys.version_info >= (3, 11):  # imported only when there is a file to read
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table: Any = data
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("pyward", {})
    elif isinstance(data.get("tool"), dict) and "pyward" in data["tool"]:
        table = data["tool"]["pyward"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.pyward] must be a table")
    return settings_from_mapping(table, str(path))


def settings_from_mapping(table: Mapping[str, Any], source: str) -> Settings:
    values: dict[str, Any] = {"config_file": source}
    for key, raw in table.items():
        kind = _KEYS.get(key)
        where = f"{source}: [tool.pyward] {key}"
        if kind is None:
            raise ConfigError(
                f"{source}: unknown key {key!r} in [tool.pyward] (known: {', '.join(sorted(_KEYS))})"
            )
        attr = key.replace("-", "_")
        if kind == "list":
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise ConfigError(f"{where}: expected a list of strings")
            values[attr] = tuple(raw)
        elif kind == "bool":
            if not isinstance(raw, bool):
                raise ConfigError(f"{where}: expected true or false")
            values[attr] = raw
        elif kind == "int":
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
                raise ConfigError(f"{where}: expected a non-negative integer")
            values[attr] = raw
        elif kind == "str":
            if not isinstance(raw, str):
                raise ConfigError(f"{where}: expected a string")
            values[attr] = raw
        elif kind == "severity":
            try:
                values[attr] = Severity.parse(str(raw))
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        elif kind == "confidence":
            try:
                values[attr] = Confidence.parse(str(raw))
            except ValueError as exc:
                raise ConfigError(f"{where}: {exc}") from None
        elif kind == "table":
            if not isinstance(raw, dict):
                raise ConfigError(f"{where}: expected a table of glob = [codes]")
            pairs: list[tuple[str, tuple[str, ...]]] = []
            for glob, codes in raw.items():
                if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                    raise ConfigError(f"{where}.{glob!r}: expected a list of codes")
                pairs.append((glob, tuple(codes)))
            values[attr] = tuple(pairs)
        elif kind == "deps-table":
            if not isinstance(raw, dict):
                raise ConfigError(f"{where}: expected a table")
            for sub, subval in raw.items():
                if sub != "ignore":
                    raise ConfigError(f"{source}: unknown key {sub!r} in [tool.pyward.deps]")
                if not isinstance(subval, list):
                    raise ConfigError(f"{source}: [tool.pyward.deps] ignore: expected a list of tables")
                entries: list[DepsIgnore] = []
                for item in subval:
                    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                        raise ConfigError(f"{source}: [tool.pyward.deps] ignore: each entry needs an id")
                    unknown = set(item) - {"id", "reason", "until"}
                    if unknown:
                        raise ConfigError(
                            f"{source}: [tool.pyward.deps] ignore: unknown key {sorted(unknown)[0]!r}"
                        )
                    until = item.get("until")
                    if until is not None:
                        until = str(until)
                    entries.append(DepsIgnore(item["id"], str(item.get("reason", "")), until))
                values["deps_ignore"] = tuple(entries)
    return Settings(**values)
