"""``pyward deps --fix``: raise vulnerable pins to the smallest safe version.

Policy (kept deliberately narrow so the rewrite is never a surprise):

* Only **exact pins** are rewritten: ``name==X`` / ``name===X`` in requirements files, PEP 508
  strings in ``pyproject.toml`` (``[project] dependencies``, ``optional-dependencies``,
  ``[dependency-groups]``, ``[build-system] requires``, ``[tool.pdm.dev-dependencies]``,
  ``[tool.uv] dev-dependencies``) and Poetry's exact versions (``"X"``,
  ``"==X"``, ``{ version = "X" }``). A pin already at or above the target is left alone (never a
  downgrade). Everything else on the line - extras, markers, comments, quoting - is kept.
* **Ranges are not touched.** A range that still admits the fixed version needs no edit to get
  it; a range whose bounds exclude it (``<2.20``) is reported in a message naming the file and
  line, to be widened by hand.
* **Hashes**: ``--hash`` options of a rewritten requirement were computed for the old version and
  would make pip refuse the new one, so they are removed, and a message says to regenerate them
  (``pip-compile --generate-hashes`` or ``pip hash``).
* **Lock files are never edited**; the message names the command that re-locks
  (``poetry lock``, ``uv lock``, ``pdm lock``, ``pipenv lock``...). ``Pipfile``, ``setup.cfg``,
  ``setup.py`` and ``environment.yml`` are reported for a hand edit.
* Writes are atomic (temporary file in the same directory, then ``os.replace``); with
  ``dry_run`` nothing is written and the unified diff says what would change.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from pyward.deps.manifests import manifest_kind
from pyward.deps.manifests.requirements import COMMENT_RE, _is_location

LOCK_COMMANDS = {
    "poetry.lock": "poetry lock",
    "uv.lock": "uv lock",
    "pdm.lock": "pdm lock",
    "pipfile.lock": "pipenv lock",
    "pylock": "the tool that wrote it (e.g. `uv export -o pylock.toml` or `pip lock`)",
}


@dataclass
class FixResult:
    #: Files rewritten (with ``dry_run``: files that would be rewritten).
    changed: list[Path] = field(default_factory=list)
    #: Unified diff of every change (``a/``/``b/`` paths relative to the working directory).
    diff: str = ""
    #: Human messages: lock files to re-lock, hashes removed, ranges to widen, files skipped.
    messages: list[str] = field(default_factory=list)


@dataclass
class _Edit:
    name: str
    old: str
    new: str


def _newer(target: str, current: str) -> bool:
    try:
        return Version(target) > Version(current)
    except InvalidVersion:
        return False


def _single_pin(spec: SpecifierSet) -> tuple[str, str] | None:
    items = list(spec)
    if len(items) == 1 and items[0].operator in ("==", "===") and not items[0].version.endswith(".*"):
        return items[0].operator, items[0].version
    return None


def _excludes(spec: SpecifierSet, version: str) -> bool:
    try:
        return not spec.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return False


def _replace_pin(text: str, old: str, new: str) -> str | None:
    """``text`` with the pinned version ``old`` (after ``==``/``===``) replaced by ``new``."""
    rx = re.compile(r"(===?\s*)" + re.escape(old) + r"(?![\w.+!*-])")
    result, count = rx.subn(lambda m: m.group(1) + new, text, count=1)
    return result if count else None


def _shown(path: Path) -> str:
    """The path for the diff header: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(rel).as_posix() if not rel.startswith("..") else path.absolute().as_posix()


def _atomic_write(path: Path, text: str) -> None:
    mode: int | None = None
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pyward-fix", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ----------------------------------------------------------------------------------------------
# requirements files


def _fix_requirements(path: Path, text: str, targets: dict[str, str], messages: list[str]) -> str:
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    index = 0
    while index < len(lines):
        start = index
        # gather one logical line (continuations end with a backslash, comments never continue)
        while (
            lines[index].rstrip("\r\n").endswith("\\")
            and not COMMENT_RE.match(lines[index].rstrip("\r\n"))
            and index + 1 < len(lines)
        ):
            index += 1
        physical = lines[start : index + 1]
        index += 1
        out.extend(_fix_logical(path, start + 1, physical, targets, messages))
    return "".join(out)


