"""``pyproject.toml`` (PEP 621, PEP 735, build-system, Poetry, and the older ``[tool.pdm]`` /
``[tool.uv]`` ``dev-dependencies``) and ``Pipfile``.

Poetry's constraint syntax is converted to PEP 440: ``^1.2.3`` is ``>=1.2.3,<2.0.0`` (the first
non-zero component may not change), ``~1.2.3`` is ``>=1.2.3,<1.3.0``, a bare ``1.2.3`` is
``==1.2.3``, ``1.2.*`` is ``==1.2.*``, ``*`` is no constraint, space- or comma-separated
constraints are all required; ``||`` (either) cannot be written in PEP 440 and is kept as written
(the audit then says it cannot check that specifier).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from pyward.deps.manifests.common import Collector, exact_version, vcs_url
from pyward.deps.manifests.target import marker_applies
from pyward.deps.manifests.tomllines import TomlLocator
from pyward.deps.types import Dependency

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def load_toml(c: Collector, text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = (
            int(m.group(1)) if m else (max(len(text.splitlines()), 1) if "end of document" in str(exc) else 1)
        )
        c.problem(line, f"invalid TOML: {exc}")
        return None


# ----------------------------------------------------------------------------------------------
# Poetry constraints


def _bump(parts: list[int], index: int) -> str:
    bumped = [*parts[:index], parts[index] + 1]
    bumped += [0] * (len(parts) - len(bumped))
    return ".".join(str(p) for p in bumped)


def _release(text: str) -> list[int] | None:
    m = re.match(r"^(\d+(?:\.\d+)*)", text)
    if not m:
        return None
    return [int(p) for p in m.group(1).split(".")]


def poetry_constraint(text: str) -> str:
    """A Poetry version constraint as a PEP 440 specifier string (raises ValueError if unreadable)."""
    text = text.strip()
    if text in ("", "*"):
        return ""
    if "||" in text or re.search(r"(?<![|])\|(?![|])", text):
        raise ValueError(f"'or' constraint {text!r} has no PEP 440 equivalent")
    text = re.sub(r"([<>=!~^]+)\s+", r"\1", text)
    pieces = [p for p in re.split(r"\s*,\s*|\s+", text) if p]
    out: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        if piece.startswith("^"):
            version = piece[1:].strip()
            parts = _release(version)
            if parts is None:
                raise ValueError(f"bad caret constraint {piece!r}")
            index = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
            out.append(f">={version},<{_bump(parts, index)}")
        elif piece.startswith("~") and not piece.startswith("~="):
            version = piece[1:].strip()
            parts = _release(version)
            if parts is None:
                raise ValueError(f"bad tilde constraint {piece!r}")
            index = 0 if len(parts) == 1 else 1
            out.append(f">={version},<{_bump(parts, index)}")
        elif re.match(r"^\d", piece):
            out.append(f"=={piece}")
        elif piece.startswith("=") and not piece.startswith("=="):
            out.append(f"=={piece[1:].strip()}")
        else:
            out.append(re.sub(r"^([<>=!~]+)\s+", r"\1", piece))
    spec = ",".join(out)
    try:
        SpecifierSet(spec)
    except InvalidSpecifier as exc:
        raise ValueError(f"constraint {text!r}: {exc}") from None
    return spec


# ----------------------------------------------------------------------------------------------
# pyproject.toml


def parse_pyproject(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    project = data.get("project")
    if isinstance(project, dict):
        _pep508_array(c, loc, ("project",), "dependencies", project.get("dependencies"), group="main")
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, items in optional.items():
                _pep508_array(
                    c, loc, ("project", "optional-dependencies"), extra, items, group=extra, extra=extra
                )
        elif optional is not None:
            c.problem(
                loc.best_key_line(("project",), "optional-dependencies"),
                "[project.optional-dependencies] must be a table",
            )
    elif project is not None:
        c.problem(loc.table_line(("project",)), "[project] must be a table")
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        _dependency_groups(c, loc, groups)
    elif groups is not None:
        c.problem(loc.table_line(("dependency-groups",)), "[dependency-groups] must be a table")
    build = data.get("build-system")
    if isinstance(build, dict):
        _pep508_array(c, loc, ("build-system",), "requires", build.get("requires"), group="build-system")
    tool = data.get("tool")
    if isinstance(tool, dict):
        poetry = tool.get("poetry")
        if isinstance(poetry, dict):
            _poetry(c, loc, poetry)
        # tool-specific development dependencies that predate PEP 735
        pdm = tool.get("pdm")
        pdm_dev = pdm.get("dev-dependencies") if isinstance(pdm, dict) else None
        if isinstance(pdm_dev, dict):
            for group, items in pdm_dev.items():
                _pep508_array(c, loc, ("tool", "pdm", "dev-dependencies"), group, items, group=group)
        uv = tool.get("uv")
        if isinstance(uv, dict):
            _pep508_array(c, loc, ("tool", "uv"), "dev-dependencies", uv.get("dev-dependencies"), group="dev")


def _pep508_array(
    c: Collector,
    loc: TomlLocator,
    path: tuple[str, ...],
    key: str,
    items: Any,
    *,
    group: str,
    extra: str = "",
) -> None:
    if items is None:
        return
    if not isinstance(items, list):
        c.problem(loc.best_key_line(path, key), f"{'.'.join((*path, key))} must be an array of strings")
        return
    strings = [i for i in items if isinstance(i, str)]
    lines = loc.array_item_lines(path, key, strings)
    for item, line in zip(strings, lines, strict=True):
        c.add_pep508(item, line, group=group, extra=extra)
    if len(strings) != len(items):
        c.problem(loc.best_key_line(path, key), f"{'.'.join((*path, key))}: non-string entries ignored")


def _dependency_groups(c: Collector, loc: TomlLocator, groups: dict[str, Any]) -> None:
    from packaging.utils import canonicalize_name

    names: dict[str, str] = {str(canonicalize_name(g)): g for g in groups}
    for group, items in groups.items():
        if not isinstance(items, list):
            c.problem(
                loc.best_key_line(("dependency-groups",), group),
                f"dependency group {group!r} must be an array",
            )
            continue
        strings = [i for i in items if isinstance(i, str)]
        lines = loc.array_item_lines(("dependency-groups",), group, strings)
        for item, line in zip(strings, lines, strict=True):
            c.add_pep508(item, line, group=group)
        for item in items:
            if isinstance(item, dict):
                inc = item.get("include-group")
                if not isinstance(inc, str) or set(item) != {"include-group"}:
                    c.problem(
                        loc.best_key_line(("dependency-groups",), group),
                        f"dependency group {group!r}: bad entry {item!r}",
                    )
                elif canonicalize_name(inc) not in names:
                    c.problem(
                        loc.best_key_line(("dependency-groups",), group),
                        f"dependency group {group!r} includes unknown group {inc!r}",
                    )
            elif not isinstance(item, str):
                c.problem(
                    loc.best_key_line(("dependency-groups",), group),
                    f"dependency group {group!r}: bad entry {item!r}",
                )
    # include cycles (PEP 735 says tools must reject them)
    edges: dict[str, list[str]] = {}
    for group, items in groups.items():
        if isinstance(items, list):
            edges[canonicalize_name(group)] = [
                canonicalize_name(i["include-group"])
                for i in items
                if isinstance(i, dict) and isinstance(i.get("include-group"), str)
            ]
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        for nxt in edges.get(node, []):
            if nxt in stack:
                members = frozenset(stack[stack.index(nxt) :])
                if members not in reported:
                    reported.add(members)
                    cycle = " -> ".join([*stack[stack.index(nxt) :], nxt])
                    c.problem(
                        loc.best_key_line(("dependency-groups",), names.get(nxt, nxt)),
                        f"dependency groups include each other in a loop: {cycle}",
                    )
                continue
            visit(nxt, [*stack, nxt])

    for node in edges:
        visit(node, [node])


def _poetry(c: Collector, loc: TomlLocator, poetry: dict[str, Any]) -> None:
    tables: list[tuple[tuple[str, ...], str, Any]] = [
        (("tool", "poetry", "dependencies"), "main", poetry.get("dependencies")),
        (("tool", "poetry", "dev-dependencies"), "dev", poetry.get("dev-dependencies")),
    ]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        for name, body in groups.items():
            if isinstance(body, dict):
                tables.append(
                    (("tool", "poetry", "group", name, "dependencies"), name, body.get("dependencies"))
                )
    for path, group, table in tables:
        if table is None:
            continue
        if not isinstance(table, dict):
            c.problem(loc.table_line(path), f"[{'.'.join(path)}] must be a table")
            continue
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            line = loc.best_key_line(path, name)
            specs = spec if isinstance(spec, list) else [spec]
            for one in specs:
                _poetry_dep(c, name, one, line, group)


def poetry_python_applies(c: Collector, constraint: Any, line: int) -> bool:
    if not isinstance(constraint, str):
        return True
    try:
        spec = SpecifierSet(poetry_constraint(constraint))
    except ValueError as exc:
        c.problem(line, f"python constraint: {exc}")
        return True
    return spec.contains(c.target.python_full_version, prereleases=True)


def _poetry_dep(c: Collector, name: str, spec: Any, line: int, group: str) -> None:
    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        c.problem(line, f"dependency {name!r}: expected a version string or a table")
        return
    markers = spec.get("markers")
    if isinstance(markers, str):
        try:
            if not marker_applies(markers, c.target):
                return
        except ValueError as exc:
            c.problem(line, str(exc))
            return
    if not poetry_python_applies(c, spec.get("python"), line):
        return
    extras = spec.get("extras")
    extras_t = tuple(sorted(e for e in extras if isinstance(e, str))) if isinstance(extras, list) else ()
    url: str | None = None
    for key in ("git", "path", "url"):
        value = spec.get(key)
        if isinstance(value, str):
            ref = next((spec.get(k) for k in ("rev", "tag", "branch") if isinstance(spec.get(k), str)), None)
            url = vcs_url(value, ref=ref) if key == "git" else value
            break
    specifier = ""
    version = spec.get("version")
    if isinstance(version, str) and url is None:
        try:
            specifier = poetry_constraint(version)
        except ValueError as exc:
            if "has no PEP 440 equivalent" not in str(exc):
                c.problem(line, f"dependency {name!r}: {exc}")
                return
            specifier = version.strip()
    elif url is None and version is not None:
        c.problem(line, f"dependency {name!r}: version must be a string")
        return
    c.deps.append(
        Dependency(
            name=name,
            specifier=specifier,
            version=exact_version(specifier) if url is None else None,
            file=c.file,
            line=line,
            extras=extras_t,
            marker=markers if isinstance(markers, str) else None,
            url=url,
            editable=bool(spec.get("develop")),
            source=c.source,
            group=("optional" if spec.get("optional") is True and group == "main" else group),
        )
    )


# ----------------------------------------------------------------------------------------------
# Pipfile

_PIPFILE_NOT_PACKAGES = {"source", "requires", "pipenv", "scripts"}
_PIPFILE_MARKER_KEYS = (
    "os_name",
    "sys_platform",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_version",
    "python_full_version",
    "implementation_name",
    "implementation_version",
)


def parse_pipfile(c: Collector, text: str) -> None:
    data = load_toml(c, text)
    if data is None:
        return
    loc = TomlLocator(text)
    for section, table in data.items():
        if section in _PIPFILE_NOT_PACKAGES or not isinstance(table, dict):
            continue
        group = {"packages": "default", "dev-packages": "develop"}.get(section, section)
        for name, spec in table.items():
            line = loc.best_key_line((section,), name)
            _pipfile_dep(c, name, spec, line, group)


def _pipfile_dep(c: Collector, name: str, spec: Any, line: int, group: str) -> None:
    if isinstance(spec, str):
        spec = {"version": spec}
    if not isinstance(spec, dict):
        c.problem(line, f"package {name!r}: expected a version string or a table")
        return
    marker_parts: list[str] = []
    if isinstance(spec.get("markers"), str):
        marker_parts.append(f"({spec['markers']})")
    for key in _PIPFILE_MARKER_KEYS:
        value = spec.get(key)
        if isinstance(value, str):
            m = re.match(r"^\s*(==|!=|<=|>=|<|>|~=)?\s*(.+?)\s*$", value)
            if m:
                marker_parts.append(f"{key} {m.group(1) or '=='} {m.group(2).strip(chr(34) + chr(39))!r}")
    marker = " and ".join(marker_parts) or None
    if marker:
        try:
            if not marker_applies(marker, c.target):
                return
        except ValueError as exc:
            c.problem(line, str(exc))
            return
    url: str | None = None
    for key in ("git", "hg", "svn", "bzr", "path", "file"):
        value = spec.get(key)
        if isinstance(value, str):
            url = value
            if key in ("git", "hg", "svn", "bzr") and not value.startswith(f"{key}+"):
                url = f"{key}+{value}"
            if isinstance(spec.get("ref"), str):
                url += f"@{spec['ref']}"
            break
    version = spec.get("version", "*") if url is None else None
    specifier = ""
    if isinstance(version, str) and version.strip() not in ("", "*"):
        specifier = version.strip()
        if re.match(r"^\d", specifier):
            specifier = "==" + specifier
        try:
            specifier = str(SpecifierSet(specifier))
        except InvalidSpecifier as exc:
            c.problem(line, f"package {name!r}: invalid version {version!r}: {exc}")
            return
    extras = spec.get("extras")
    c.deps.append(
        Dependency(
            name=name,
            specifier=specifier,
            version=exact_version(specifier) if specifier else None,
            file=c.file,
            line=line,
            extras=tuple(sorted(e for e in extras if isinstance(e, str))) if isinstance(extras, list) else (),
            marker=marker,
            url=url,
            editable=bool(spec.get("editable")),
            source=c.source,
            group=group,
        )
    )
