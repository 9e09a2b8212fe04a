"""Lock files with exact versions: ``poetry.lock``, ``Pipfile.lock``, ``pdm.lock``, ``uv.lock`` and
``pylock.toml`` (PEP 751).

Every entry becomes a ``locked`` dependency with its exact version, pointing at the line of its
``name = ...`` key (``"name": {`` in ``Pipfile.lock``). Packages locked from a VCS, a local path or a
direct URL carry ``url`` and no version (what they contain is not a release). ``Pipfile.lock`` and
``pylock.toml`` record environment markers per package; entries whose marker is false on the target
environment are skipped. ``poetry.lock``, ``pdm.lock`` and ``uv.lock`` are cross-platform
resolutions without such per-package markers for the target, so every entry is reported.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pyward.deps.manifests.common import Collector, vcs_url
from pyward.deps.manifests.pyproject import load_toml
from pyward.deps.manifests.target import marker_applies
from pyward.deps.manifests.tomllines import TomlLocator
from pyward.deps.types import Dependency


def _lock_dep(
    c: Collector,
    name: str,
    version: str | None,
    line: int,
    *,
    url: str | None = None,
    group: str = "",
    marker: str | None = None,
    hashes: tuple[str, ...] = (),
    editable: bool = False,
) -> None:
    c.deps.append(
        Dependency(
            name=name,
            specifier=f"=={version}" if version and url is None else "",
            version=version if url is None else None,
            file=c.file,
            line=line,
            marker=marker,
            url=url,
            editable=editable,
            hashes=hashes,
            source=c.source,
            group=group,
            locked=True,
        )
    )


def _packages(
    c: Collector, data: dict[str, Any], key: str, loc: TomlLocator
) -> list[tuple[int, dict[str, Any], int]]:
    """(index, table, line of its name key) for each ``[[key]]`` entry that has a name."""
    items = data.get(key, [])
    if not isinstance(items, list):
        c.problem(1, f"{key} must be an array of tables")
        return []
    out: list[tuple[int, dict[str, Any], int]] = []
    for index, item in enumerate(items):
        line = loc.best_key_line((key,), "name", index)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            c.problem(line, f"{key} entry {index + 1} has no name")
            continue
        out.append((index, item, line))
    return out


def _version(c: Collector, item: dict[str, Any], line: int, *, required: bool = True) -> str | None:
    version = item.get("version")
    if isinstance(version, str) and version:
        return version
    if required:
        c.problem(line, f"package {item.get('name')!r} has no version")
    return None


def _hashes(files: Any) -> tuple[str, ...]:
    out: list[str] = []
    if isinstance(files, list):
        for f in files:
            if isinstance(f, dict) and isinstance(f.get("hash"), str):
                out.append(f["hash"])
            elif isinstance(f, dict) and isinstance(f.get("hashes"), dict):
                out.extend(f"{k}:{v}" for k, v in f["hashes"].items() if isinstance(v, str))
    return tuple(out)


# ----------------------------------------------------------------------------------------------


def parse_poetry_lock(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    for _index, item, line in _packages(c, data, "package", loc):
        source = item.get("source")
        url = None
        if isinstance(source, dict) and source.get("type") in ("git", "directory", "file", "url"):
            kind, where = source.get("type"), str(source.get("url", ""))
            ref = source.get("resolved_reference") or source.get("reference")
            url = vcs_url(where, ref=ref) if kind == "git" else where
        version = _version(c, item, line, required=url is None)
        if version is None and url is None:
            continue
        groups = item.get("groups")
        group = (
            ",".join(g for g in groups if isinstance(g, str))
            if isinstance(groups, list)
            else str(item.get("category", ""))
        )
        _lock_dep(
            c,
            item["name"],
            version,
            line,
            url=url,
            group=group,
            hashes=_hashes(item.get("files")),
            editable=bool(item.get("develop")),
        )


def parse_pdm_lock(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    for _index, item, line in _packages(c, data, "package", loc):
        url = None
        for key in ("git", "path", "url"):
            value = item.get(key)
            if isinstance(value, str):
                url = vcs_url(value, ref=item.get("revision")) if key == "git" else value
                break
        version = _version(c, item, line, required=url is None)
        if version is None and url is None:
            continue
        groups = item.get("groups")
        _lock_dep(
            c,
            item["name"],
            version,
            line,
            url=url,
            group=",".join(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else "",
            marker=item.get("marker") if isinstance(item.get("marker"), str) else None,
            hashes=_hashes(item.get("files")),
            editable=bool(item.get("editable")),
        )


def parse_uv_lock(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    for _index, item, line in _packages(c, data, "package", loc):
        source = item.get("source")
        url = None
        editable = False
        if isinstance(source, dict):
            if isinstance(source.get("virtual"), str) or (source.get("editable") == "."):
                continue  # the project itself (or a virtual workspace root), not a dependency
            for key in ("git", "path", "directory", "editable", "url"):
                value = source.get(key)
                if isinstance(value, str):
                    url = vcs_url(value) if key == "git" else value
                    editable = key == "editable"
                    break
        version = _version(c, item, line, required=url is None)
        if version is None and url is None:
            continue
        hashes: list[str] = []
        sdist = item.get("sdist")
        if isinstance(sdist, dict) and isinstance(sdist.get("hash"), str):
            hashes.append(sdist["hash"])
        hashes.extend(_hashes(item.get("wheels")))
        _lock_dep(c, item["name"], version, line, url=url, hashes=tuple(hashes), editable=editable)


def parse_pylock(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    if not isinstance(data.get("lock-version"), str):
        c.problem(1, "pylock.toml has no lock-version (PEP 751 requires it)")
    for _index, item, line in _packages(c, data, "packages", loc):
        marker = item.get("marker") if isinstance(item.get("marker"), str) else None
        if marker:
            try:
                if not marker_applies(marker, c.target):
                    continue
            except ValueError as exc:
                c.problem(line, str(exc))
                continue
        url = None
        for key in ("vcs", "directory", "archive"):
            value = item.get(key)
            if isinstance(value, dict):
                where = value.get("url") or value.get("path")
                url = str(where) if where else key
                if key == "vcs":
                    url = vcs_url(url, scheme=str(value.get("type", "git")))
                    if isinstance(value.get("commit-id"), str):
                        url += f"@{value['commit-id']}"
                break
        version = _version(c, item, line, required=url is None)
        if version is None and url is None:
            continue
        hashes: list[str] = []
        sdist = item.get("sdist")
        if isinstance(sdist, dict) and isinstance(sdist.get("hashes"), dict):
            hashes.extend(f"{k}:{v}" for k, v in sdist["hashes"].items() if isinstance(v, str))
        hashes.extend(_hashes(item.get("wheels")))
        _lock_dep(
            c,
            item["name"],
            version,
            line,
            url=url,
            marker=marker,
            hashes=tuple(hashes),
            editable=bool(isinstance(item.get("directory"), dict) and item["directory"].get("editable")),
        )


# ----------------------------------------------------------------------------------------------


def parse_pipfile_lock(c: Collector, text: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        c.problem(exc.lineno, f"invalid JSON: {exc.msg}")
        return
    if not isinstance(data, dict):
        c.problem(1, "Pipfile.lock must be a JSON object")
        return
    lines = text.splitlines()
    for section, table in data.items():
        if section == "_meta":
            continue
        if not isinstance(table, dict):
            continue
        start = _json_key_line(lines, section, 0, depth_hint=1)
        for name, entry in table.items():
            line = _json_key_line(lines, name, start) or start or 1
            if start:
                start = line
            if not isinstance(entry, dict):
                c.problem(line, f"{section}.{name}: expected an object")
                continue
            marker = entry.get("markers") if isinstance(entry.get("markers"), str) else None
            if marker:
                try:
                    if not marker_applies(marker, c.target):
                        continue
                except ValueError as exc:
                    c.problem(line, str(exc))
                    continue
            url = None
            for key in ("git", "hg", "svn", "bzr", "path", "file"):
                value = entry.get(key)
                if isinstance(value, str):
                    url = (
                        f"{key}+{value}"
                        if key in ("git", "hg", "svn", "bzr") and not value.startswith(key)
                        else value
                    )
                    if isinstance(entry.get("ref"), str):
                        url += f"@{entry['ref']}"
                    break
            raw = entry.get("version")
            version = None
            if isinstance(raw, str):
                m = re.match(r"^\s*===?\s*(\S+)\s*$", raw)
                if m:
                    version = m.group(1)
            if version is None and url is None:
                c.problem(line, f"{section}.{name}: no exact version ({raw!r})")
                continue
            hashes = entry.get("hashes")
            _lock_dep(
                c,
                name,
                version,
                line,
                url=url,
                group=section,
                marker=marker,
                hashes=tuple(h for h in hashes if isinstance(h, str)) if isinstance(hashes, list) else (),
                editable=bool(entry.get("editable")),
            )


def _json_key_line(lines: list[str], key: str, start: int, depth_hint: int = 0) -> int:
    needle = json.dumps(key) + ":"
    needle_spaced = json.dumps(key) + " :"
    for number in range(max(start, 1), len(lines) + 1):
        text = lines[number - 1]
        if needle in text or needle_spaced in text:
            return number
    return 0
