"""Import OSV records from local data into a new advisory database.

A source is a directory tree of ``.json``/``.yaml`` records (for example a checkout of the PyPA
or GitHub advisory database; hidden directories such as ``.git`` are skipped), or a ``.zip`` such
as OSV's per-ecosystem ``all.zip``. Only records that affect a ``PyPI`` package are kept;
withdrawn records are dropped; a record that cannot be parsed is counted and named in the
result, never fatal. A source that cannot be read at all (a damaged archive, an archive with
unsafe entry names, limits exceeded) is a :class:`SourceError`, and nothing is replaced.

Archive members are only ever read into memory: no path from an archive is used to write
anything, and the number of entries and their total uncompressed size are bounded.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
import stat
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pyward.deps.advisories.db import AdvisoryDbError, DatabaseBuilder
from pyward.deps.advisories.osv import PYPI, OsvError, load_record
from pyward.deps.paths import popular_list_path

RECORD_SUFFIXES = (".json", ".yaml", ".yml")


class SourceError(Exception):
    """A source that cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class Limits:
    max_entries: int = 500_000
    max_total_bytes: int = 2 * 1024**3
    max_entry_bytes: int = 32 * 1024**2


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SourceInput:
    """A local file or directory to import. ``location`` is what the user named (a path or URL)."""

    path: Path
    location: str = ""
    label: str = ""


@dataclass
class SourceStats:
    label: str
    location: str
    kind: str  # "directory", "git", "zip"
    revision: str | None = None
    files: int = 0
    records: int = 0
    withdrawn: int = 0
    other: int = 0  # records affecting no PyPI package
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def note_failure(self, name: str, message: str) -> None:
        self.failed += 1
        if len(self.errors) < 20:
            self.errors.append(f"{name}: {message}")


@dataclass
class BuildResult:
    path: Path
    sources: list[SourceStats]
    popular: Path | None = None

    @property
    def records(self) -> int:
        return sum(s.records for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.sources)


Progress = Callable[[str, int, int | None], None]


# --------------------------------------------------------------------------------------------
# reading sources


def _git_revision(root: Path) -> str | None:
    """The commit a checkout is at, read from ``.git`` without running git."""
    git = root / ".git"
    try:
        if git.is_file():  # worktree: "gitdir: PATH"
            text = git.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                git = (root / text[7:].strip()).resolve()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head or None
        ref = head[4:].strip()
        ref_file = git / ref
        if ref_file.is_file():
            return ref_file.read_text(encoding="utf-8").strip() or None
        packed = git / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref:
                    return parts[0]
    except (OSError, UnicodeDecodeError):
        return None
    return None


def iter_directory(root: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[str, bytes | str]]:
    """(relative name, bytes) for each record file; (name, error message) for unreadable ones."""
    count = 0
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.lower().endswith(RECORD_SUFFIXES):
                continue
            path = Path(current) / name
            rel = path.relative_to(root).as_posix()
            count += 1
            if count > limits.max_entries:
                raise SourceError(f"{root}: more than {limits.max_entries} record files")
            try:
                st = path.stat()
                if not stat.S_ISREG(st.st_mode):
                    continue
                if st.st_size > limits.max_entry_bytes:
                    yield rel, f"larger than {limits.max_entry_bytes} bytes"
                    continue
                yield rel, path.read_bytes()
            except OSError as exc:
                yield rel, f"cannot read: {exc.strerror or exc}"


def _unsafe_name(name: str) -> bool:
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(name).parts)