def _fix_logical(
    path: Path, line_no: int, physical: list[str], targets: dict[str, str], messages: list[str]
) -> list[str]:
    joined = "".join(
        p.rstrip("\r\n")[:-1] if p.rstrip("\r\n").endswith("\\") else p.rstrip("\r\n") for p in physical
    )
    body = COMMENT_RE.sub("", joined).strip()
    if not body or body.startswith("-") or _is_location(body):
        return physical
    m = re.search(r"(?:^|\s)(--hash|--config-settings|--global-option|--install-option|-C)(?=[\s=]|$)", body)
    req_text = body[: m.start()].strip() if m else body
    try:
        req = Requirement(req_text)
    except (InvalidRequirement, ValueError):  # packaging may raise InvalidSpecifier
        return physical
    name = canonicalize_name(req.name)
    target = targets.get(name)
    if target is None or req.url:
        return physical
    pin = _single_pin(req.specifier)
    if pin is None:
        if _excludes(req.specifier, target):
            messages.append(
                f"{path}:{line_no}: {req_text} excludes the fixed version {target} of {req.name}; widen it by hand"
            )
        return physical
    if not _newer(target, pin[1]):
        return physical
    has_hash = bool(m) and "--hash" in body[m.start() :] if m else False
    ending = re.search(r"\r?\n$", physical[-1])
    newline = ending.group(0) if ending else ""
    if not has_hash:
        # change the version where it is written, keeping every other character
        for i, line in enumerate(physical):
            replaced = _replace_pin(line, pin[1], target)
            if replaced is not None:
                return [*physical[:i], replaced, *physical[i + 1 :]]
        return physical
    new_req = _replace_pin(req_text, pin[1], target)
    if new_req is None:
        return physical
    comment = COMMENT_RE.search(joined)
    options = body[m.start() :] if m else ""
    kept = " ".join(
        tok for tok in re.split(r"\s+(?=--)", options.strip()) if tok and not tok.startswith("--hash")
    )
    line = new_req + (f" {kept}" if kept else "") + (f"  {comment.group(0).strip()}" if comment else "")
    messages.append(
        f"{path}:{line_no}: removed the --hash values of {req.name} (they were for {pin[1]}); regenerate "
        "them, e.g. with `pip-compile --generate-hashes` or `pip hash`, before installing with --require-hashes"
    )
    return [line + newline]


# ----------------------------------------------------------------------------------------------
# pyproject.toml


def _fix_pyproject(path: Path, text: str, targets: dict[str, str], messages: list[str]) -> str:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        messages.append(f"{path}: not rewritten: invalid TOML ({exc})")
        return text
    changed = False

    def fix_array(arr: Any, where: str) -> None:
        nonlocal changed
        if not isinstance(arr, list):
            return
        for i, item in enumerate(arr):
            if not isinstance(item, str):
                continue
            new = _fix_pep508_string(str(item), targets, messages, f"{path} {where}")
            if new is not None:
                arr[i] = _same_style_string(item, new)
                changed = True

    project = doc.get("project")
    if isinstance(project, dict):
        fix_array(project.get("dependencies"), "[project] dependencies")
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, arr in optional.items():
                fix_array(arr, f"[project.optional-dependencies] {extra}")
    groups = doc.get("dependency-groups")
    if isinstance(groups, dict):
        for group, arr in groups.items():
            fix_array(arr, f"[dependency-groups] {group}")
    build = doc.get("build-system")
    if isinstance(build, dict):
        fix_array(build.get("requires"), "[build-system] requires")
    tool = doc.get("tool")
    if isinstance(tool, dict):
        pdm = tool.get("pdm")
        pdm_dev = pdm.get("dev-dependencies") if isinstance(pdm, dict) else None
        if isinstance(pdm_dev, dict):
            for group, arr in pdm_dev.items():
                fix_array(arr, f"[tool.pdm.dev-dependencies] {group}")
        uv = tool.get("uv")
        if isinstance(uv, dict):
            fix_array(uv.get("dev-dependencies"), "[tool.uv] dev-dependencies")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables: list[tuple[str, Any]] = [
            ("[tool.poetry.dependencies]", poetry.get("dependencies")),
            ("[tool.poetry.dev-dependencies]", poetry.get("dev-dependencies")),
        ]
        pgroups = poetry.get("group")
        if isinstance(pgroups, dict):
            for gname, body in pgroups.items():
                if isinstance(body, dict):
                    tables.append((f"[tool.poetry.group.{gname}.dependencies]", body.get("dependencies")))
        for where, table in tables:
            if not isinstance(table, dict):
                continue
            for key in list(table.keys()):
                target = targets.get(canonicalize_name(str(key)))
                if target is None or str(key).lower() == "python":
                    continue
                value = table[key]
                holder, field_name = (table, key) if isinstance(value, str) else (value, "version")
                if not isinstance(holder, dict) or not isinstance(holder.get(field_name), str):
                    continue
                current = str(holder[field_name]).strip()
                m = re.fullmatch(r"(===?)?\s*(\d[^\s,<>=!~^*|]*)", current)
                if m is None:
                    messages.append(
                        f"{path} {where} {key} = {current!r} is a range; poetry re-resolves it with "
                        f"`poetry update {key}` (widen it by hand if it excludes {target})"
                    )
                    continue
                if not _newer(target, m.group(2)):
                    continue
                holder[field_name] = _same_style_string(holder[field_name], (m.group(1) or "") + target)
                changed = True
    return tomlkit.dumps(doc) if changed else text


