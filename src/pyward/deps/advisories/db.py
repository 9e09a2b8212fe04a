"""The local advisory index: one SQLite file built from OSV records.

Schema (``PRAGMA user_version`` = :data:`SCHEMA_VERSION`, ``PRAGMA application_id`` = pyward's):

- ``meta(key, value)``: ``built_at`` (UTC ISO time), ``pyward_version``, ``schema_version``.
- ``sources(id, label, location, kind, revision, imported_at, files, records, withdrawn, other, failed)``.
- ``records(rid, id, source, modified, data)``: one row per (record id, source); ``data`` is the
  record as OSV JSON (only the fields pyward models). Withdrawn records are not stored.
- ``packages(name, rid)``: normalised PyPI package name -> record row.
- ``aliases(alias, rid)``: every id and alias of a record -> record row.

A database is always built into a temporary file beside the target and moved over it with
:func:`os.replace` only once complete, so readers see the old or the new file, never half of one.
Opening a file that is missing, corrupt, foreign or of another schema raises
:class:`AdvisoryDbError` with a message that says what to do.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pyward import __version__
from pyward.deps.advisories.merge import Advisory, merge_records
from pyward.deps.advisories.osv import OsvError, OsvRecord, parse_record

SCHEMA_VERSION = 1
APPLICATION_ID = 0x50595744  # "PYWD"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    location TEXT NOT NULL,
    kind TEXT NOT NULL,
    revision TEXT,
    imported_at TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    records INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    other INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    source INTEGER NOT NULL REFERENCES sources(id),
    modified TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (id, source)
);
CREATE TABLE packages (name TEXT NOT NULL, rid INTEGER NOT NULL REFERENCES records(rid));
CREATE TABLE aliases (alias TEXT NOT NULL, rid INTEGER NOT NULL REFERENCES records(rid));
"""
_INDEXES = """
CREATE INDEX packages_name ON packages(name);
CREATE INDEX aliases_alias ON aliases(alias);
"""


class AdvisoryDbError(Exception):
    """The database cannot be used; the message says why and how to get a working one."""


REBUILD_HINT = "run `pyward db update` (download) or `pyward db import PATH` (local OSV data) to build it"


@dataclass(frozen=True)
class SourceInfo:
    label: str
    location: str
    kind: str
    revision: str | None
    imported_at: str
    files: int
    records: int
    withdrawn: int
    other: int
    failed: int


@dataclass(frozen=True)
class DbStatus:
    path: str
    schema_version: int
    built_at: _dt.datetime
    pyward_version: str
    sources: tuple[SourceInfo, ...]
    records: int
    packages: int
    size_bytes: int
    #: The latest ``modified`` time of any stored record (how fresh the data itself is).
    newest_modified: str | None = None

    def age_days(self, now: _dt.datetime | None = None) -> float:
        now = now or _dt.datetime.now(_dt.timezone.utc)
        return (now - self.built_at).total_seconds() / 86400.0


def _utcnow() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def _parse_time(text: str) -> _dt.datetime:
    value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return value


# --------------------------------------------------------------------------------------------
# building


