"""One scan: discover → per-file analysis (parallel, cached) → project analyses → filter → Report.

The engine is pure apart from reading the scanned files and its cache; it never prints and never
exits. Errors in one file or one rule become diagnostics in the report; they never stop the scan.
"""

from __future__ import annotations

import ast
import contextlib
import fnmatch
import functools
import gc
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pyward import __version__
from pyward.analysis.base import Analysis, FileEntry, PerFileOutput, ProjectModel
from pyward.analysis.context import FileContext
from pyward.analysis.semantic import SemanticModel
from pyward.baseline import apply_baseline, load_baseline
from pyward.discovery import DEFAULT_EXCLUDED_DIRS, DiscoveredFile, discover
from pyward.model import Confidence, FileKind, Finding, Report, Severity, SkippedFile, Span, fingerprint
from pyward.parsing import parse_python
from pyward.registry import all_rules, code_selected, group_by_analysis, load_analysis_class
from pyward.rules.base import Rule
from pyward.settings import Settings
from pyward.suppression import Suppression, find_suppressions, suppression_matches

if TYPE_CHECKING:
    # multiprocessing and concurrent.futures (~15 ms of imports) are imported where a pool or the
    # worker thread is made: a scan with no file to analyse needs neither.
    from concurrent.futures import Executor, Future, ThreadPoolExecutor

    from pyward.cache import Cache  # pickle, hmac, secrets: only a cached scan opens one

#: Text files other than Python larger than this are not analysed.
MAX_TEXT_BYTES = 16 * 1024 * 1024
_STACK_SIZE = 512 * 1024 * 1024
_RECURSION_LIMIT = 60_000


@dataclass
class ScanOptions:
    paths: Sequence[Path]
    settings: Settings = field(default_factory=Settings)
    root: Path | None = None
    jobs: int | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    #: Extra options for analyses (``db``: advisory database path...).
    options: dict[str, Any] = field(default_factory=dict)
    #: Restrict to rules for which this returns True (``pyward deps`` runs only PWD rules).
    rule_filter: Callable[[type[Rule]], bool] | None = None
    baseline: Path | None = None
    exclude: Sequence[str] = ()
    progress: Callable[[int, int], None] | None = None
    #: When a list: what the scan built and no longer needs (per-file results, the project model,
    #: an analysis's graph) goes here instead of being freed as the scan ends. A process that exits
    #: right after the scan without freeing its objects (the command line) saves that time.
    retain: list[Any] | None = None


@dataclass
class FileResult:
    """What the per-file phase returns for one discovered file (picklable, cacheable)."""

    path: str
    abspath: str
    kind: FileKind
    module: str | None = None
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    skipped: str | None = None  # reason when the file could not be analysed
    diagnostics: list[Finding] = field(default_factory=list)
    lines: int = 0
    fallback: bool = False
    cached: bool = False
    #: The cache key of the file's content ("" without a cache); part of the project-phase key.
    content_key: str = ""
    #: Seconds spent per phase on this file ("parse", "semantic", then one entry per analysis).
    timings: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# rule selection


def enabled_rules(
    settings: Settings, rule_filter: Callable[[type[Rule]], bool] | None = None
) -> list[type[Rule]]:
    select = list(settings.select) + list(settings.extend_select)
    if settings.extend_select and not settings.select:
        select = []  # extend-select only adds to the default set
    rules: list[type[Rule]] = []
    for rule in all_rules():
        meta = rule.meta
        if rule_filter is not None and not rule_filter(rule):
            continue
        default_on = meta.default_enabled
        if meta.code == "PWX003":
            default_on = settings.warn_unused_ignores
        chosen = code_selected(meta.code, select, settings.ignore, default_on)
        if (
            not chosen
            and settings.extend_select
            and code_selected(meta.code, settings.extend_select, (), True)
        ):
            chosen = any(p.upper() == meta.code for p in settings.extend_select) or default_on
        if chosen:
            rules.append(rule)
    return rules


def build_analyses(rules: Sequence[type[Rule]], settings: Settings) -> list[Analysis]:
    analyses: list[Analysis] = []
    for path, group in sorted(group_by_analysis(rules).items()):
        cls = load_analysis_class(path)
        analyses.append(cls(group, settings))
    return analyses


# --------------------------------------------------------------------------------------------
# per-file work (runs in worker processes)

_WORKER: dict[str, Any] = {}


