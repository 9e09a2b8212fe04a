"""``pyward db update|import|status`` and ``pyward deps``: registered into the core CLI.

Handlers print human messages and return an exit code (0 ok, 2 usage, 3 could not complete);
they never let a traceback out for bad input, network failures or damaged files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pyward.deps.paths import popular_list_path, resolve_db_path

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

#: Diagnostics that belong to the dependency audit (``pyward deps`` keeps them with the PWD rules).
DEPS_DIAGNOSTICS = frozenset({"PWX010", "PWX011", "PWX012"})


def _err(message: str) -> None:
    print(f"pyward: {message}", file=sys.stderr)


def _add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="advisory database file (default: user cache dir, or $PYWARD_DB)",
    )


def register(subparsers: Any) -> None:
    """Add the ``db`` and ``deps`` commands to the core CLI's subparsers."""
    from pyward.deps.paths import DEFAULT_POPULAR_URL, DEFAULT_SOURCES

    db = subparsers.add_parser("db", help="manage the local advisory database")
    db.set_defaults(handler=_db_help(db))
    db_sub = db.add_subparsers(dest="db_command", metavar="SUBCOMMAND", parser_class=type(db))

    update = db_sub.add_parser("update", help="download advisory sources and rebuild the database atomically")
    update.add_argument(
        "--source",
        action="append",
        metavar="URL",
        help=f"OSV zip URL to download (repeatable; default: {', '.join(DEFAULT_SOURCES)})",
    )
    update.add_argument(
        "--popular-url",
        default=DEFAULT_POPULAR_URL,
        metavar="URL",
        help="top-pypi-packages JSON for typosquatting checks ('' to skip; default: %(default)s)",
    )
    update.add_argument("--timeout", type=float, default=60.0, help="network timeout in seconds (default 60)")
    update.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    _add_db_option(update)
    update.set_defaults(handler=run_db_update)

    imp = db_sub.add_parser(
        "import", help="build the database from local OSV data (directories, git checkouts, zips)"
    )
    imp.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="directory, git checkout or .zip of OSV records"
    )
    imp.add_argument(
        "--popular", type=Path, metavar="FILE", help="a top-pypi-packages JSON file to install beside it"
    )
    _add_db_option(imp)
    imp.set_defaults(handler=run_db_import)

    status = db_sub.add_parser("status", help="show sources, record counts and age of the database")
    status.add_argument("--format", choices=("text", "json"), default="text")
    _add_db_option(status)
    status.set_defaults(handler=run_db_status)

    from pyward.cli import EPILOG, add_report_arguments

    deps = subparsers.add_parser(
        "deps",
        help="audit dependency manifests, lock files or an installed environment",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    deps.add_argument("paths", nargs="*", type=Path, default=[], help="manifests or directories (default .)")
    env = deps.add_mutually_exclusive_group()
    env.add_argument(
        "--python", type=Path, metavar="PATH", help="audit the distributions installed for this interpreter"
    )
    env.add_argument("--env", action="store_true", help="audit the environment pyward runs in")
    deps.add_argument("--fix", action="store_true", help="rewrite pins to the smallest safe versions")
    deps.add_argument("--dry-run", action="store_true", help="with --fix: show the diff, change nothing")
    add_report_arguments(deps)
    deps.set_defaults(handler=run_deps)


def _db_help(parser: argparse.ArgumentParser) -> Any:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return handler


# --------------------------------------------------------------------------------------------
# db


def _report_build(result: Any, verb: str) -> None:
    print(f"advisory database {verb}: {result.path}")
    for st in result.sources:
        rev = f" at {st.revision[:12]}" if st.revision else ""
        print(
            f"  {st.label}{rev}: {st.records} PyPI records from {st.files} files"
            f" ({st.withdrawn} withdrawn, {st.other} other ecosystems, {st.failed} failed to parse)"
        )
        for line in st.errors[:5]:
            print(f"    failed: {line}", file=sys.stderr)
        if st.failed > 5:
            print(f"    ... and {st.failed - 5} more records that failed to parse", file=sys.stderr)
    if result.popular is not None:
        print(f"  popular-packages list: {result.popular}")


def run_db_update(args: argparse.Namespace) -> int:
    from pyward.deps.advisories.db import AdvisoryDbError
    from pyward.deps.advisories.importer import SourceError
    from pyward.deps.advisories.update import (
        DEFAULT_SOURCES,
        DownloadError,
        DownloadLimits,
        progress_bar,
        update_database,
    )

    target = resolve_db_path(args.db)
    sources = list(args.source or DEFAULT_SOURCES)
    if args.timeout <= 0:
        _err("--timeout must be positive")
        return EXIT_USAGE
    show = not args.no_progress and sys.stderr.isatty()
    try:
        with progress_bar(show) as progress:
            result = update_database(
                target,
                sources,
                args.popular_url or None,
                limits=DownloadLimits(timeout=args.timeout),
                progress=progress,
            )
    except (DownloadError, SourceError, AdvisoryDbError) as exc:
        kept = (
            f"the existing database at {target} is unchanged"
            if target.exists()
            else "no database was written"
        )
        _err(f"db update failed: {exc}; {kept}")
        return EXIT_INCOMPLETE
    except KeyboardInterrupt:
        _err(f"db update interrupted; the existing database at {target} is unchanged")
        return 130
    _report_build(result, "updated")
    return EXIT_OK


def run_db_import(args: argparse.Namespace) -> int:
    from pyward.deps.advisories.db import AdvisoryDbError
    from pyward.deps.advisories.importer import SourceError, SourceInput, build_database

    target = resolve_db_path(args.db)
    popular: bytes | None = None
    if args.popular is not None:
        try:
            popular = args.popular.read_bytes()
        except OSError as exc:
            _err(f"cannot read {args.popular}: {exc.strerror or exc}")
            return EXIT_USAGE
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        _err(f"no such file or directory: {missing[0]}")
        return EXIT_USAGE
    from pyward.deps.advisories.update import progress_bar

    try:
        with progress_bar(sys.stderr.isatty()) as progress:
            result = build_database(
                target,
                [SourceInput(p, location=str(p)) for p in args.paths],
                popular=popular,
                popular_where=str(args.popular or ""),
                progress=progress,
            )
    except (SourceError, AdvisoryDbError) as exc:
        kept = (
            f"the existing database at {target} is unchanged"
            if target.exists()
            else "no database was written"
        )
        _err(f"db import failed: {exc}; {kept}")
        return EXIT_INCOMPLETE
    _report_build(result, "built")
    return EXIT_OK


def run_db_status(args: argparse.Namespace) -> int:
    import dataclasses
    import datetime as _dt
    import json

    from pyward.deps.advisories.db import AdvisoryDatabase, AdvisoryDbError

    target = resolve_db_path(args.db)
    try:
        with AdvisoryDatabase.open(target) as db:
            status = db.status()
    except AdvisoryDbError as exc:
        _err(str(exc))
        return EXIT_INCOMPLETE
    age = status.age_days()
    popular = popular_list_path(target)
    if args.format == "json":
        doc = {
            "path": status.path,
            "schema_version": status.schema_version,
            "built_at": status.built_at.isoformat(),
            "age_days": round(age, 2),
            "pyward_version": status.pyward_version,
            "records": status.records,
            "packages": status.packages,
            "size_bytes": status.size_bytes,
            "newest_record_modified": status.newest_modified,
            "sources": [dataclasses.asdict(s) for s in status.sources],
            "popular_list": str(popular) if popular.is_file() else None,
        }
        print(json.dumps(doc, indent=2, default=str))
        return EXIT_OK
    built = status.built_at.astimezone(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(f"advisory database: {status.path}")
    print(
        f"  built {built} ({age:.1f} days ago) by pyward {status.pyward_version}, schema {status.schema_version}"
    )
    print(f"  {status.records} records for {status.packages} PyPI packages, {status.size_bytes // 1024} KiB")
    if status.newest_modified:
        print(f"  newest record modified {status.newest_modified}")
    for s in status.sources:
        rev = f" at {s.revision[:12]}" if s.revision else ""
        print(
            f"  source {s.label}{rev} ({s.kind}, {s.location}): {s.records} records, imported {s.imported_at}"
        )
        if s.failed:
            print(f"    {s.failed} records failed to parse during import")
    print(f"  popular-packages list: {popular if popular.is_file() else 'missing (run pyward db update)'}")
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# deps


def _deps_rule_filter(rule: Any) -> bool:
    code = str(rule.meta.code)
    return code.startswith("PWD") or code in DEPS_DIAGNOSTICS


def run_deps(args: argparse.Namespace) -> int:
    """``pyward deps``: the scan engine restricted to dependency rules (plus --python/--env/--fix)."""
    from pyward import cli as core
    from pyward.engine import ScanOptions, scan

    if args.dry_run and not args.fix:
        _err("--dry-run only makes sense with --fix")
        return EXIT_USAGE
    paths: list[Path] = list(args.paths)
    formats = list(args.format or ["text"])
    outputs = list(args.output or [])
    if len(outputs) > len(formats) and not (len(formats) == 1 and len(outputs) == 1):
        _err("more --output than --format options: pair each --output with a --format")
        return EXIT_USAGE
    settings = core.load_settings_for(args, paths or [Path(".")])
    options: dict[str, Any] = {"db": args.db}
    if args.python is not None or args.env:
        python = str(args.python) if args.python is not None else sys.executable
        if args.python is not None and not args.python.exists():
            _err(f"--python: no such interpreter: {args.python}")
            return EXIT_USAGE
        try:
            from pyward.deps.manifests import read_environment

            options["environment"] = read_environment(python)
        except Exception as exc:  # a broken interpreter or environment is a clear error, not a traceback
            _err(f"cannot read the installed distributions of {python}: {exc}")
            return EXIT_INCOMPLETE
    baseline = args.baseline
    if baseline is not None and not baseline.is_file():
        _err(f"baseline file not found: {baseline}")
        return EXIT_USAGE

    # Files named on the command line that discovery would not take for manifests (prod.txt,
    # requirements/base.txt) are read as requirements files here rather than skipped silently.
    from pyward.deps.manifests import manifest_kind

    named = [p for p in paths if p.is_file() and manifest_kind(p.name) is None]
    for p in named:
        if p.suffix.lower() not in (".txt", ".in"):
            _err(
                f"{p}: not a dependency manifest pyward can read (requirements .txt/.in, pyproject.toml, lock files...)"
            )
            return EXIT_USAGE
    others = [p for p in paths if p not in named]
    cwd = Path.cwd()

    def run() -> Any:
        import tempfile

        if named:
            options["manifests"] = [_parse_named(p, cwd, settings.target_python) for p in named]
        with tempfile.TemporaryDirectory(prefix="pyward-env-") as empty:
            only_extra = not others and (bool(named) or "environment" in options)
            scan_paths = others or ([Path(empty)] if only_extra else [Path(".")])
            return scan(
                ScanOptions(
                    paths=scan_paths,
                    root=cwd if only_extra else None,
                    settings=settings,
                    jobs=args.jobs,
                    cache_dir=args.cache_dir,
                    use_cache=not args.no_cache,
                    options=options,
                    rule_filter=_deps_rule_filter,
                    baseline=baseline,
                    exclude=tuple(args.exclude or ()),
                )
            )

    report = run()
    if args.fix:
        code = _apply_fix(report, dry_run=args.dry_run)
        if code != EXIT_OK:
            return code
        if not args.dry_run:
            report = run()
    if args.write_baseline is not None:
        from pyward.baseline import write_baseline

        count = write_baseline(args.write_baseline, report.findings)
        print(f"pyward: wrote {count} finding(s) to baseline {args.write_baseline}", file=sys.stderr)
    core.emit(report, formats, outputs, color=args.color, quiet=args.quiet)
    return core.exit_code(report, settings.fail_on)


def _parse_named(path: Path, root: Path, target: str | None) -> Any:
    from pyward.deps.manifests import parse_manifest
    from pyward.deps.types import ManifestProblem, ManifestResult

    absolute = path.absolute()
    try:
        shown = absolute.relative_to(root).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    try:
        raw = absolute.read_bytes()
    except OSError as exc:
        return ManifestResult(problems=(ManifestProblem(shown, 0, f"cannot read: {exc.strerror or exc}"),))
    text = raw.decode("utf-8-sig", errors="replace")
    if target:
        return parse_manifest(shown, absolute, text, target=target, kind="requirements")
    return parse_manifest(shown, absolute, text, kind="requirements")


def fix_targets(findings: Any) -> dict[str, str]:
    """normalised package -> the version to pin, from PWD901 findings (highest when several differ)."""
    from packaging.version import InvalidVersion, Version

    targets: dict[str, str] = {}
    for f in findings:
        if f.code != "PWD901":
            continue
        name, fix = f.properties.get("package"), f.properties.get("fix")
        if not isinstance(name, str) or not isinstance(fix, str):
            continue
        current = targets.get(name)
        try:
            if current is None or Version(fix) > Version(current):
                targets[name] = fix
        except InvalidVersion:
            continue
    return targets


def _apply_fix(report: Any, *, dry_run: bool) -> int:
    targets = fix_targets(report.findings)
    if not targets:
        print("pyward: nothing to fix: no vulnerable pin has a known safe version", file=sys.stderr)
        return EXIT_OK
    root = Path(report.root)
    files = sorted({root / f.span.path for f in report.findings if f.code == "PWD901"})
    try:
        from pyward.deps.fix import apply_fixes
    except ImportError:
        _err("--fix is not available in this build (pyward.deps.fix is missing)")
        return EXIT_INCOMPLETE
    try:
        result = apply_fixes(files, targets, dry_run=dry_run)
    except OSError as exc:
        _err(f"--fix failed: {exc}")
        return EXIT_INCOMPLETE
    diff = getattr(result, "diff", "")
    if dry_run and diff:
        sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    for message in getattr(result, "messages", ()) or ():
        print(f"pyward: {message}", file=sys.stderr)
    changed = getattr(result, "changed", None)
    if changed is not None and not dry_run:
        print(f"pyward: rewrote {len(changed)} file(s)", file=sys.stderr)
    return EXIT_OK
