"""On-disk cache of per-file results, keyed by content hash, pyward version and settings.

The entries of a cache directory live in one SQLite file (``cache.sqlite3``, write-ahead log):
creating one small file per entry costs far more in the kernel than the analysis it saves.
Entries are pickled and authenticated with HMAC-SHA256 under a per-user secret key kept outside
the project (in the user cache directory, mode 0600). A cache directory can come from an untrusted
checkout, so an entry whose MAC does not verify — corrupt, truncated, written by another user or
planted in a repository — is ignored and rewritten, and never unpickled. A database that is not
ours (unknown schema, triggers, views) or that SQLite cannot read is deleted and rebuilt; when it
cannot be, the run goes on without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from pyward import __version__
from pyward.fsutil import write_atomic

_MAC_LEN = 32
#: Entry format version, stored as the database's ``user_version`` (3: a rowid table).
_FORMAT = 3
_DB_NAME = "cache.sqlite3"
_SCHEMA = (
    "CREATE TABLE entries (ns TEXT NOT NULL, key TEXT NOT NULL, mac BLOB NOT NULL, payload BLOB NOT NULL, "
    "PRIMARY KEY (ns, key))"
)
# A rowid table, not WITHOUT ROWID: entries are kilobytes, and SQLite keeps large rows of a WITHOUT
# ROWID table in its key B-tree (writes 20% and lookups 2x slower, measured on Django's entries).
#: Pending writes are committed in one transaction when this many have accumulated (and by flush()).
_BATCH = 32


def _user_key() -> bytes:
    from platformdirs import user_cache_dir

    key_path = Path(os.environ.get("PYWARD_CACHE_KEY_FILE") or Path(user_cache_dir("pyward")) / "cache.key")
    try:
        data = key_path.read_bytes()
        if len(data) >= 32:
            return data[:32]
    except OSError:
        pass
    key = secrets.token_bytes(32)
    try:
        key_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=key_path.parent, prefix=".cache.key.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, key_path)  # first writer wins; never overwrite a key in use
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        data = key_path.read_bytes()
        if len(data) >= 32:
            return data[:32]
    except OSError:
        pass
    return key  # unwritable: a per-process key (the cache still works within this run)


class Cache:
    """The entries of one cache directory under one namespace (pyward version + settings)."""

    def __init__(self, directory: Path, settings_key: str) -> None:
        self.directory = directory
        self.namespace = hashlib.sha256(f"{__version__}\0{settings_key}".encode()).hexdigest()[:16]
        self._key: bytes | None = None
        self.hits = 0
        self.misses = 0
        self.rejected = 0
        self._db: sqlite3.Connection | None = None
        self._db_pid = 0
        self._broken = False
        self._pending: list[tuple[str, str, bytes, bytes]] = []

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = _user_key()
        return self._key

    @property
    def path(self) -> Path:
        return self.directory / _DB_NAME

    @staticmethod
    def content_hash(data: bytes, extra: str = "") -> str:
        h = hashlib.blake2b(data, digest_size=20)
        h.update(extra.encode())
        return h.hexdigest()

    def exists(self) -> bool:
        """Whether a database is there to read (a first scan skips the lookups)."""
        return self.path.is_file()

    # database ------------------------------------------------------------------------------
    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._db is not None and self._db_pid == os.getpid():
            return self._db
        self._db = None  # a connection inherited across fork() is never used
        rebuilt = False
        for attempt in range(6):
            if not create and not self.exists():
                return None  # nothing to read (yet); the first write creates the database
            try:
                if create:
                    self._mark_directory()
                    # private to this user, like the key (SQLite gives its -wal/-shm files the
                    # database's permissions)
                    os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600))
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
                try:
                    self._check_schema(db)
                except BaseException:
                    db.close()
                    raise
                self._db, self._db_pid = db, os.getpid()
                return db
            except _ForeignDatabase:
                pass
            except sqlite3.OperationalError as exc:
                # another process is creating or checkpointing the database: try again shortly;
                # read-only or full disks: no cache this run
                if "locked" in str(exc) or "busy" in str(exc):
                    time.sleep(0.02 * (attempt + 1))
                    continue
                break
            except OSError:
                break
            except (sqlite3.DatabaseError, ValueError):
                pass  # not a database, malformed, or a schema of an older pyward: rebuild it
            except sqlite3.Error:
                break
            if rebuilt or not self._remove_database():
                break
            rebuilt = True
        self._broken = True
        return None

    def _check_schema(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA trusted_schema=OFF")
        rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if not rows:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                if not db.execute("SELECT 1 FROM sqlite_master").fetchone():
                    db.execute(_SCHEMA)
                    db.execute(f"PRAGMA user_version={_FORMAT}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
            version = db.execute("PRAGMA user_version").fetchone()[0]
        expected = {("table", "entries", _SCHEMA)}
        if {(t, n, q) for t, n, q in rows if not n.startswith("sqlite_autoindex_")} != expected:
            raise _ForeignDatabase
        if version != _FORMAT:
            raise ValueError("cache format of another pyward version")
        db.execute("PRAGMA synchronous=NORMAL")

    def _remove_database(self) -> bool:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return True

    def _mark_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            write_atomic(tag, b"Signature: 8a477f597d28d172789f06886806bc55\n# pyward cache\n")
            write_atomic(self.directory / ".gitignore", b"*\n")

    # entries -------------------------------------------------------------------------------
    def get(self, content_hash: str) -> Any | None:
        row: tuple[Any, Any] | None = None
        for ns, key, mac, payload in self._pending:  # written by this process, not yet committed
            if key == content_hash and ns == self.namespace:
                row = (mac, payload)
        db = self._connect(create=False) if row is None else None
        if db is not None:
            try:
                row = db.execute(
                    "SELECT mac, payload FROM entries WHERE ns = ? AND key = ?",
                    (self.namespace, content_hash),
                ).fetchone()
            except sqlite3.Error:
                row = None
        if row is None:
            self.misses += 1
            return None
        mac, payload = row
        if not isinstance(mac, bytes) or not isinstance(payload, bytes) or len(mac) != _MAC_LEN:
            self.rejected += 1
            return None
        expected = hmac.digest(self.key, content_hash.encode() + payload, "sha256")
        if not hmac.compare_digest(mac, expected):
            self.rejected += 1
            return None
        try:
            # Safe: the payload is authenticated with this user's secret key, so it was written
            # by pyward for this user and content hash.
            value = pickle.loads(payload)
        except Exception:
            self.rejected += 1
            return None
        self.hits += 1
        return value

    def put(self, content_hash: str, value: Any) -> bytes | None:
        """Queue an entry; it is written with the next batch (or by :meth:`flush`). Returns the
        pickled value (callers that send it elsewhere need not pickle it again), or None when it
        cannot be pickled."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return None  # a cache that cannot be written is only slower
        mac = hmac.digest(self.key, content_hash.encode() + payload, "sha256")
        self._pending.append((self.namespace, content_hash, mac, payload))
        if len(self._pending) >= _BATCH:
            self.flush()
        return payload

    def flush(self) -> None:
        """Write the queued entries in one transaction: all of them or none."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        db = self._connect(create=True)
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", pending)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            return  # locked for too long, disk full...: only slower next time

    def prepare(self) -> None:
        """Create the database now (before worker processes open it concurrently)."""
        self._connect(create=True)
        self.close()

    def close(self) -> None:
        self.flush()
        if self._db is not None and self._db_pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None


class _ForeignDatabase(Exception):
    """A database whose schema is not the one pyward writes."""