def _init_worker(
    settings: Settings,
    codes: tuple[str, ...],
    cache_dir: str | None,
    looked_up: bool = False,
    in_pool: bool = False,
) -> None:
    """Prepare this process for per-file work. ``looked_up``: the main process already found
    which files the cache holds (the files sent here are misses), so no lookup is repeated.
    ``in_pool``: this is a pool worker process (not the main process working alone)."""
    rules = [r for r in all_rules() if r.meta.code in codes]
    _WORKER["settings"] = settings
    _WORKER["analyses"] = build_analyses(rules, settings)
    cache = _cache_for(settings, codes, cache_dir) if cache_dir else None
    _WORKER["cache"] = cache
    _WORKER["lookup"] = not looked_up
    if cache is not None and in_pool:
        # A pool worker: its last entries are written when it exits (multiprocessing runs these
        # finalizers in the worker before the pool's shutdown returns).
        from multiprocessing.util import Finalize

        Finalize(cache, cache.close, exitpriority=10)
    _WORKER["modules"] = {}
    _WORKER["packages"] = {}
    gc.disable()  # a worker started by spawn/forkserver; see _gc_paused
    sys.setrecursionlimit(max(sys.getrecursionlimit(), _RECURSION_LIMIT))
    threading.stack_size(_STACK_SIZE)
    from concurrent.futures import ThreadPoolExecutor

    _WORKER["thread"] = ThreadPoolExecutor(max_workers=1)


_T = TypeVar("_T")


def _in_work_thread(work: Callable[[], _T]) -> _T:
    """Run a batch's work in the worker's big-stack thread, then free the reference cycles it
    left: automatic collection is paused during a scan (see ``_gc_paused``), and only the young
    generation is examined, so this stays cheap."""
    executor: ThreadPoolExecutor = _WORKER["thread"]
    result = executor.submit(work).result()
    gc.collect(0)
    return result


def _process_batch(files: Sequence[DiscoveredFile]) -> list[FileResult]:
    return _in_work_thread(lambda: [_process_one(f) for f in files])