class DatabaseBuilder:
    """Writes a new database beside ``target`` and swaps it in on :meth:`commit`.

    Use as a context manager: leaving the block without ``commit()`` (an error, Ctrl-C) deletes
    the temporary file and leaves any existing database untouched.
    """

    def __init__(self, target: Path, *, now: _dt.datetime | None = None) -> None:
        self.target = Path(target)
        self.now = now or _utcnow()
        directory = self.target.parent if str(self.target.parent) else Path(".")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise AdvisoryDbError(
                f"cannot create the database in {directory}: {exc.strerror or exc}"
            ) from None
        os.close(fd)
        self.temp = Path(name)
        self._done = False
        self._conn = sqlite3.connect(str(self.temp), isolation_level=None)
        self._conn.executescript(
            f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;"
            f"PRAGMA page_size=8192; PRAGMA application_id={APPLICATION_ID};"
        )
        self._conn.executescript(_SCHEMA)
        self._conn.execute("BEGIN")
        #: (record id, source) -> (rid, modified) to keep the newest of duplicate records.
        self._seen: dict[tuple[str, int], tuple[int, str]] = {}

    def __enter__(self) -> DatabaseBuilder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self._done:
            self.abort()

    def add_source(self, label: str, location: str, kind: str, revision: str | None = None) -> int:
        cur = self._conn.execute(
            "INSERT INTO sources(label, location, kind, revision, imported_at) VALUES (?, ?, ?, ?, ?)",
            (label, location, kind, revision, self.now.isoformat()),
        )
        return int(cur.lastrowid or 0)

    def finish_source(
        self, source: int, *, files: int, records: int, withdrawn: int, other: int, failed: int
    ) -> None:
        self._conn.execute(
            "UPDATE sources SET files=?, records=?, withdrawn=?, other=?, failed=? WHERE id=?",
            (files, records, withdrawn, other, failed, source),
        )

    def add_record(self, source: int, record: OsvRecord) -> bool:
        """Store a (non-withdrawn, PyPI) record; returns False when an equal-or-newer copy exists."""
        key = (record.id, source)
        previous = self._seen.get(key)
        if previous is not None:
            if previous[1] >= record.modified:
                return False
            rid = previous[0]
            self._conn.execute("DELETE FROM packages WHERE rid=?", (rid,))
            self._conn.execute("DELETE FROM aliases WHERE rid=?", (rid,))
            self._conn.execute("DELETE FROM records WHERE rid=?", (rid,))
        data = json.dumps(record.to_dict(), separators=(",", ":"), ensure_ascii=False)
        cur = self._conn.execute(
            "INSERT INTO records(id, source, modified, data) VALUES (?, ?, ?, ?)",
            (record.id, source, record.modified, data),
        )
        rid = int(cur.lastrowid or 0)
        self._seen[key] = (rid, record.modified)
        self._conn.executemany(
            "INSERT INTO packages(name, rid) VALUES (?, ?)", [(n, rid) for n in record.package_names()]
        )
        self._conn.executemany(
            "INSERT INTO aliases(alias, rid) VALUES (?, ?)",
            [(a.upper(), rid) for a in dict.fromkeys(record.ids)],
        )
        return True

    def commit(self) -> None:
        """Finish the file and atomically replace the target with it."""
        conn = self._conn
        conn.execute("COMMIT")
        conn.executescript(_INDEXES)
        conn.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?)",
            [
                ("built_at", self.now.isoformat()),
                ("pyward_version", __version__),
                ("schema_version", str(SCHEMA_VERSION)),
            ],
        )
        conn.execute("ANALYZE")
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.close()
        try:
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.abort()
            raise AdvisoryDbError(f"cannot replace {self.target}: {exc.strerror or exc}") from None
        self._done = True

    def abort(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()
        self._done = True


# --------------------------------------------------------------------------------------------
# reading


class AdvisoryDatabase:
    """A read-only view of a built database."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._cache: dict[str, list[tuple[OsvRecord, str]]] = {}

    @classmethod
    def open(cls, path: Path) -> AdvisoryDatabase:
        path = Path(path)
        if not path.exists():
            raise AdvisoryDbError(f"no advisory database at {path}: {REBUILD_HINT}")
        if not path.is_file():
            raise AdvisoryDbError(f"{path} is not a file: {REBUILD_HINT}")
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise AdvisoryDbError(f"cannot open advisory database {path}: {exc}; {REBUILD_HINT}") from None
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise AdvisoryDbError(
                f"{path} is not a usable advisory database ({exc}); delete it and {REBUILD_HINT}"
            ) from None
        if app_id != APPLICATION_ID:
            conn.close()
            raise AdvisoryDbError(
                f"{path} is an SQLite file but not a pyward advisory database; {REBUILD_HINT}"
            )
        if version != SCHEMA_VERSION:
            conn.close()
            older = "an older" if version < SCHEMA_VERSION else "a newer"
            raise AdvisoryDbError(
                f"{path} was built by {older} pyward (schema {version}, this pyward reads schema "
                f"{SCHEMA_VERSION}); {REBUILD_HINT}"
            )
        db = cls(path, conn)
        db.status()  # validates meta and tables now, not mid-scan
        return db

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> AdvisoryDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise AdvisoryDbError(
                f"advisory database {self.path} is damaged ({exc}); {REBUILD_HINT}"
            ) from None

    def status(self) -> DbStatus:
        with self._guard() as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            rows = conn.execute(
                "SELECT label, location, kind, revision, imported_at, files, records, withdrawn, other, failed "
                "FROM sources ORDER BY id"
            ).fetchall()
            records = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
            packages = int(conn.execute("SELECT count(DISTINCT name) FROM packages").fetchone()[0])
            newest = conn.execute("SELECT max(modified) FROM records WHERE modified != ''").fetchone()[0]
        try:
            built = _parse_time(str(meta["built_at"]))
        except (KeyError, ValueError):
            raise AdvisoryDbError(
                f"advisory database {self.path} has no valid build time; {REBUILD_HINT}"
            ) from None
        try:
            size = self.path.stat().st_size
        except OSError:
            size = 0
        return DbStatus(
            path=str(self.path),
            schema_version=SCHEMA_VERSION,
            built_at=built,
            pyward_version=str(meta.get("pyward_version", "?")),
            sources=tuple(SourceInfo(*row) for row in rows),
            records=records,
            packages=packages,
            size_bytes=size,
            newest_modified=str(newest) if newest else None,
        )

    def records_for(self, normalized_name: str) -> list[tuple[OsvRecord, str]]:
        """Every stored record affecting the package, with the label of the source it came from."""
        cached = self._cache.get(normalized_name)
        if cached is not None:
            return cached
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT r.data, s.label FROM packages p JOIN records r ON r.rid = p.rid "
                "JOIN sources s ON s.id = r.source WHERE p.name = ? ORDER BY s.id, r.id",
                (normalized_name,),
            ).fetchall()
        out: list[tuple[OsvRecord, str]] = []
        for data, label in rows:
            try:
                out.append((parse_record(json.loads(data)), str(label)))
            except (OsvError, ValueError) as exc:
                raise AdvisoryDbError(
                    f"advisory database {self.path} holds an unreadable record ({exc}); {REBUILD_HINT}"
                ) from None
        self._cache[normalized_name] = out
        return out

    def advisories_for(self, normalized_name: str) -> list[Advisory]:
        """The package's records merged by alias (one :class:`Advisory` per vulnerability)."""
        return merge_records(self.records_for(normalized_name))

    def lookup(self, ident: str) -> list[tuple[OsvRecord, str]]:
        """Records whose id or alias is ``ident``."""
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT DISTINCT r.data, s.label FROM aliases a JOIN records r ON r.rid = a.rid "
                "JOIN sources s ON s.id = r.source WHERE a.alias = ?",
                (ident.upper(),),
            ).fetchall()
        return [(parse_record(json.loads(d)), str(label)) for d, label in rows]
