"""Find the files of a scan: one walk over the given paths, sorted by kind.

Honours ``.gitignore`` files (every directory's, like git), the default excludes (VCS folders,
virtual environments — any directory holding ``pyvenv.cfg`` —, ``site-packages``,
``node_modules``, caches, build output), ``--exclude`` globs and ``exclude`` from the config.
Symlinked directories are followed once: a link back into a directory already being walked (a
loop) is reported and not entered. Files named explicitly on the command line are always scanned.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyward.deps import kinds
from pyward.model import FileKind, SkippedFile

if TYPE_CHECKING:
    import pathspec

DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "__pycache__",
        "node_modules",
        "site-packages",
        "dist-packages",
        ".tox",
        ".nox",
        ".venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".pyward_cache",
        ".eggs",
        "build",
        "dist",
    }
)

PYTHON_SUFFIXES = (".py", ".pyw")
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".djhtml", ".jhtml", ".xhtml")
CONFIG_NAMES = (".flaskenv", ".env")


@dataclass(frozen=True)
class DiscoveredFile:
    path: str  # display path
    abspath: str
    kind: FileKind
    explicit: bool = False


@dataclass
class Discovery:
    root: Path
    files: list[DiscoveredFile] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def of_kind(self, kind: FileKind) -> list[DiscoveredFile]:
        return [f for f in self.files if f.kind is kind]


def display_path(path: Path, root: Path) -> str:
    try:
        rel = path.absolute().relative_to(root)
        text = rel.as_posix()
        return text if text != "." else path.name
    except ValueError:
        return path.absolute().as_posix()


def manifest_kind(name: str) -> str | None:
    """Which manifest parser handles ``name`` (delegates to the deps package)."""
    # The deps package decides from the base name and its folder's name (requirements/base.txt),
    # so the answer is remembered for those two segments: a tree repeats names (locale/*/django.po).
    return _manifest_kind("/".join(name.replace("\\", "/").rsplit("/", 2)[-2:]))


@functools.lru_cache(maxsize=4096)
def _manifest_kind(name: str) -> str | None:
    return kinds.manifest_kind(name)


def kinds_for(name: str, *, explicit: bool = False, path: str | None = None) -> list[FileKind]:
    kinds: list[FileKind] = []
    lower = name.lower()
    if lower.endswith(PYTHON_SUFFIXES):
        kinds.append(FileKind.PYTHON)
    if lower.endswith(TEMPLATE_SUFFIXES):
        kinds.append(FileKind.TEMPLATE)
    if manifest_kind(path or name) is not None:
        kinds.append(FileKind.MANIFEST)
    if name in CONFIG_NAMES or name.startswith(".env."):
        kinds.append(FileKind.CONFIG)
    if explicit and not kinds:
        kinds.append(FileKind.PYTHON)
    return kinds


class _IgnoreStack:
    """The ``.gitignore`` rules in effect for a directory (each level's patterns apply below it)."""

    def __init__(self) -> None:
        self.levels: list[tuple[Path, pathspec.PathSpec[Any]]] = []

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for base, spec in self.levels:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if is_dir:
                rel += "/"
            if spec.match_file(rel):
                return True
        return False


def _load_gitignore(directory: Path, skipped: list[SkippedFile], root: Path) -> pathspec.PathSpec[Any] | None:
    gi = directory / ".gitignore"
    try:
        if not gi.is_file():
            return None
        text = gi.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        skipped.append(SkippedFile(display_path(gi, root), f"cannot read .gitignore: {exc.strerror}"))
        return None
    import pathspec  # only when there is a .gitignore (the import costs more than most scans' walk)

    try:
        return pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    except Exception as exc:  # a malformed pattern must not stop the scan
        skipped.append(SkippedFile(display_path(gi, root), f"invalid .gitignore pattern: {exc}"))
        return None


def _matches_any(rel: str, name: str, globs: Sequence[str]) -> bool:
    for glob in globs:
        g = glob.rstrip("/")
        if fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g + "/*"):
            return True
        if rel.startswith(g + "/"):
            return True
    return False


def _git_ancestors_ignores(start: Path, stop_at: Path | None) -> _IgnoreStack:
    """``.gitignore`` files of the directories above ``start`` up to the repository root."""
    stack = _IgnoreStack()
    dirs: list[Path] = []
    current = start
    while True:
        dirs.append(current)
        if (current / ".git").exists() or current.parent == current:
            break
        if stop_at is not None and current == stop_at:
            break
        current = current.parent
    for d in reversed(dirs[1:]):
        spec = _load_gitignore(d, [], d)
        if spec is not None:
            stack.levels.append((d, spec))
    return stack


