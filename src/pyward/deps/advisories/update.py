"""``pyward db update``: download advisory sources and the popular-packages list, then rebuild.

Everything is downloaded first (HTTPS with certificate verification; plain HTTP only to the
loopback interface, for tests and local mirrors on this machine), with timeouts and size limits,
into a temporary directory beside the database. Only when every download succeeded is the new
database built and swapped in; any failure leaves the previous database as it was.
"""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pyward import __version__
from pyward.deps.advisories.importer import (
    DEFAULT_LIMITS,
    BuildResult,
    Limits,
    SourceError,
    SourceInput,
    build_database,
)
from pyward.deps.paths import DEFAULT_POPULAR_URL as DEFAULT_POPULAR_URL
from pyward.deps.paths import DEFAULT_SOURCES as DEFAULT_SOURCES


class DownloadError(Exception):
    """A download failed; the message names the URL and the reason."""


@dataclass(frozen=True)
class DownloadLimits:
    timeout: float = 60.0
    max_bytes: int = 512 * 1024**2
    max_popular_bytes: int = 32 * 1024**2


#: (what, bytes done, bytes total or None)
ByteProgress = Callable[[str, int, int | None], None]


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    """Refuse anything but https (and http to a loopback address)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise DownloadError(
            f"{url}: plain http is refused (only https, or http to this machine's loopback address)"
        )
    raise DownloadError(f"{url}: not an https URL")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()  # certificate and host name verification on
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _CheckedRedirects())


def download(
    url: str,
    out: IO[bytes],
    *,
    max_bytes: int,
    timeout: float,
    progress: ByteProgress | None = None,
) -> int:
    """Stream ``url`` into ``out``; returns the byte count. Raises :class:`DownloadError`."""
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"pyward/{__version__}"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            declared_text = response.headers.get("Content-Length")
            declared = int(declared_text) if declared_text and declared_text.isdigit() else None
            if declared is not None and declared > max_bytes:
                raise DownloadError(f"{url}: {declared} bytes is more than the limit of {max_bytes} bytes")
            done = 0
            while True:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                done += len(chunk)
                if done > max_bytes:
                    raise DownloadError(f"{url}: more than the limit of {max_bytes} bytes")
                out.write(chunk)
                if progress is not None:
                    progress(url, done, declared)
            if declared is not None and done < declared:
                raise DownloadError(f"{url}: connection closed after {done} of {declared} bytes")
            return done
    except DownloadError:
        raise
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise DownloadError(
                f"{url}: TLS certificate verification failed ({reason.verify_message})"
            ) from None
        raise DownloadError(f"{url}: cannot connect ({reason})") from None
    except TimeoutError:
        raise DownloadError(f"{url}: timed out after {timeout:g} s") from None
    except ssl.SSLError as exc:
        raise DownloadError(f"{url}: TLS error ({exc})") from None
    except (OSError, ValueError) as exc:  # http.client.IncompleteRead is an HTTPException
        raise DownloadError(f"{url}: download failed ({exc})") from None
    except Exception as exc:  # http.client.HTTPException and friends
        raise DownloadError(f"{url}: download failed ({type(exc).__name__}: {exc})") from None


def label_for(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def _suffix(url: str) -> str:
    path = urllib.parse.urlsplit(url).path.lower()
    for suffix in (".zip", ".json", ".yaml", ".yml"):
        if path.endswith(suffix):
            return suffix
    return ".zip"


def update_database(
    target: Path,
    sources: Sequence[str] = DEFAULT_SOURCES,
    popular_url: str | None = DEFAULT_POPULAR_URL,
    *,
    limits: DownloadLimits = DownloadLimits(),
    import_limits: Limits = DEFAULT_LIMITS,
    progress: ByteProgress | None = None,
) -> BuildResult:
    """Download ``sources`` (and the popular list), build a new database and swap it in.

    Raises :class:`DownloadError`, :class:`SourceError` or ``AdvisoryDbError``; the existing
    database is untouched in every failure case.
    """
    if not sources:
        raise SourceError("no advisory source URL given")
    for url in [*sources, *([popular_url] if popular_url else [])]:
        check_url(url)
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix=".pyward-update-", dir=target.parent))
    except OSError as exc:
        raise DownloadError(
            f"cannot create a download directory beside {target}: {exc.strerror or exc}"
        ) from None
    try:
        inputs: list[SourceInput] = []
        for index, url in enumerate(sources):
            path = workdir / f"source-{index}{_suffix(url)}"
            with open(path, "wb") as fh:
                download(url, fh, max_bytes=limits.max_bytes, timeout=limits.timeout, progress=progress)
            inputs.append(SourceInput(path, location=url, label=label_for(url)))
        popular: bytes | None = None
        if popular_url:
            import io

            buffer = io.BytesIO()
            download(
                popular_url,
                buffer,
                max_bytes=limits.max_popular_bytes,
                timeout=limits.timeout,
                progress=progress,
            )
            popular = buffer.getvalue()
        return build_database(
            target,
            inputs,
            popular=popular,
            popular_where=popular_url or "",
            limits=import_limits,
            progress=progress,
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def progress_bar(enabled: bool) -> Iterator[ByteProgress | None]:
    """A rich progress bar on stderr (when ``enabled``).

    Fed with ``(what, done, total)``: for a URL, bytes downloaded; for anything else (a source
    label during the build), record files read.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.filesize import decimal
    from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn
    from rich.text import Text

    class _Amount(ProgressColumn):
        def render(self, task: Task) -> Text:
            if task.fields.get("bytes"):
                total = f"/{decimal(int(task.total))}" if task.total else ""
                return Text(f"{decimal(int(task.completed))}{total}")
            return Text(f"{int(task.completed)} files")

    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), _Amount(), console=Console(stderr=True), transient=True
    )
    tasks: dict[str, Any] = {}

    def update(what: str, done: int, total: int | None) -> None:
        is_url = "://" in what
        if what not in tasks:
            label = f"downloading {label_for(what)}" if is_url else f"importing {what}"
            tasks[what] = bar.add_task(label, total=total, bytes=is_url)
        bar.update(tasks[what], completed=done, total=total)

    with bar:
        yield update
