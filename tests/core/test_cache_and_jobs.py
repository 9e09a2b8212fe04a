"""The per-file cache and the process pool."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from pyward.engine import ScanOptions, scan
from pyward.model import Report


def _tree(root: Path, n: int = 40) -> None:
    for i in range(n):
        pkg = root / f"pkg{i % 4}"
        pkg.mkdir(exist_ok=True)
        (pkg / "__init__.py").write_text("")
        (pkg / f"m{i}.py").write_text(f"import yaml\n\ndef f{i}(x):\n    return yaml.load(x)\n")
    (root / "broken.py").write_text("def (:\n")


def _run(root: Path, cache: Path | None, jobs: int) -> Report:
    return scan(ScanOptions([root], root=root, jobs=jobs, cache_dir=cache, use_cache=cache is not None))


def _shape(report: Report) -> tuple[object, ...]:
    return (
        [(f.code, f.span, f.message, f.fingerprint) for f in report.findings],
        [(d.code, d.span, d.message) for d in report.diagnostics],
        report.files_scanned,
        report.files_skipped,
    )


def test_same_output_whatever_jobs(tmp_path: Path) -> None:
    _tree(tmp_path)
    one = _run(tmp_path, None, 1)
    two = _run(tmp_path, None, 2)
    assert len(one.findings) == 40
    assert _shape(one) == _shape(two)


def test_warm_cache_reuses_results(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    _tree(root)
    cache = tmp_path / "cache"
    cold = _run(root, cache, 2)
    warm = _run(root, cache, 2)
    assert cold.timings["cache_hits"] == 0
    assert warm.timings["cache_hits"] == len(warm.files_scanned) + len(warm.files_skipped)
    assert _shape(cold) == _shape(warm)
    assert (cache / "CACHEDIR.TAG").is_file()


def test_edited_file_is_reanalysed(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 8)
    cache = tmp_path / "cache"
    _run(root, cache, 1)
    (root / "pkg0" / "m0.py").write_text("x = 1\n")
    warm = _run(root, cache, 1)
    assert "pkg0/m0.py" not in {f.span.path for f in warm.findings}
    assert warm.timings["cache_hits"] == len(warm.files_scanned) + len(warm.files_skipped) - 1


def _entries(cache: Path) -> list[tuple[str, str]]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db:
        return sorted(db.execute("SELECT ns, key FROM entries").fetchall())


def _set_entry(cache: Path, ns: str, key: str, mac: bytes, payload: bytes) -> None:
    import sqlite3

    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db, db:
        db.execute(
            "UPDATE entries SET mac = ?, payload = ? WHERE ns = ? AND key = ?", (mac, payload, ns, key)
        )


def test_corrupt_and_foreign_entries_are_ignored_and_rewritten(tmp_path: Path) -> None:
    import sqlite3

    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 8)
    cache = tmp_path / "cache"
    cold = _run(root, cache, 1)
    files = len(cold.files_scanned) + len(cold.files_skipped)
    by_ns: dict[str, list[str]] = {}
    for ns, key in _entries(cache):
        by_ns.setdefault(ns, []).append(key)
    # the per-file namespace holds one entry per file; the project phase has its own
    per_file = next(ns for ns, keys in by_ns.items() if len(keys) == files)
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db:
        rows = {(ns, key): (mac, payload) for ns, key, mac, payload in db.execute("SELECT * FROM entries")}
    k0, k1, k2 = by_ns[per_file][:3]
    _set_entry(cache, per_file, k0, b"garbage", b"garbage")  # corrupt
    mac, payload = rows[(per_file, k1)]
    _set_entry(cache, per_file, k1, mac, payload[:-1] + bytes([payload[-1] ^ 0xFF]))  # MAC no longer verifies
    # A planted entry: MAC made with another key -> never unpickled.
    _set_entry(cache, per_file, k2, b"\0" * 32, b"cos\nsystem\n(S'echo pwned'\ntR.")
    warm = _run(root, cache, 1)
    assert _shape(cold) == _shape(warm)
    assert warm.timings["cache_hits"] == files - 3
    again = _run(root, cache, 1)  # rewritten entries are good again
    assert again.timings["cache_hits"] == files
    assert _shape(again) == _shape(cold)


def test_foreign_or_broken_database_is_rebuilt(tmp_path: Path) -> None:
    import os
    import sqlite3
    import sys

    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 8)
    cache = tmp_path / "cache"
    cache.mkdir()
    # Not a database at all.
    (cache / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    first = _run(root, cache, 1)
    assert _entries(cache)
    assert (cache / "CACHEDIR.TAG").is_file()
    if sys.platform != "win32":
        assert os.stat(cache / "cache.sqlite3").st_mode & 0o077 == 0  # rebuilt private, like a new one
    # A database planted with a trigger: not ours, so it is deleted, never written into.
    (cache / "cache.sqlite3").unlink()
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db, db:
        db.execute("CREATE TABLE entries (ns TEXT, key TEXT, mac BLOB, payload BLOB)")
        db.execute("CREATE TABLE log (x TEXT)")
        db.execute("CREATE TRIGGER t AFTER INSERT ON entries BEGIN INSERT INTO log VALUES ('x'); END")
    second = _run(root, cache, 1)
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db:
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master")}
    assert names == {"entries", "sqlite_autoindex_entries_1"} or names == {"entries"}
    assert _shape(first) == _shape(second)
    assert _run(root, cache, 1).timings["cache_hits"] == len(second.files_scanned) + len(second.files_skipped)


def test_database_of_the_previous_format_is_replaced(tmp_path: Path) -> None:
    """Format 2 kept entries in a WITHOUT ROWID table: such a database (from the previous
    release) is rebuilt with the current table, and then used."""
    import sqlite3

    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 8)
    cache = tmp_path / "cache"
    cache.mkdir()
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db, db:
        db.execute(
            "CREATE TABLE entries (ns TEXT NOT NULL, key TEXT NOT NULL, mac BLOB NOT NULL, "
            "payload BLOB NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID"
        )
        db.execute("PRAGMA user_version=2")
    first = _run(root, cache, 1)
    with contextlib.closing(sqlite3.connect(cache / "cache.sqlite3")) as db:
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'entries'").fetchone()
        assert "WITHOUT ROWID" not in sql
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    second = _run(root, cache, 1)
    assert second.timings["cache_hits"] == len(second.files_scanned) + len(second.files_skipped)
    assert _shape(first) == _shape(second)


def test_cache_dir_default_and_env(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname='x'\n")
    (root / "a.py").write_text("x = 1\n")
    scan(ScanOptions([root]))
    assert (root / ".pyward_cache").is_dir()
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("PYWARD_CACHE_DIR", str(other))
    scan(ScanOptions([root]))
    assert other.is_dir()


def _cross_module(root: Path) -> None:
    (root / "web").mkdir()
    (root / "web" / "__init__.py").write_text("")
    (root / "web" / "views.py").write_text(
        "from flask import Flask, request\n"
        "from web.tools import ping\n"
        "app = Flask(__name__)\n\n"
        "@app.route('/ping')\n"
        "def view():\n"
        "    return ping(request.args['host'])\n"
    )
    (root / "web" / "tools.py").write_text(
        "import os\n\ndef ping(host):\n    return os.system('ping ' + host)\n"
    )


def test_project_phase_is_cached_and_invalidated(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    _cross_module(root)
    cache = tmp_path / "cache"
    cold = _run(root, cache, 1)
    assert ("web/tools.py", 4, "PWT102") in {(f.span.path, f.span.line, f.code) for f in cold.findings}
    warm = _run(root, cache, 1)
    assert _shape(cold) == _shape(warm)
    assert [f.trace for f in cold.findings] == [f.trace for f in warm.findings]
    # Editing the caller (not the file with the sink) must invalidate the cross-file result.
    (root / "web" / "views.py").write_text(
        "from web.tools import ping\n\ndef view():\n    return ping('localhost')\n"
    )
    edited = _run(root, cache, 1)
    assert "PWT102" not in {f.code for f in edited.findings}


def test_cache_writes_are_atomic_and_unwritable_values_are_skipped(tmp_path: Path) -> None:
    from pyward.cache import Cache

    cache = Cache(tmp_path / "c", "settings")
    cache._key = b"k" * 32
    for i in range(40):  # more than one batch
        cache.put(f"{i:02x}" + "0" * 38, {"n": i})
    assert cache.get("05" + "0" * 38) == {"n": 5}
    # A value that cannot be pickled is skipped; the entry it would replace stays as it was.
    cache.put("05" + "0" * 38, {"n": lambda: None})
    cache.flush()
    assert cache.get("05" + "0" * 38) == {"n": 5}
    cache.close()
    assert not [p for p in (tmp_path / "c").rglob(".tmp*")]
    assert (
        (tmp_path / "c" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    # A fresh cache object over the same directory reads what the first wrote; another namespace
    # (other settings or version) does not.
    other = Cache(tmp_path / "c", "settings")
    other._key = b"k" * 32
    assert other.get("27" + "0" * 38) == {"n": 39}
    foreign = Cache(tmp_path / "c", "other settings")
    foreign._key = b"k" * 32
    assert foreign.get("27" + "0" * 38) is None
    # Another user's key: the entry does not verify and is never unpickled.
    stranger = Cache(tmp_path / "c", "settings")
    stranger._key = b"x" * 32
    assert stranger.get("27" + "0" * 38) is None and stranger.rejected == 1


def test_concurrent_scans_share_one_cache(tmp_path: Path) -> None:
    """Two pyward processes writing the same cache directory at once (CI jobs, editor + hook)."""
    import subprocess
    import sys

    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 40)
    cache = tmp_path / "cache"
    cmd = [
        sys.executable,
        "-m",
        "pyward",
        "scan",
        str(root),
        "-f",
        "json",
        "-q",
        "--no-progress",
        "-j",
        "2",
        "--cache-dir",
        str(cache),
    ]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1], [e.decode()[-500:] for _o, e in outs]
    assert all(b"Traceback" not in e for _o, e in outs)
    import json

    reports = [json.loads(o) for o, _e in outs]
    assert all(r["findings"] == reports[0]["findings"] for r in reports)
    warm = _run(root, cache, 2)
    assert warm.timings["cache_hits"] == len(warm.files_scanned) + len(warm.files_skipped)


def test_cache_database_is_private_to_the_user(tmp_path: Path) -> None:
    import os
    import stat
    import sys

    import pytest

    if sys.platform == "win32":
        pytest.skip("POSIX permissions")
    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 4)
    _run(root, tmp_path / "cache", 1)
    mode = stat.S_IMODE(os.stat(tmp_path / "cache" / "cache.sqlite3").st_mode)
    assert mode & 0o077 == 0, oct(mode)


def test_pool_starts_while_discovery_walks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold scan of a tree sends files to the workers before the walk is over, then the rest;
    every file is analysed once, with the same results as one process."""
    import pyward.engine as engine

    _tree(tmp_path, 120)
    submitted: list[int] = []
    at_walk_end: list[int] = []
    real_submit = engine._FilePhase._submit
    real_discover = engine.discover

    def submit(self: engine._FilePhase, batch: list[engine.DiscoveredFile]) -> None:
        submitted.extend(1 for _ in batch)
        real_submit(self, batch)

    def discover(*args: object, **kwargs: object) -> engine.Discovery:
        result = real_discover(*args, **kwargs)  # type: ignore[arg-type]
        at_walk_end.append(len(submitted))
        return result

    monkeypatch.setattr(engine._FilePhase, "_submit", submit)
    monkeypatch.setattr(engine, "discover", discover)
    two = _run(tmp_path, tmp_path / "cache", 2)
    assert 0 < at_walk_end[0] < len(submitted)
    assert len(submitted) == len(two.files_scanned) + len(two.files_skipped)
    monkeypatch.undo()
    assert _shape(_run(tmp_path, None, 1)) == _shape(two)