def _same_style_string(original: Any, value: str) -> Any:
    from tomlkit.items import String

    if isinstance(original, String):
        return String.from_raw(value, original.type)
    return value


def _fix_pep508_string(text: str, targets: dict[str, str], messages: list[str], where: str) -> str | None:
    try:
        req = Requirement(text)
    except (InvalidRequirement, ValueError):  # packaging may raise InvalidSpecifier
        return None
    target = targets.get(canonicalize_name(req.name))
    if target is None or req.url:
        return None
    pin = _single_pin(req.specifier)
    if pin is None:
        if _excludes(req.specifier, target):
            messages.append(f"{where}: {text!r} excludes the fixed version {target}; widen it by hand")
        return None
    if not _newer(target, pin[1]):
        return None
    return _replace_pin(text, pin[1], target)


# ----------------------------------------------------------------------------------------------


def _declared(path: Path, wanted: dict[str, str]) -> list[tuple[str, int, str]]:
    """(name, line, target) of the dependencies in ``path`` that have a fix target."""
    from pyward.deps.manifests import parse_manifest

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    found: list[tuple[str, int, str]] = []
    for dep in parse_manifest(path.as_posix(), path, text).dependencies:
        target = wanted.get(dep.normalized)
        if target is not None and dep.file == path.as_posix():
            found.append((dep.name, dep.line, target))
    return found


def _not_edited_message(path: Path, kind: str | None, wanted: dict[str, str]) -> str:
    declared = _declared(path, wanted) if kind is not None else []
    listed = ", ".join(f"{name} {target} (line {line})" for name, line, target in declared) or ", ".join(
        f"{name} {target}" for name, target in sorted(wanted.items())
    )
    if kind in LOCK_COMMANDS:
        command = LOCK_COMMANDS[kind]
        how = command if command.startswith("the tool") else f"`{command}`"
        return (
            f"{path}: lock files are not edited; re-lock with {how} (after raising the requirement where it "
            f"is declared, if it excludes the fix) to get {listed}"
        )
    return f"{path}: not rewritten automatically ({kind or 'unknown kind'}); change it by hand to {listed}"


def apply_fixes(files: list[Path], targets: dict[str, str], *, dry_run: bool) -> FixResult:
    """Raise the pins of ``targets`` (normalised name -> version) in ``files``; see the module doc."""
    wanted: dict[str, str] = {str(canonicalize_name(k)): v for k, v in targets.items()}
    result = FixResult()
    diffs: list[str] = []
    for path in sorted(dict.fromkeys(Path(f) for f in files)):
        kind = manifest_kind(path.name)
        if kind in LOCK_COMMANDS or kind not in ("requirements", "pyproject"):
            result.messages.append(_not_edited_message(path, kind, wanted))
            continue
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.messages.append(f"{path}: not rewritten: cannot read it ({exc})")
            continue
        if kind == "requirements":
            new = _fix_requirements(path, text, wanted, result.messages)
        else:
            new = _fix_pyproject(path, text, wanted, result.messages)
        if new == text:
            continue
        shown = _shown(path)
        for diff_line in difflib.unified_diff(
            text.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=shown if shown.startswith("/") else f"a/{shown}",
            tofile=shown if shown.startswith("/") else f"b/{shown}",
        ):
            diffs.append(
                diff_line if diff_line.endswith("\n") else diff_line + "\n\\ No newline at end of file\n"
            )
        result.changed.append(path)
        if not dry_run:
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            _atomic_write(path, bom + new)
    result.diff = "".join(diffs)
    return result