def iter_zip(
    path: Path, limits: Limits = DEFAULT_LIMITS, *, display: str | None = None
) -> Iterator[tuple[str, bytes | str]]:
    """(member name, bytes) for each record in the archive, after checking the whole directory.

    Refuses archives with unsafe member names (``../``, absolute, drive letters), too many
    members, or a declared uncompressed size above the limits; the actual bytes read are
    bounded too, so a member lying about its size cannot exceed them.
    """
    shown = display or str(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SourceError(
            f"{shown}: not a valid zip archive ({exc}); it may be truncated or damaged"
        ) from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise SourceError(f"{shown}: {len(infos)} entries, more than the limit of {limits.max_entries}")
        declared = 0
        for info in infos:
            if _unsafe_name(info.filename):
                raise SourceError(
                    f"{shown}: unsafe entry name {info.filename!r} (absolute or '..' path); refusing the archive"
                )
            declared += info.file_size
        if declared > limits.max_total_bytes:
            raise SourceError(
                f"{shown}: uncompressed size {declared} bytes exceeds the limit of {limits.max_total_bytes}"
            )
        total = 0
        for info in infos:
            if info.is_dir() or not info.filename.lower().endswith(RECORD_SUFFIXES):
                continue
            mode = info.external_attr >> 16
            if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
                continue  # symlinks and other special members are never records
            if info.file_size > limits.max_entry_bytes:
                yield info.filename, f"larger than {limits.max_entry_bytes} bytes"
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(limits.max_entry_bytes + 1)
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                OSError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as exc:
                raise SourceError(f"{shown}: damaged member {info.filename!r}: {exc}") from None
            except Exception as exc:  # zlib.error and friends from a corrupt stream
                raise SourceError(f"{shown}: damaged member {info.filename!r}: {exc}") from None
            if len(data) > limits.max_entry_bytes:
                raise SourceError(
                    f"{shown}: member {info.filename!r} is larger than it declares; refusing the archive"
                )
            total += len(data)
            if total > limits.max_total_bytes:
                raise SourceError(
                    f"{shown}: uncompressed data exceeds the limit of {limits.max_total_bytes} bytes"
                )
            yield info.filename, data


def describe(source: SourceInput) -> tuple[str, str, str | None]:
    """(kind, label, revision) of a local source; raises :class:`SourceError` when unusable."""
    path = source.path
    if path.is_dir():
        revision = _git_revision(path) if (path / ".git").exists() else None
        kind = "git" if revision is not None or (path / ".git").exists() else "directory"
        label = source.label or path.resolve().name or str(path)
        return kind, label, revision
    if path.is_file():
        if not zipfile.is_zipfile(path) and not path.name.lower().endswith(RECORD_SUFFIXES):
            raise SourceError(
                f"{source.location or path}: not a zip archive (it may be truncated or damaged) "
                "and not a .json/.yaml record"
            )
        label = source.label or path.name
        return ("zip" if zipfile.is_zipfile(path) else "file"), label, None
    if path.exists():
        raise SourceError(f"{source.location or path}: not a file or directory")
    raise SourceError(f"{source.location or path}: no such file or directory")


def iter_source(source: SourceInput, kind: str, limits: Limits) -> Iterator[tuple[str, bytes | str]]:
    if kind in ("directory", "git"):
        return iter_directory(source.path, limits)
    if kind == "zip":
        return iter_zip(source.path, limits, display=source.location or None)
    try:
        return iter([(source.path.name, source.path.read_bytes())])
    except OSError as exc:
        raise SourceError(f"{source.path}: cannot read: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------------------------
# popular-packages list


def validate_popular(data: bytes, where: str) -> int:
    """Check a top-pypi-packages JSON document; returns the number of projects listed.

    Uses the typosquatting module's reader (the consumer of the list) so both agree on the format.
    """
    from pyward.deps.typosquat import PopularListError, parse_popular

    try:
        return len(parse_popular(data, where))
    except PopularListError as exc:
        raise SourceError(str(exc)) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Atomic replacement of a database side file (see :func:`pyward.fsutil.write_atomic`)."""
    from pyward.fsutil import write_atomic as _write

    _write(path, data)


# --------------------------------------------------------------------------------------------
# building


def build_database(
    target: Path,
    sources: Sequence[SourceInput],
    *,
    popular: bytes | None = None,
    popular_where: str = "",
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    now: _dt.datetime | None = None,
) -> BuildResult:
    """Import ``sources`` into a new database at ``target`` (swapped in atomically when complete).

    Raises :class:`SourceError` (bad source) or :class:`AdvisoryDbError` (cannot write); in both
    cases the previous database, if any, is untouched.
    """
    if not sources:
        raise SourceError("no advisory source given")
    described = [(s, *describe(s)) for s in sources]
    if popular is not None:
        validate_popular(popular, popular_where or "popular-packages list")
    labels: dict[str, int] = {}
    stats: list[SourceStats] = []
    try:
        with DatabaseBuilder(target, now=now) as builder:
            for source, kind, label, revision in described:
                labels[label] = labels.get(label, 0) + 1
                if labels[label] > 1:
                    label = f"{label}#{labels[label]}"
                st = SourceStats(label, source.location or str(source.path), kind, revision)
                source_id = builder.add_source(label, st.location, kind, revision)
                for name, payload in iter_source(source, kind, limits):
                    st.files += 1
                    if progress is not None and st.files % 500 == 0:
                        progress(label, st.files, None)
                    if isinstance(payload, str):
                        st.note_failure(name, payload)
                        continue
                    try:
                        record = load_record(name, payload)
                    except OsvError as exc:
                        st.note_failure(name, str(exc))
                        continue
                    if record.is_withdrawn:
                        st.withdrawn += 1
                        continue
                    if not any(a.package.ecosystem == PYPI for a in record.affected):
                        st.other += 1
                        continue
                    if builder.add_record(source_id, record):
                        st.records += 1
                    else:
                        st.duplicates += 1
                builder.finish_source(
                    source_id,
                    files=st.files,
                    records=st.records,
                    withdrawn=st.withdrawn,
                    other=st.other,
                    failed=st.failed,
                )
                stats.append(st)
                if progress is not None:
                    progress(label, st.files, st.files)
            # The list goes first: if it cannot be written, the old database stays as well.
            popular_path: Path | None = None
            if popular is not None:
                popular_path = popular_list_path(target)
                try:
                    write_atomic(popular_path, popular)
                except OSError as exc:
                    raise AdvisoryDbError(f"cannot write {popular_path}: {exc.strerror or exc}") from None
            builder.commit()
    except (OSError, sqlite3.Error) as exc:
        raise AdvisoryDbError(f"cannot write the advisory database at {target}: {exc}") from None
    return BuildResult(target, stats, popular_path)
