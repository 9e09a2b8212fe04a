"""``pyward db update`` against a real HTTP server on 127.0.0.1 serving the shared data."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support_deps import POPULAR, shared_zip

from pyward.cli import main
from pyward.deps.advisories.db import AdvisoryDatabase
from pyward.deps.advisories.importer import SourceError
from pyward.deps.advisories.update import DownloadError, DownloadLimits, check_url, label_for, update_database
from pyward.deps.paths import popular_list_path


def _slip_zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("PYSEC-1.json", b"{}")
        zf.writestr("../../escape.json", b"{}")
    return buf.getvalue()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    full = shared_zip()
    routes: dict[str, tuple[int, bytes, int | None]] = {
        "/PyPI/all.zip": (200, full, None),
        "/truncated.zip": (200, full[: len(full) // 3], None),
        "/short.zip": (200, full[:1000], len(full)),  # declares more than it sends
        "/slip.zip": (200, _slip_zip(), None),
        "/popular.json": (200, POPULAR.read_bytes(), None),
        "/bad-popular.json": (200, b'{"rows": "nope"}', None),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/error.zip":
                self.send_error(500, "Internal Server Error")
                return
            if self.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", "http://example.com/all.zip")
                self.end_headers()
                return
            if self.path not in routes:
                self.send_error(404)
                return
            status, body, declared = routes[self.path]
            self.send_response(status)
            self.send_header("Content-Length", str(declared if declared is not None else len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client gave up (size limit)
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="module")
def updated_db(server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("updated") / "advisories.sqlite3"
    assert main(["db", "update", "--db", str(db), "--source", f"{server}/PyPI/all.zip", "--popular-url", ""]) == 0
    return db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_update_downloads_builds_and_swaps(server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cache" / "advisories.sqlite3"
    rc = main(["db", "update", "--db", str(db), "--source", f"{server}/PyPI/all.zip", "--popular-url", f"{server}/popular.json"])
    out = capsys.readouterr().out
    assert rc == 0
    assert f"127.0.0.1:{server.rsplit(':', 1)[1]}/PyPI/all.zip: 2651 PyPI records from 2661 files" in out
    with AdvisoryDatabase.open(db) as opened:
        status = opened.status()
    assert status.records == 2651 and status.sources[0].location == f"{server}/PyPI/all.zip"
    assert popular_list_path(db).read_bytes() == POPULAR.read_bytes()
    assert sorted(p.name for p in db.parent.iterdir()) == ["advisories.sqlite3", "top-pypi-packages.json"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/truncated.zip", "it may be truncated or damaged"),
        ("/short.zip", "connection closed after 1000 of"),
        ("/slip.zip", "unsafe entry name '../../escape.json'"),
        ("/error.zip", "HTTP 500"),
        ("/missing.zip", "HTTP 404"),
        ("/redirect", "plain http is refused"),
    ],
)
def test_failed_update_keeps_the_old_database(
    server: str, updated_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    db = tmp_path / "advisories.sqlite3"
    shutil.copyfile(updated_db, db)  # a database built by an earlier successful update
    before = _digest(db)
    rc = main(["db", "update", "--db", str(db), "--source", f"{server}{url}", "--popular-url", ""])
    err = capsys.readouterr().err
    assert rc == 3
    assert message in err
    assert f"the existing database at {db} is unchanged" in err
    assert "Traceback" not in err
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["advisories.sqlite3"]  # no temp files left
    with AdvisoryDatabase.open(db) as opened:
        assert opened.status().records == 2651


def test_bad_popular_list_fails_the_whole_update(server: str, tmp_path: Path) -> None:
    db = tmp_path / "advisories.sqlite3"
    with pytest.raises(SourceError, match="has no 'rows' list of packages"):
        update_database(db, [f"{server}/PyPI/all.zip"], f"{server}/bad-popular.json")
    assert not db.exists()


def test_size_limit(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="more than the limit of 1000 bytes"):
        update_database(tmp_path / "db", [f"{server}/PyPI/all.zip"], None, limits=DownloadLimits(max_bytes=1000))


def test_connection_refused_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rc = main(["db", "update", "--db", str(tmp_path / "db"), "--source", f"http://127.0.0.1:{port}/all.zip", "--popular-url", ""])
    err = capsys.readouterr().err
    assert rc == 3 and "cannot connect" in err and "no database was written" in err


@pytest.mark.parametrize(
    "url", ["http://example.com/all.zip", "ftp://127.0.0.1/all.zip", "file:///etc/passwd", "https://", "all.zip"]
)
def test_only_https_or_loopback_http(url: str) -> None:
    with pytest.raises(DownloadError):
        check_url(url)


@pytest.mark.parametrize("url", ["https://example.com/all.zip", "http://127.0.0.1:8000/a.zip", "http://[::1]/a", "http://localhost/a"])
def test_allowed_urls(url: str) -> None:
    check_url(url)


def test_progress_reports_bytes_and_files(server: str, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []
    update_database(tmp_path / "db", [f"{server}/PyPI/all.zip"], None, progress=lambda *a: calls.append(a))
    downloads = [c for c in calls if c[0].startswith("http://")]
    size = len(shared_zip())
    assert downloads[-1] == (f"{server}/PyPI/all.zip", size, size)
    assert calls[-1] == (label_for(f"{server}/PyPI/all.zip"), 2661, 2661)


def test_rich_progress_bar_renders(capsys: pytest.CaptureFixture[str]) -> None:
    from pyward.deps.advisories.update import progress_bar

    with progress_bar(True) as update:
        assert update is not None
        update("https://example.com/all.zip", 1000, 4000)
        update("https://example.com/all.zip", 4000, 4000)
        update("pypa", 500, None)
    with progress_bar(False) as none:
        assert none is None


def test_interrupted_update_keeps_the_old_database(server: str, updated_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "advisories.sqlite3"
    shutil.copyfile(updated_db, db)
    before = _digest(db)

    def during_download(what: str, done: int, total: int | None) -> None:
        if "://" in what and done > 100_000:
            raise KeyboardInterrupt

    def during_build(what: str, done: int, total: int | None) -> None:
        if "://" not in what:
            raise KeyboardInterrupt

    for progress in (during_download, during_build):
        with pytest.raises(KeyboardInterrupt):
            update_database(db, [f"{server}/PyPI/all.zip"], None, progress=progress)
        assert _digest(db) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["advisories.sqlite3"]