def discover(
    paths: Iterable[Path],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    on_file: Callable[[DiscoveredFile], None] | None = None,
) -> Discovery:
    """The files under ``paths``, sorted by display path and kind. ``on_file`` is called with
    each file as the walk finds it (so work on it can start before the walk ends)."""
    result = Discovery(root=root)

    def found(file: DiscoveredFile) -> None:
        result.files.append(file)
        if on_file is not None:
            on_file(file)

    seen_files: set[str] = set()

    def add(path: Path, explicit: bool) -> None:
        key = str(path.absolute())
        if key in seen_files:
            return
        seen_files.add(key)
        for kind in kinds_for(path.name, explicit=explicit, path=str(path)):
            found(DiscoveredFile(display_path(path, root), key, kind, explicit))

    def add_walked(abspath: str, name: str, display: str, kinds: list[FileKind]) -> None:
        """``add`` for a file found by the walk: its path is absolute and normalised already."""
        if abspath in seen_files:
            return
        seen_files.add(abspath)
        for kind in kinds:
            found(DiscoveredFile(display, abspath, kind, False))

    for given in paths:
        path = given if given.is_absolute() else Path.cwd() / given
        path = Path(os.path.normpath(path))
        try:
            st = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                result.skipped.append(SkippedFile(display_path(path, root), "broken symbolic link"))
            else:
                result.skipped.append(SkippedFile(display_path(path, root), "no such file or directory"))
            continue
        except OSError as exc:
            result.skipped.append(SkippedFile(display_path(path, root), f"cannot access: {exc.strerror}"))
            continue
        if stat.S_ISDIR(st.st_mode):
            ignores = _git_ancestors_ignores(path, None) if respect_gitignore else _IgnoreStack()
            if ignores.ignored(path, True):
                # The user named an ignored directory explicitly: scan it, keeping only the
                # ignore files found inside it.
                ignores = _IgnoreStack()
            _walk(path, root, result, add_walked, ignores, exclude, respect_gitignore)
        else:
            add(path, True)
    result.files.sort(key=lambda f: (f.path, f.kind.value))
    result.skipped.sort()
    return result


def _walk(
    top: Path,
    root: Path,
    result: Discovery,
    add: Callable[[str, str, str, list[FileKind]], None],
    ignores: _IgnoreStack,
    exclude: Sequence[str],
    respect_gitignore: bool,
) -> None:
    """Iterative depth-first walk. Each stack entry carries the (device, inode) identities of the
    directories above it, so a symbolic link back into one of them (a loop) is detected."""
    root_text = str(root.absolute())
    prefix_len = len(root_text) + 1

    def rel_of(path_text: str) -> str:
        if path_text.startswith(root_text + os.sep):
            return path_text[prefix_len:].replace(os.sep, "/")
        return display_path(Path(path_text), root)

    try:
        top_stat = os.stat(top)
        top_id = (top_stat.st_dev, top_stat.st_ino)
    except OSError:
        top_id = (0, 0)
    stack: list[tuple[str, int, frozenset[tuple[int, int]], tuple[int, int]]] = [
        (str(top), len(ignores.levels), frozenset(), top_id)
    ]
    while stack:
        directory, depth, ancestors, identity = stack.pop()
        del ignores.levels[depth:]
        if identity in ancestors:
            result.skipped.append(SkippedFile(rel_of(directory), "symbolic link loop (not followed)"))
            continue
        ancestors = ancestors | {identity}
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            if respect_gitignore:
                _load_gitignore(Path(directory), result.skipped, root)  # reports an unreadable one
            result.skipped.append(SkippedFile(rel_of(directory), f"cannot list directory: {exc.strerror}"))
            continue
        # A directory's own .gitignore applies to its entries (looked for in the listing: no stat).
        if respect_gitignore and any(entry.name == ".gitignore" for entry in entries):
            spec = _load_gitignore(Path(directory), result.skipped, root)
            if spec is not None:
                ignores.levels.append((Path(directory), spec))
        subdirs: list[tuple[str, tuple[int, int]]] = []
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                if name in DEFAULT_EXCLUDED_DIRS or name.endswith(".egg-info"):
                    continue
                if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                rel = rel_of(entry.path)
                if exclude and _matches_any(rel, name, exclude):
                    continue
                if respect_gitignore and ignores.levels and ignores.ignored(Path(entry.path), True):
                    continue
                try:
                    st = entry.stat(follow_symlinks=True)
                    ident = (st.st_dev, st.st_ino)
                except OSError:
                    ident = (0, 0)
                subdirs.append((entry.path, ident))
                continue
            kinds = kinds_for(name, path=entry.path)
            if not kinds:
                if entry.is_symlink() and not os.path.exists(entry.path) and name.endswith(PYTHON_SUFFIXES):
                    result.skipped.append(SkippedFile(rel_of(entry.path), "broken symbolic link"))
                continue
            rel = rel_of(entry.path)
            if exclude and _matches_any(rel, name, exclude):
                continue
            if respect_gitignore and ignores.levels and ignores.ignored(Path(entry.path), False):
                continue
            if entry.is_symlink() and not os.path.exists(entry.path):
                result.skipped.append(SkippedFile(rel, "broken symbolic link or link loop"))
                continue
            add(entry.path, name, rel, kinds)
        level = len(ignores.levels)
        for sub, ident in reversed(subdirs):
            stack.append((sub, level, ancestors, ident))