def _process_batch_pickled(files: Sequence[DiscoveredFile]) -> list[bytes]:
    """:func:`_process_batch` in a pool worker: each result pickled once, for the cache and for
    the trip back to the main process alike (:func:`_unpickle_batch` there)."""
    import pickle

    def work() -> list[bytes]:
        out: list[bytes] = []
        for f in files:
            result, payload = _process_file(f)
            out.append(payload if payload is not None else pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        return out

    return _in_work_thread(work)


def _unpickle_batch(payloads: list[bytes]) -> list[FileResult]:
    import pickle

    # Safe: the payloads come from this scan's own worker processes over their private pipes.
    return [pickle.loads(p) for p in payloads]


def _process_one(file: DiscoveredFile) -> FileResult:
    return _process_file(file)[0]


def _process_file(file: DiscoveredFile) -> tuple[FileResult, bytes | None]:
    """The file's result, and its pickled form when the cache stored one."""
    result = FileResult(file.path, file.abspath, file.kind)
    try:
        return _analyze_file(file, result)
    except Exception as exc:  # last line of defence: one bad file never stops the scan
        result.diagnostics.append(
            _diagnostic("PWX004", "internal-error", f"internal error: {type(exc).__name__}: {exc}", file.path)
        )
        return result, None


def _read(file: DiscoveredFile, result: FileResult) -> bytes | None:
    try:
        return Path(file.abspath).read_bytes()
    except IsADirectoryError:
        result.skipped = "is a directory"
    except PermissionError:
        # Windows reports a directory as a permission error
        result.skipped = "is a directory" if os.path.isdir(file.abspath) else "permission denied"
    except FileNotFoundError:
        result.skipped = "file vanished or is a broken link"
    except OSError as exc:
        result.skipped = f"cannot read: {exc.strerror or exc}"
    return None


def _analyze_file(file: DiscoveredFile, result: FileResult) -> tuple[FileResult, bytes | None]:
    data = _read(file, result)
    if data is None:
        result.diagnostics.append(
            _diagnostic("PWX005", "file-not-read", f"file not read: {result.skipped}", file.path)
        )
        return result, None
    cache: Cache | None = _WORKER.get("cache")
    key = ""
    if cache is not None:
        key = _cache_key(cache, file, data)
        hit = _cached_result(cache, key, file) if _WORKER.get("lookup", True) else None
        if hit is not None:
            return hit, None
    if file.kind is FileKind.PYTHON:
        _analyze_python(file, data, result)
    else:
        _analyze_text(file, data, result)
    result.content_key = key
    payload = cache.put(key, result) if cache is not None else None
    return result, payload


def _cache_key(cache: Cache, file: DiscoveredFile, data: bytes) -> str:
    salt = ""
    if file.kind is FileKind.MANIFEST:  # ``-r``/``-c`` includes are part of a manifest's result
        from pyward.deps.manifests import cache_salt, manifest_kind

        salt = cache_salt(file.abspath, manifest_kind(file.path), data)
    return cache.content_hash(data, f"{file.kind.value}\0{file.path}" + (f"\0{salt}" if salt else ""))


def _cached_result(cache: Cache, key: str, file: DiscoveredFile) -> FileResult | None:
    hit = cache.get(key)
    if isinstance(hit, FileResult) and hit.path == file.path and hit.kind is file.kind:
        hit.abspath = file.abspath
        hit.cached = True
        return hit
    return None


def _cache_for(settings: Settings, codes: tuple[str, ...], cache_dir: str) -> Cache:
    from pyward.cache import Cache

    return Cache(Path(cache_dir), settings.cache_key() + ",".join(codes))


def _split_cached(
    files: list[DiscoveredFile], settings: Settings, codes: tuple[str, ...], cache_dir: str
) -> tuple[list[FileResult], list[DiscoveredFile]]:
    """Results of the files the cache already holds, and the files still to analyse. Done in the
    main process before any worker starts, so a re-scan of an unchanged tree needs no pool (and
    cached results are not pickled twice on their way back); skipped when the cache is empty."""
    cache = _cache_for(settings, codes, cache_dir)
    if not cache.exists():
        cache.prepare()  # created here, not by two workers at once
        return [], files
    hits: list[FileResult] = []
    misses: list[DiscoveredFile] = []
    for file in files:
        try:
            data = Path(file.abspath).read_bytes()
        except OSError:
            misses.append(file)  # reported by the per-file phase
            continue
        hit = _cached_result(cache, _cache_key(cache, file, data), file)
        if hit is None:
            misses.append(file)
        else:
            hits.append(hit)
    cache.close()  # never carried into the worker processes forked next
    return hits, misses


def _module_name(abspath: str) -> str:
    """``module_name_for(Path(abspath))``, with the package chain of each directory looked up once
    per scan (not one ``__init__.py`` check per file and ancestor)."""
    modules: dict[str, str] = _WORKER.setdefault("modules", {})
    name = modules.get(abspath)
    if name is None:
        path = Path(abspath).absolute()
        parts = [] if path.name == "__init__.py" else [path.stem]
        parts.extend(_package_chain(path.parent))
        parts.reverse()
        name = ".".join(p for p in parts if p) or path.stem
        modules[abspath] = name
    return name


def _package_chain(directory: Path) -> tuple[str, ...]:
    """The names of ``directory`` and its ancestors while each is a package, innermost first."""
    chains: dict[Path, tuple[str, ...]] = _WORKER.setdefault("packages", {})
    chain = chains.get(directory)
    if chain is None:
        if (directory / "__init__.py").is_file() and directory != directory.parent:
            chain = (directory.name, *_package_chain(directory.parent))
        else:
            chain = ()
        chains[directory] = chain
    return chain


def _analyze_python(file: DiscoveredFile, data: bytes, result: FileResult) -> None:
    t0 = time.perf_counter()
    parsed = parse_python(data, file.path)
    result.timings["parse"] = time.perf_counter() - t0
    if parsed.tree is None:
        result.skipped = parsed.error or "cannot parse"
        result.diagnostics.append(
            _diagnostic(
                "PWX001",
                "parse-error",
                f"not analysed: {parsed.error}",
                file.path,
                line=max(parsed.error_line, 1),
            )
        )
        return
    assert parsed.source is not None
    source = parsed.source
    result.lines = source.count("\n") + 1
    result.fallback = parsed.fallback
    module = _module_name(file.abspath)
    result.module = module
    try:
        t0 = time.perf_counter()
        semantic = SemanticModel(parsed.tree, module, is_package=file.abspath.endswith("__init__.py"))
        result.timings["semantic"] = time.perf_counter() - t0
    except (RecursionError, MemoryError) as exc:
        result.skipped = f"too deeply nested to analyse ({type(exc).__name__})"
        result.diagnostics.append(
            _diagnostic("PWX001", "parse-error", f"not analysed: {result.skipped}", file.path)
        )
        return
    settings: Settings = _WORKER["settings"]
    ctx = FileContext(file.path, file.abspath, source, parsed.tree, semantic, settings, parsed.fallback)
    result.suppressions = find_suppressions(source, parsed.tree)
    for analysis in _WORKER["analyses"]:
        if not analysis.wants_python:
            continue
        t0 = time.perf_counter()
        output = _run_analysis(analysis, functools.partial(analysis.analyze_python, ctx))
        result.timings[analysis.name] = result.timings.get(analysis.name, 0.0) + time.perf_counter() - t0
        # The line table (a split of the whole source) only serves snippets of findings.
        _collect(result, analysis, output, ctx.lines if output.findings else [])


def _analyze_text(file: DiscoveredFile, data: bytes, result: FileResult) -> None:
    wanted = [a for a in _WORKER["analyses"] if file.kind in a.text_kinds]
    if not wanted:
        return
    if len(data) > MAX_TEXT_BYTES:
        result.skipped = f"larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB"
        result.diagnostics.append(
            _diagnostic("PWX005", "file-not-read", f"file not read: {result.skipped}", file.path)
        )
        return
    if b"\0" in data:
        result.skipped = "binary file (contains NUL bytes)"
        result.diagnostics.append(
            _diagnostic("PWX005", "file-not-read", f"file not read: {result.skipped}", file.path)
        )
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    lines = text.splitlines()
    result.lines = len(lines)
    for analysis in wanted:
        t0 = time.perf_counter()
        output = _run_analysis(
            analysis, functools.partial(analysis.analyze_text, file.path, file.abspath, file.kind, text)
        )
        result.timings[analysis.name] = result.timings.get(analysis.name, 0.0) + time.perf_counter() - t0
        _collect(result, analysis, output, lines)


def _run_analysis(analysis: Analysis, call: Callable[[], PerFileOutput]) -> PerFileOutput:
    try:
        return call()
    except RecursionError:
        return PerFileOutput(errors=(f"{analysis.name}: too deeply nested to analyse",))
    except Exception as exc:
        return PerFileOutput(errors=(f"{analysis.name}: {type(exc).__name__}: {exc}",))


def _collect(result: FileResult, analysis: Analysis, output: PerFileOutput, lines: list[str]) -> None:
    for finding in output.findings:
        result.findings.append(_with_snippet(finding, lines))
    if output.data is not None:
        result.data[analysis.name] = output.data
    for error in output.errors:
        result.diagnostics.append(
            _diagnostic("PWX004", "internal-error", f"internal error in {error}", result.path)
        )


def _with_snippet(finding: Finding, lines: list[str]) -> Finding:
    redact = finding.properties.get("redact") if finding.properties else None
    if finding.snippet and not redact:
        return finding
    text = finding.snippet
    if not text:
        first = finding.span.line
        last = min(finding.span.last_line, first + 4)
        text = "\n".join(lines[i - 1].rstrip() for i in range(first, last + 1) if 0 < i <= len(lines))
    if not redact:
        return replace(finding, snippet=text)
    for secret in sorted((str(v) for v in redact), key=len, reverse=True):
        if secret:
            text = text.replace(secret, _mask(secret))
    properties = {k: v for k, v in finding.properties.items() if k != "redact"}
    return replace(finding, snippet=text, properties=properties)


def _mask(secret: str) -> str:
    """Keep a hint of the value (first characters), hide the rest."""
    keep = 4 if len(secret) >= 12 else 1 if len(secret) >= 4 else 0
    return secret[:keep] + "*" * min(max(len(secret) - keep, 3), 12)


def _diagnostic(code: str, name: str, message: str, path: str, *, line: int = 1) -> Finding:
    severity = Severity.INFO if code in {"PWX002", "PWX003"} else Severity.LOW
    return Finding(code, name, message, Span(path, line, 0), severity, Confidence.HIGH)


# --------------------------------------------------------------------------------------------
# the scan


def find_root(paths: Sequence[Path]) -> Path:
    """The project root: the nearest directory above the scanned paths holding a config file or a
    VCS folder, else their common directory."""
    absolute = [p.absolute() for p in paths] or [Path.cwd()]
    try:
        common = Path(os.path.commonpath([str(p) for p in absolute]))
    except ValueError:
        common = Path.cwd()
    if not common.is_dir():
        common = common.parent
    for candidate in [common, *common.parents]:
        if any((candidate / marker).exists() for marker in (".git", ".hg", "pyproject.toml", ".pyward.toml")):
            return candidate
    return common


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Switch off automatic garbage collection for the duration of a scan.

    A scan allocates millions of small objects (syntax trees, scopes, summaries, findings) that are
    freed by reference counting; almost none form cycles. With automatic collection on, the
    collector keeps re-examining the growing set of live objects (about a fifth of the per-file
    time). Per-file work collects the young generation after each batch of files, which frees the
    cycles one file leaves (scopes point to their parents). At the end, everything the scan
    allocated and still holds is moved to the oldest generation in one step (``freeze`` then
    ``unfreeze``), so the first automatic collection afterwards does not walk all of it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def scan(options: ScanOptions) -> Report:
    with _gc_paused():
        return _scan(options)


def _scan(options: ScanOptions) -> Report:
    started = time.perf_counter()
    settings = options.settings
    paths = list(options.paths) or [Path(".")]
    root = (options.root or find_root(paths)).absolute()
    rules = enabled_rules(settings, options.rule_filter)
    codes = tuple(sorted(r.meta.code for r in rules))
    analyses = build_analyses(rules, settings)

    cache_dir: Path | None = None
    if options.use_cache:
        env_dir = os.environ.get("PYWARD_CACHE_DIR")
        cache_dir = options.cache_dir or (Path(env_dir) if env_dir else root / ".pyward_cache")
    wanted_kinds = frozenset({FileKind.PYTHON} | {k for a in analyses for k in a.text_kinds})
    phase = _FilePhase(settings, codes, cache_dir, options, analyses, wanted_kinds)
    try:
        phase.start(paths)
        discovery = discover(
            paths,
            root,
            exclude=[*settings.exclude, *options.exclude],
            respect_gitignore=settings.respect_gitignore,
            on_file=phase.found,
        )
    except BaseException:
        phase.abort()
        raise
    files = [f for f in discovery.files if f.kind in wanted_kinds]
    t_discover = time.perf_counter()

    results = phase.run(files)
    t_files = time.perf_counter()

    by_path = {r.abspath: r for r in results if r.kind is FileKind.PYTHON}
    project = _project_model(root, settings, results, options.options, by_path)
    if options.retain is not None:
        options.retain.append((results, project))
        project.retain = options.retain.append
    findings: list[Finding] = [f for r in results for f in r.findings]
    diagnostics: list[Finding] = [d for r in results for d in r.diagnostics]
    phase_times: dict[str, float] = {}
    for r in results:
        if not r.cached:
            for name, seconds in r.timings.items():
                phase_times[f"file:{name}"] = phase_times.get(f"file:{name}", 0.0) + seconds
    project_cache, inputs_key = _project_cache(cache_dir, settings, codes, results, options.options)
    for analysis in analyses:
        t0 = time.perf_counter()
        token = analysis.project_cache_token(project) if inputs_key else None
        entry_key = ""
        if project_cache is not None and token is not None:
            import hashlib

            entry_key = hashlib.blake2b(
                f"project\0{analysis.name}\0{inputs_key}\0{token}".encode(), digest_size=20
            ).hexdigest()
            hit = project_cache.get(entry_key)
            if isinstance(hit, tuple) and len(hit) == 2 and isinstance(hit[0], list):
                findings.extend(hit[0])
                project.incomplete.extend(hit[1])
                phase_times[f"project:{analysis.name}"] = time.perf_counter() - t0
                continue
        try:
            before = len(project.incomplete)
            produced = list(analysis.analyze_project(project))
            findings.extend(produced)
            if entry_key and project_cache is not None:
                project_cache.put(entry_key, (produced, project.incomplete[before:]))
        except Exception as exc:
            diagnostics.append(
                _diagnostic(
                    "PWX004",
                    "internal-error",
                    f"internal error in {analysis.name}: {type(exc).__name__}: {exc}",
                    ".",
                )
            )
        phase_times[f"project:{analysis.name}"] = time.perf_counter() - t0
    if project_cache is not None:
        project_cache.close()
    t_project = time.perf_counter()

    enabled = set(codes)
    line_cache: dict[str, list[str]] = {}

    def lines_of(display: str) -> list[str]:
        if display not in line_cache:
            text = project.read_text(display)
            line_cache[display] = text.splitlines() if text is not None else []
        return line_cache[display]

    # Diagnostics emitted as findings by analyses go with the diagnostics.
    diagnostics.extend(f for f in findings if f.is_diagnostic)
    findings = [f for f in findings if not f.is_diagnostic and f.code in enabled]
    findings = [f if f.snippet else _with_snippet(f, lines_of(f.span.path)) for f in findings]
    findings = _supersede(findings, {r.meta.code: r.superseded_by for r in rules})
    findings = [
        f
        for f in findings
        if f.severity >= settings.severity
        and f.confidence >= settings.confidence
        and not _path_ignored(f, settings)
    ]

    suppressions = {r.path: r.suppressions for r in results if r.suppressions}
    findings, suppressed, sup_diags = _apply_suppressions(findings, suppressions, enabled, rules)
    diagnostics.extend(sup_diags)
    findings = _fingerprinted(findings)
    baselined = 0
    if options.baseline is not None:
        findings, baselined = apply_baseline(findings, load_baseline(options.baseline))

    diagnostics = [d for d in diagnostics if d.code in enabled or d.code in _ALWAYS_ON]
    skipped = list(discovery.skipped) + [SkippedFile(r.path, r.skipped) for r in results if r.skipped]
    scanned = sorted({r.path for r in results if not r.skipped})
    finished = time.perf_counter()
    return Report(
        version=__version__,
        root=root.as_posix(),
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        diagnostics=tuple(sorted(_dedupe(diagnostics), key=Finding.sort_key)),
        files_scanned=tuple(scanned),
        files_skipped=tuple(sorted(set(skipped))),
        timings={
            "discover": round(t_discover - started, 4),
            "files": round(t_files - t_discover, 4),
            "project": round(t_project - t_files, 4),
            "filter": round(finished - t_project, 4),
            "total": round(finished - started, 4),
            "lines": float(sum(r.lines for r in results)),
            "cache_hits": float(sum(1 for r in results if r.cached)),
            **{k: round(v, 4) for k, v in sorted(phase_times.items())},
        },
        suppressed=suppressed,
        baselined=baselined,
        incomplete=tuple(project.incomplete),
    )


_ALWAYS_ON = frozenset({"PWX001", "PWX004", "PWX005"})


def _project_cache(
    cache_dir: Path | None,
    settings: Settings,
    codes: tuple[str, ...],
    results: list[FileResult],
    options: dict[str, Any],
) -> tuple[Cache | None, str]:
    """The cache for project-phase results and the key of the phase's inputs: every file's path,
    kind and content key. A re-scan of an unchanged tree then reuses the cross-file results too."""
    if cache_dir is None or any(not r.content_key and not r.skipped for r in results):
        return None, ""
    import hashlib

    digest = hashlib.sha256()
    for r in results:
        digest.update(f"{r.path}\0{r.kind.value}\0{r.content_key}\0{r.skipped}\n".encode())
    digest.update(repr(sorted((k, str(v)) for k, v in options.items())).encode())
    from pyward.cache import Cache

    return Cache(cache_dir, "project\0" + settings.cache_key() + ",".join(codes)), digest.hexdigest()


def _dedupe(items: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, int, str]] = set()
    out: list[Finding] = []
    for d in items:
        key = (d.code, d.span.path, d.span.line, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


class _FilePhase:
    """The per-file phase: results from the cache, from a pool of worker processes, or from this
    process alone (one job, or too few files for a pool to pay).

    With several jobs and no cached result to look up (no cache, or an empty one: a first scan,
    a CI checkout), the pool starts while discovery is still walking: :meth:`found` sends it
    files as they are found whenever the workers have little queued, so parsing overlaps the
    walk. The files not yet sent when discovery ends go out biggest first (so no worker is left
    with a large file at the end) in :meth:`run`. Otherwise discovery completes first: a warm
    cache is read in this process before any worker starts, so an unchanged tree needs none.
    """

    #: Below this many files one process does the work (starting workers costs more).
    MIN_POOL_FILES = 16
    BATCH = 8
    #: Batches a worker may have queued while discovery goes on.
    QUEUED_PER_JOB = 2

    def __init__(
        self,
        settings: Settings,
        codes: tuple[str, ...],
        cache_dir: Path | None,
        options: ScanOptions,
        analyses: Sequence[Analysis],
        wanted: frozenset[FileKind],
    ) -> None:
        self.settings = settings
        self.codes = codes
        self.cache_arg = str(cache_dir) if cache_dir is not None else None
        self.options = options
        self.wanted = wanted
        self.jobs = max(1, options.jobs or settings.jobs or os.cpu_count() or 1)
        self.receivers = [a for a in analyses if type(a).receive is not Analysis.receive]
        #: Whether no file can have a cached result (no cache, or an empty one): then nothing is
        #: looked up, and the pool may start during discovery. One job looks up as it goes.
        self.cold = self.cache_arg is None
        if self.cache_arg is not None and self.jobs > 1:
            cache = _cache_for(settings, codes, self.cache_arg)
            self.cold = not cache.exists()
            if self.cold:
                cache.prepare()  # created here, not by two workers at once
        self.eager = self.jobs > 1 and self.cold
        self.pending: list[DiscoveredFile] = []  # found, wanted, not yet sent
        self.sent: set[tuple[str, FileKind]] = set()
        self.futures: list[Future[list[bytes]]] = []
        #: the files of each future, and files whose batch could not even be submitted
        self.batches: list[list[DiscoveredFile]] = []
        self.lost: list[DiscoveredFile] = []
        self.executor: Executor | None = None

    # while discovery walks -----------------------------------------------------------------
    def start(self, paths: Sequence[Path]) -> None:
        """Start the pool before discovery when a quick look finds enough Python files for one:
        the walk can take a while (loading ``.gitignore`` rules, thousands of folders). Other
        scans start one from :meth:`found` once enough files are found."""
        if self.eager and self.executor is None and _has_many_python_files(paths, self.MIN_POOL_FILES):
            self.executor = self._pool(self.jobs, looked_up=True)
            assert self.executor is not None
            # The executor forks its workers on the first submission: make it now.
            self.executor.submit(int)

    def found(self, file: DiscoveredFile) -> None:
        if not self.eager or file.kind not in self.wanted:
            return
        self.pending.append(file)
        if self.executor is None:
            if len(self.pending) < max(self.MIN_POOL_FILES, self.jobs):
                return
            self.executor = self._pool(self.jobs, looked_up=True)
        if len(self.pending) >= self.BATCH and self._queued() < self.jobs * self.QUEUED_PER_JOB:
            batch, self.pending = self.pending[: self.BATCH], self.pending[self.BATCH :]
            self._submit(batch)

    def _queued(self) -> int:
        return sum(1 for f in self.futures[-self.jobs * (self.QUEUED_PER_JOB + 1) :] if not f.done())

    def _pool(self, jobs: int, looked_up: bool) -> Executor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=_mp_context(),
            initializer=_init_worker,
            initargs=(self.settings, self.codes, self.cache_arg, looked_up, True),
        )

    def _submit(self, batch: list[DiscoveredFile]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        assert self.executor is not None
        for f in batch:
            self.sent.add((f.abspath, f.kind))
        try:
            future = self.executor.submit(_process_batch_pickled, batch)
        except BrokenProcessPool:  # a worker died already: see _recover
            self.lost.extend(batch)
            return
        self.futures.append(future)
        self.batches.append(batch)

    # once discovery is complete ------------------------------------------------------------
    def run(self, files: list[DiscoveredFile]) -> list[FileResult]:
        results: list[FileResult] = []
        total = len(files)
        looked_up = self.cold
        if self.executor is None and not self.cold and total >= self.MIN_POOL_FILES:
            assert self.cache_arg is not None
            results, files = _split_cached(files, self.settings, self.codes, self.cache_arg)
            looked_up = True
            if results and self.options.progress:
                self.options.progress(len(results), total)
        if self.sent:
            files = [f for f in files if (f.abspath, f.kind) not in self.sent]
        jobs = max(1, min(self.jobs, len(files) + len(self.sent) or 1))
        # Big files first so the pool stays busy; results are re-sorted afterwards.
        ordered = sorted(files, key=_size_key, reverse=True)
        batches = [ordered[i : i + self.BATCH] for i in range(0, len(ordered), self.BATCH)]
        if self.executor is None and (jobs == 1 or len(files) < self.MIN_POOL_FILES):
            results.extend(self._in_process(batches, looked_up, total, len(results)))
        else:
            if self.executor is None:
                self.executor = self._pool(jobs, looked_up)
            assert self.executor is not None
            from concurrent.futures.process import BrokenProcessPool

            with self.executor:
                for batch in batches:
                    self._submit(batch)
                for batch, future in zip(self.batches, self.futures, strict=True):
                    try:
                        payloads = future.result()
                    except BrokenProcessPool:
                        self.lost.extend(batch)
                        continue
                    self._take(_unpickle_batch(payloads), results, total)
            if self.lost:
                for result in self._recover(self.lost, looked_up):
                    self._take([result], results, total)
        results.sort(key=lambda r: (r.path, r.kind.value))
        return results

    def _take(self, batch_result: list[FileResult], results: list[FileResult], total: int) -> None:
        results.extend(batch_result)
        # The main process is idle while the workers run: analyses may start on the results
        # that are in (e.g. decoding taint summaries for the project phase).
        for r in batch_result:
            for a in self.receivers:
                if a.name in r.data:
                    a.receive(r.path, r.data[a.name])
        if self.options.progress:
            self.options.progress(len(results), total)

    def _recover(self, files: list[DiscoveredFile], looked_up: bool) -> Iterator[FileResult]:
        """The files of batches whose worker process died (a crash in native code, the
        out-of-memory killer), analysed again one at a time by a single fresh worker. A file that
        kills that worker too is reported as not analysed; the others are analysed as usual."""
        from concurrent.futures.process import BrokenProcessPool

        pending = sorted(files, key=lambda f: (f.path, f.kind.value))
        while pending:
            done = 0
            with self._pool(1, looked_up) as executor:
                futures = [executor.submit(_process_batch_pickled, [f]) for f in pending]
                for future in futures:
                    try:
                        payloads = future.result()
                    except BrokenProcessPool:
                        break
                    yield from _unpickle_batch(payloads)
                    done += 1
            if done == len(pending):
                return
            # the single worker runs its files in order: the first one not done killed it
            culprit = pending[done]
            result = FileResult(culprit.path, culprit.abspath, culprit.kind)
            result.skipped = "the process analysing it died (a crash or the out-of-memory killer)"
            result.diagnostics.append(
                _diagnostic("PWX004", "internal-error", f"not analysed: {result.skipped}", culprit.path)
            )
            yield result
            pending = pending[done + 1 :]

    def _in_process(
        self, batches: list[list[DiscoveredFile]], looked_up: bool, total: int, done: int
    ) -> list[FileResult]:
        results: list[FileResult] = []
        if not batches:
            return results
        saved_limit = sys.getrecursionlimit()
        _init_worker(self.settings, self.codes, self.cache_arg, looked_up)
        try:
            for batch in batches:
                results.extend(_process_batch(batch))
                if self.options.progress:
                    self.options.progress(done + len(results), total)
        finally:
            _WORKER["thread"].shutdown()
            if _WORKER.get("cache") is not None:
                _WORKER["cache"].close()
            threading.stack_size(0)
            sys.setrecursionlimit(saved_limit)
        return results

    def abort(self) -> None:
        """Stop the pool when discovery failed."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def _has_many_python_files(paths: Sequence[Path], many: int, max_dirs: int = 64) -> bool:
    """Whether the directories among ``paths`` hold at least ``many`` ``.py`` files, found by a
    look at no more than ``max_dirs`` folders (skipping those discovery skips by default). Only a
    guess for starting the pool early: discovery decides what is scanned."""
    found = 0
    seen = 0
    stack = [str(p) for p in paths if p.is_dir()]
    while stack and seen < max_dirs:
        seen += 1
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    name = entry.name
                    if name.endswith(".py"):
                        found += 1
                        if found >= many:
                            return True
                    elif name not in DEFAULT_EXCLUDED_DIRS and not name.startswith(".") and entry.is_dir():
                        stack.append(entry.path)
        except OSError:
            continue
    return False


def _mp_context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("forkserver" if threading.active_count() > 1 else "fork")
    return multiprocessing.get_context("spawn")


def _size_key(f: DiscoveredFile) -> int:
    try:
        return os.stat(f.abspath).st_size
    except OSError:
        return 0


def _project_model(
    root: Path,
    settings: Settings,
    results: list[FileResult],
    options: dict[str, Any],
    by_path: dict[str, FileResult],
) -> ProjectModel:
    entries = [
        FileEntry(r.path, r.abspath, r.kind, r.module, r.data, parsed=r.skipped is None) for r in results
    ]
    abspaths = {r.path: r.abspath for r in results}
    trees: dict[str, ast.Module | None] = {}

    def read_text(display: str) -> str | None:
        absolute = abspaths.get(display)
        if absolute is None:
            candidate = root / display
            absolute = str(candidate)
        try:
            data = Path(absolute).read_bytes()
        except OSError:
            return None
        try:
            from pyward.parsing import decode_source

            return decode_source(data) if absolute.endswith(".py") else data.decode("utf-8-sig")
        except Exception:
            return data.decode("latin-1")

    def parse(display: str) -> ast.Module | None:
        if display not in trees:
            absolute = abspaths.get(display)
            tree = None
            if absolute is not None:
                try:
                    tree = parse_python(Path(absolute).read_bytes(), display).tree
                except OSError:
                    tree = None
            trees[display] = tree
        return trees[display]

    return ProjectModel(root, settings, entries, dict(options), parse=parse, read_text=read_text)


def _supersede(findings: list[Finding], superseded_by: dict[str, tuple[str, ...]]) -> list[Finding]:
    if not any(superseded_by.values()):
        return findings
    at: dict[tuple[str, int], set[str]] = {}
    for f in findings:
        at.setdefault((f.span.path, f.span.line), set()).add(f.code)
    kept: list[Finding] = []
    for f in findings:
        prefixes = superseded_by.get(f.code, ())
        others = at.get((f.span.path, f.span.line), set())
        if prefixes and any(o != f.code and o.startswith(prefixes) for o in others):
            continue
        kept.append(f)
    return kept


def _path_ignored(finding: Finding, settings: Settings) -> bool:
    for glob, codes in settings.per_path_ignores:
        path_matches = fnmatch.fnmatch(finding.span.path, glob) or fnmatch.fnmatch(
            finding.span.path, glob.rstrip("/") + "/*"
        )
        if path_matches and any(finding.code.startswith(c.upper()) or c.upper() == "ALL" for c in codes):
            return True
    return False


def _apply_suppressions(
    findings: list[Finding],
    suppressions: dict[str, list[Suppression]],
    enabled: set[str],
    rules: Sequence[type[Rule]],
) -> tuple[list[Finding], int, list[Finding]]:
    bandit = {r.meta.code: r.meta.bandit for r in rules}
    used: set[tuple[str, int, int]] = set()
    kept: list[Finding] = []
    suppressed = 0
    for f in findings:
        hit = None
        for sup in suppressions.get(f.span.path, ()):
            in_range = sup.first <= f.span.line <= sup.last or sup.line == f.span.line
            if in_range and suppression_matches(sup, f.code, bandit.get(f.code, ())):
                hit = sup
                break
        if hit is None:
            kept.append(f)
        else:
            suppressed += 1
            used.add((f.span.path, hit.line, hit.col))
    diagnostics: list[Finding] = []
    for path, sups in suppressions.items():
        for sup in sups:
            if sup.kind == "pyward" and sup.codes is None and "PWX002" in enabled:
                diagnostics.append(
                    _diagnostic(
                        "PWX002",
                        "blanket-suppression",
                        "`# pyward: ignore` without codes suppresses every rule here; name the codes "
                        "(`# pyward: ignore[PWT101]`)",
                        path,
                        line=sup.line,
                    )
                )
            if "PWX003" in enabled and (path, sup.line, sup.col) not in used:
                what = "# pyward: ignore" if sup.kind == "pyward" else "# nosec"
                listed = f"[{', '.join(sup.codes)}]" if sup.codes else ""
                diagnostics.append(
                    _diagnostic(
                        "PWX003",
                        "unused-suppression",
                        f"unused suppression `{what}{listed}`",
                        path,
                        line=sup.line,
                    )
                )
    return kept, suppressed, diagnostics


def _fingerprinted(findings: list[Finding]) -> list[Finding]:
    occurrences: Counter[tuple[str, str, str]] = Counter()
    out: list[Finding] = []
    for f in sorted(findings, key=Finding.sort_key):
        context = " ".join(f.snippet.split())
        key = (f.code, f.span.path, context or "\0" + f.message)
        n = occurrences[key]
        occurrences[key] += 1
        out.append(replace(f, fingerprint=fingerprint(f.code, f.span.path, key[2], n)))
    return out
