"""The per-file cache and the process pool."""

from __future__ import annotations

from pathlib import Path

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


def test_corrupt_and_foreign_entries_are_ignored_and_rewritten(tmp_path: Path) -> None:
    root = tmp_path / "src"
    root.mkdir()
    _tree(root, 8)
    cache = tmp_path / "cache"
    cold = _run(root, cache, 1)
    entries = sorted(
        p for p in cache.rglob("*") if p.is_file() and len(p.name) == 40 and "project" not in p.parts
    )
    assert entries
    entries[0].write_bytes(b"garbage")  # corrupt
    blob = bytearray(entries[1].read_bytes())
    blob[-1] ^= 0xFF  # tampered payload: MAC no longer verifies
    entries[1].write_bytes(bytes(blob))
    # A planted entry: valid framing, MAC made with another key -> never unpickled.
    entries[2].write_bytes(b"PWC1" + b"\0" * 32 + b"cos\nsystem\n(S'echo pwned'\ntR.")
    warm = _run(root, cache, 1)
    assert _shape(cold) == _shape(warm)
    assert warm.timings["cache_hits"] == len(warm.files_scanned) + len(warm.files_skipped) - 3
    again = _run(root, cache, 1)  # rewritten entries are good again
    assert again.timings["cache_hits"] == len(again.files_scanned) + len(again.files_skipped)


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


def test_cache_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    from pyward.cache import Cache

    cache = Cache(tmp_path / "c", "settings")
    cache._key = b"k" * 32
    for i in range(20):
        cache.put(f"{i:02x}" + "0" * 38, {"n": i})
    assert cache.get("05" + "0" * 38) == {"n": 5}
    entry = cache._path("05" + "0" * 38)
    before = entry.read_bytes()
    # A value that cannot be pickled: the old entry stays byte-identical, nothing is left behind.
    cache.put("05" + "0" * 38, {"n": lambda: None})
    assert entry.read_bytes() == before
    assert not [p for p in (tmp_path / "c").rglob(".tmp*")]
    assert (
        (tmp_path / "c" / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    # A fresh cache object over the same directory reads what the first wrote.
    other = Cache(tmp_path / "c", "settings")
    other._key = b"k" * 32
    assert other.get("13" + "0" * 38) == {"n": 19}