def test_long_file_list_starts_pool_from_found_files(tmp_path: Path) -> None:
    _tree(tmp_path, 40)
    files = sorted(tmp_path.rglob("*.py"))
    one = scan(ScanOptions(files, root=tmp_path, jobs=1, use_cache=False))
    two = scan(ScanOptions(files, root=tmp_path, jobs=2, use_cache=False))
    assert len(one.findings) == 40
    assert _shape(one) == _shape(two)


def test_retain_keeps_what_the_scan_built(tmp_path: Path) -> None:
    """``retain`` (used by the command line, which then exits without freeing) receives the
    per-file results, the project model and the taint graph; the report is the same."""
    from pyward.analysis.taint.engine import Linker

    _tree(tmp_path, 20)
    kept: list[object] = []
    with_retain = scan(ScanOptions([tmp_path], root=tmp_path, jobs=1, use_cache=False, retain=kept))
    assert any(isinstance(k, tuple) and any(isinstance(x, Linker) for x in k) for k in kept)
    assert _shape(with_retain) == _shape(_run(tmp_path, None, 1))


def test_a_file_that_kills_its_worker_is_reported_and_the_rest_analysed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that dies (a crash in native code, the out-of-memory killer) takes its
    batch with it: those files are analysed again one at a time, and only the file that kills the
    worker again is left out, with a diagnostic."""
    import os

    import pyward.engine as engine

    _tree(tmp_path, 40)
    (tmp_path / "pkg1" / "crash.py").write_text("import yaml\n\ndef g(x):\n    return yaml.load(x)\n")
    expected = _run(tmp_path, None, 1)
    real = engine._analyze_python

    def analyze(file: engine.DiscoveredFile, data: bytes, result: engine.FileResult) -> None:
        if file.path.endswith("crash.py") and os.getpid() != parent:
            os._exit(70)  # as a segmentation fault would, without a traceback
        real(file, data, result)

    parent = os.getpid()
    monkeypatch.setattr(engine, "_analyze_python", analyze)
    report = _run(tmp_path, tmp_path / "cache", 2)
    assert "pkg1/crash.py" in {s.path for s in report.files_skipped}
    assert [(d.code, d.span.path) for d in report.diagnostics if d.code == "PWX004"] == [("PWX004", "pkg1/crash.py")]
    kept = [(f.code, f.span, f.message) for f in expected.findings if f.span.path != "pkg1/crash.py"]
    assert [(f.code, f.span, f.message) for f in report.findings] == kept
    assert len(kept) == 40


def test_small_tree_gets_no_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project of a few files in subfolders is analysed in this process: starting workers would
    cost more than the work (the early start looks for enough Python files first)."""
    import pyward.engine as engine

    _tree(tmp_path, 8)
    pools: list[int] = []
    real = engine._FilePhase._pool

    def pool(self: engine._FilePhase, jobs: int, looked_up: bool) -> object:
        pools.append(jobs)
        return real(self, jobs, looked_up)

    monkeypatch.setattr(engine._FilePhase, "_pool", pool)
    report = _run(tmp_path, tmp_path / "cache", 2)
    assert pools == []
    assert len(report.findings) == 8
    _tree(tmp_path, 40)
    _run(tmp_path, tmp_path / "cache2", 2)
    assert pools == [2]
