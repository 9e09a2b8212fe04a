"""On-disk cache of per-file results, keyed by content hash, pyward version and settings.

Entries are pickled and authenticated with HMAC-SHA256 under a per-user secret key kept outside
the project (in the user cache directory, mode 0600). A cache directory can come from an untrusted
checkout, so an entry whose MAC does not verify — corrupt, truncated, written by another user or
planted in a repository — is ignored and rewritten, and never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from pathlib import Path
from typing import Any

from pyward import __version__

_MAC_LEN = 32
_MAGIC = b"PWC1"


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
    def __init__(self, directory: Path, settings_key: str) -> None:
        self.directory = directory
        self.namespace = hashlib.sha256(f"{__version__}\0{settings_key}".encode()).hexdigest()[:16]
        self._key: bytes | None = None
        self.hits = 0
        self.misses = 0
        self.rejected = 0
        self._dirs: set[Path] = set()
        self._tagged = False
        self._serial = 0

    @property
    def key(self) -> bytes:
        if self._key is None:
            self._key = _user_key()
        return self._key

    def _path(self, content_hash: str) -> Path:
        return self.directory / self.namespace / content_hash[:2] / content_hash

    @staticmethod
    def content_hash(data: bytes, extra: str = "") -> str:
        h = hashlib.blake2b(data, digest_size=20)
        h.update(extra.encode())
        return h.hexdigest()

    def get(self, content_hash: str) -> Any | None:
        path = self._path(content_hash)
        try:
            blob = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        if len(blob) < len(_MAGIC) + _MAC_LEN or not blob.startswith(_MAGIC):
            self.rejected += 1
            return None
        mac = blob[len(_MAGIC) : len(_MAGIC) + _MAC_LEN]
        payload = blob[len(_MAGIC) + _MAC_LEN :]
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

    def put(self, content_hash: str, value: Any) -> None:
        path = self._path(content_hash)
        tmp: Path | None = None
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            mac = hmac.digest(self.key, content_hash.encode() + payload, "sha256")
            parent = path.parent
            if parent not in self._dirs:
                self._prepare(parent)
            # A name unique to this process and entry, created exclusively (never follows or
            # reuses an existing file), then renamed over the entry: readers see the old entry
            # or the complete new one, never a partial write.
            self._serial += 1
            tmp = parent / f".tmp.{os.getpid()}.{self._serial}.{content_hash[:12]}"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
            except FileExistsError:  # left by a crashed process that had our pid
                fd, name = tempfile.mkstemp(dir=parent, prefix=".tmp.")
                tmp = Path(name)
            try:
                data = memoryview(_MAGIC + mac + payload)
                while data:
                    data = data[os.write(fd, data) :]
            finally:
                os.close(fd)
            os.replace(tmp, path)
            tmp = None
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return  # a cache that cannot be written is only slower
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _prepare(self, parent: Path) -> None:
        """Create an entry directory (and mark the cache root) once per process."""
        if not self._tagged:
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                self.directory.mkdir(parents=True, exist_ok=True)
                tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# pyward cache\n")
                (self.directory / ".gitignore").write_text("*\n")
            self._tagged = True
        parent.mkdir(parents=True, exist_ok=True)
        self._dirs.add(parent)
