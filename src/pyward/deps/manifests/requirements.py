"""pip requirements files (``requirements*.txt``, ``*.in``) and the files they include.

What pip accepts is what is read here: line continuations (``\\`` at the end of a line), comments
(``#`` at the start or after whitespace), nested ``-r``/``--requirement`` and ``-c``/``--constraint``
files (relative to the including file; loops and missing files are problems, never crashes), ``-e`` /
``--editable``, per-requirement ``--hash`` options, PEP 508 requirements with extras and environment
markers (a requirement whose marker is false on the target environment is not installed there, so it
is not reported), ``name @ url`` and plain URLs, VCS URLs and local paths (these carry ``url`` and no
version). Global pip options (``--index-url``, ``--find-links``, ``--pre``...) are recognised and
ignored; an unknown option is a problem.
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
from pathlib import Path

from pyward.deps.manifests.common import Collector
from pyward.deps.types import Dependency

COMMENT_RE = re.compile(r"(^|\s+)#.*$")
#: Options pip reads on a requirement line, after the requirement.
_PER_REQ_RE = re.compile(r"(?:^|\s)(--hash|--config-settings|--global-option|--install-option|-C)(?=[\s=]|$)")
_GLOBAL_WITH_VALUE = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--use-feature",
    "--progress-bar",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
}
_GLOBAL_FLAGS = {"--no-index", "--pre", "--prefer-binary", "--require-hashes", "-Z", "--always-unzip"}
_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^(git|hg|svn|bzr)\+", re.I)
_ARCHIVE_SUFFIXES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar", ".zip")
MAX_DEPTH = 50


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line, logical line) after joining continuations, like pip does."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw
        if not line.endswith("\\") or COMMENT_RE.match(line):
            if COMMENT_RE.match(line):
                line = " " + line
            if pending:
                pending.append(line)
                out.append((first, "".join(pending)))
                pending = []
            else:
                out.append((number, line))
        else:
            if not pending:
                first = number
            pending.append(line[:-1])
    if pending:
        out.append((first, "".join(pending)))
    return out


def _name_from_location(location: str) -> str:
    """A best-effort project name for a URL or path requirement (``#egg=``, archive or dir name)."""
    egg = re.search(r"[#&]egg=([^&\s]+)", location)
    if egg:
        return re.sub(r"\[.*$", "", egg.group(1))
    base = location.split("#", 1)[0].split("?", 1)[0].rstrip("/\\")
    base = re.split(r"[/\\]", base)[-1]
    base = re.sub(r"@[^@]*$", "", base) if "://" in location or "+" in location.split(":", 1)[0] else base
    if base.endswith(".whl"):
        return base.split("-", 1)[0]
    for suffix in _ARCHIVE_SUFFIXES:
        if base.lower().endswith(suffix):
            stem = base[: -len(suffix)]
            m = re.match(r"^(.*?)-\d", stem)
            return m.group(1) if m else stem
    if base.endswith(".git"):
        base = base[:-4]
    base = re.sub(r"\[.*\]$", "", base)
    return base or location


def _is_location(text: str) -> bool:
    if _URL_RE.match(text):
        return True
    head = re.split(r"\s*;\s", text, maxsplit=1)[0].strip()
    head = re.sub(r"\[[^\]]*\]$", "", head)
    if head.startswith((".", "/", "~")) or "/" in head or "\\" in head:
        return " @ " not in text and "@" not in head.split("/")[0]
    return head.lower().endswith(_ARCHIVE_SUFFIXES)


class RequirementsParser:
    def __init__(self, collector: Collector) -> None:
        self.c = collector
        self.visited: set[str] = set()

    def parse(self, display: str, abspath: Path | None, text: str) -> None:
        key = os.path.realpath(abspath) if abspath is not None else display
        self.visited.add(key)
        self._parse(display, abspath, text, chain=[key], constraint=False)

    # ------------------------------------------------------------------------------------------
    def _parse(
        self, display: str, abspath: Path | None, text: str, *, chain: list[str], constraint: bool
    ) -> None:
        for line_no, raw in logical_lines(text):
            line = COMMENT_RE.sub("", raw).strip()
            if not line:
                continue
            if line.startswith("-"):
                self._option_line(display, abspath, line_no, line, chain=chain, constraint=constraint)
            else:
                self._requirement(display, line_no, line, constraint=constraint, base=abspath)

    def _option_line(
        self,
        display: str,
        abspath: Path | None,
        line_no: int,
        line: str,
        *,
        chain: list[str],
        constraint: bool,
    ) -> None:
        try:
            tokens = shlex.split(line, posix=True)
        except ValueError as exc:
            self.c.problem(line_no, f"cannot split option line {line!r}: {exc}", display)
            return
        opt, value = tokens[0], None
        if "=" in opt and opt.startswith("--"):
            opt, value = opt.split("=", 1)
        elif opt[:2] in ("-r", "-c", "-e", "-i", "-f") and len(opt) > 2:
            opt, value = opt[:2], opt[2:]
        rest = tokens[1:]
        if value is None and opt not in _GLOBAL_FLAGS and rest:
            value = rest[0]
        if opt in ("-r", "--requirement", "-c", "--constraint"):
            if not value:
                self.c.problem(line_no, f"{opt} needs a file name", display)
                return
            self._include(
                display,
                abspath,
                line_no,
                value,
                chain=chain,
                constraint=constraint or opt in ("-c", "--constraint"),
            )
        elif opt in ("-e", "--editable"):
            if not value:
                self.c.problem(line_no, f"{opt} needs a path or URL", display)
                return
            location = line.split(None, 1)[1].strip() if value and " " in line else value
            if opt.startswith("--") and "=" in tokens[0]:
                location = value
            self._location(display, line_no, location, editable=True, constraint=constraint, base=abspath)
        elif opt in _GLOBAL_WITH_VALUE:
            if value is None:
                self.c.problem(line_no, f"pip option {opt} needs a value", display)
        elif opt in _GLOBAL_FLAGS:
            return
        else:
            self.c.problem(line_no, f"unknown pip option {opt!r}", display)

    def _include(
        self,
        display: str,
        abspath: Path | None,
        line_no: int,
        name: str,
        *,
        chain: list[str],
        constraint: bool,
    ) -> None:
        if _URL_RE.match(name):
            self.c.problem(line_no, f"included file {name!r} is a URL and was not downloaded", display)
            return
        base_dir = abspath.parent if abspath is not None else Path(".")
        target = Path(os.path.expanduser(name))
        target = target if target.is_absolute() else base_dir / target
        shown = (
            name
            if os.path.isabs(name)
            else posixpath.normpath(posixpath.join(posixpath.dirname(display), name))
        )
        key = os.path.realpath(target)
        if key in chain:
            self.c.problem(
                line_no,
                f"include loop: {name!r} is already being read ({' -> '.join(_short(chain))})",
                display,
            )
            return
        if len(chain) >= MAX_DEPTH:
            self.c.problem(line_no, f"includes nested deeper than {MAX_DEPTH} files", display)
            return
        if key in self.visited:
            return  # included twice (not a loop): its requirements are already listed
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            self.c.problem(line_no, f"included file {name!r} not found (looked for {target})", display)
            return
        except OSError as exc:
            self.c.problem(line_no, f"cannot read included file {name!r}: {exc.strerror or exc}", display)
            return
        self.visited.add(key)
        if b"\x00" in data[:8192]:
            self.c.problem(line_no, f"included file {name!r} is binary, not a requirements file", display)
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.c.problem(line_no, f"included file {name!r} is not UTF-8: {exc.reason}", display)
            return
        if shown not in self.c.included:
            self.c.included.append(shown)
        self._parse(shown, target, text, chain=[*chain, key], constraint=constraint)

    def _requirement(
        self, display: str, line_no: int, line: str, *, constraint: bool, base: Path | None = None
    ) -> None:
        hashes: list[str] = []
        m = _PER_REQ_RE.search(line)
        req_text = line
        if m:
            req_text, options = line[: m.start()].strip(), line[m.start() :].strip()
            try:
                tokens = shlex.split(options)
            except ValueError as exc:
                self.c.problem(line_no, f"cannot split options {options!r}: {exc}", display)
                tokens = []
            i = 0
            while i < len(tokens):
                tok = tokens[i]
                if tok.startswith("--hash="):
                    hashes.append(tok.split("=", 1)[1])
                elif tok == "--hash" and i + 1 < len(tokens):
                    hashes.append(tokens[i + 1])
                    i += 1
                i += 1
            if not req_text:
                self.c.problem(line_no, "options without a requirement", display)
                return
        group = "constraint" if constraint else ""
        if _is_location(req_text):
            self._location(
                display, line_no, req_text, editable=False, constraint=constraint, hashes=hashes, base=base
            )
            return
        self.c.add_pep508(req_text, line_no, file=display, hashes=hashes, group=group)

    def _location(
        self,
        display: str,
        line_no: int,
        location: str,
        *,
        editable: bool,
        constraint: bool,
        hashes: list[str] | None = None,
        base: Path | None = None,
    ) -> None:
        if " @ " in location or re.match(r"^[A-Za-z0-9._-]+(\[[^\]]*\])?\s*@\s", location):
            dep = self.c.add_pep508(location, line_no, file=display, editable=editable)
            return
        marker = None
        parts = re.split(r"\s*;\s+", location, maxsplit=1)
        where = parts[0].strip()
        if len(parts) == 2:
            marker = parts[1].strip()
            from pyward.deps.manifests.target import marker_applies

            try:
                if not marker_applies(marker, self.c.target):
                    return
            except ValueError as exc:
                self.c.problem(line_no, str(exc), display)
                return
        extras: tuple[str, ...] = ()
        m = re.search(r"\[([^\]]*)\]$", where)
        if m and "://" not in where[m.start() :]:
            extras = tuple(sorted(e.strip() for e in m.group(1).split(",") if e.strip()))
            where = where[: m.start()]
        dep = Dependency(
            name=self._local_name(where, base) or _name_from_location(where),
            file=display,
            line=line_no,
            extras=extras,
            marker=marker,
            url=where,
            editable=editable,
            hashes=tuple(hashes or ()),
            source=self.c.source,
            group="constraint" if constraint else "",
        )
        self.c.deps.append(dep)

    @staticmethod
    def _local_name(where: str, manifest: Path | None) -> str | None:
        """For ``.``/``..``-style paths the directory's own name (``-e .`` installs the project)."""
        if manifest is None or not re.fullmatch(r"\.{1,2}[/\\]?", where.strip()):
            return None
        name = (manifest.parent / where).resolve().name
        return name or None


def _short(chain: list[str]) -> list[str]:
    return [os.path.basename(p) for p in chain]


def parse_requirements(collector: Collector, display: str, abspath: Path | None, text: str) -> None:
    RequirementsParser(collector).parse(display, abspath, text)


_INCLUDE_RE = re.compile(r"^\s*(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=[^\s=-]))(\S+)", re.M)


def include_fingerprint(abspath: str | Path, data: bytes) -> str:
    """A digest of every file a requirements file includes (``-r``/``-c``, recursively).

    The per-file cache keys a manifest by its own bytes; an included file can change without
    that file changing, so the engine adds this fingerprint to the key ('' when nothing is included).
    """
    import hashlib

    if not re.search(rb"(?m)^\s*(-r|--requirement|-c|--constraint)", data):
        return ""
    digest = hashlib.sha256()
    seen: set[str] = set()
    stack: list[tuple[Path, bytes, int]] = [(Path(abspath), data, 0)]
    while stack:
        path, content, depth = stack.pop()
        text = content.decode("utf-8", "replace")
        for m in _INCLUDE_RE.finditer(text):
            target = Path(os.path.expanduser(m.group(1).strip("'\"")))
            target = target if target.is_absolute() else path.parent / target
            key = os.path.realpath(target)
            if key in seen or depth >= MAX_DEPTH:
                continue
            seen.add(key)
            try:
                sub = target.read_bytes()
            except OSError:
                digest.update(f"{key}\0missing\0".encode())
                continue
            digest.update(f"{key}\0".encode() + hashlib.sha256(sub).digest())
            stack.append((target, sub, depth + 1))
    return digest.hexdigest()
