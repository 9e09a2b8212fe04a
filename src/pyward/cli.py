"""Command line: ``pyward scan|rules|explain|deps|db``. Wiring only; the work is in the engine.

Exit codes:
  0  no finding at or above ``--fail-on``
  1  findings at or above ``--fail-on``
  2  usage or configuration error
  3  a requested check could not be completed (e.g. no advisory database) and no finding
     reached ``--fail-on`` — the result is NOT clean
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from pyward import __version__

if TYPE_CHECKING:
    # The data model and the rule registry are imported by the commands that use them, so that
    # ``--help``/``--version`` and argument errors stay cheap.
    from pyward.model import Confidence, Report, Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3

EPILOG = """exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage or configuration error
  3  a requested check could not be completed (e.g. no advisory database); never a clean result
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would sys.exit(2) itself; keep control here
        raise UsageError(f"{self.prog}: error: {message}")


def _severity(text: str) -> Severity:
    from pyward.model import Severity

    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _confidence(text: str) -> Confidence:
    from pyward.model import Confidence

    try:
        return Confidence.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.split(",") if c.strip()]


def add_report_arguments(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that produces a report (scan, deps)."""
    p.add_argument(
        "--format",
        "-f",
        action="append",
        choices=("text", "json", "sarif"),
        help="output format (repeatable, paired with --output in order); default text",
    )
    p.add_argument(
        "--output",
        "-o",
        action="append",
        metavar="FILE",
        help="write the report to FILE instead of stdout (repeatable)",
    )
    p.add_argument(
        "--select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="only these codes or prefixes (comma-separated)",
    )
    p.add_argument(
        "--extend-select",
        type=_codes,
        action="extend",
        metavar="CODES",
        help="add codes to the selection (enables rules that are off by default)",
    )
    p.add_argument(
        "--ignore", type=_codes, action="extend", metavar="CODES", help="skip these codes or prefixes"
    )
    p.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="exclude paths matching GLOB"
    )
    p.add_argument("--severity", type=_severity, help="report findings at or above this severity")
    p.add_argument("--confidence", type=_confidence, help="report findings at or above this confidence")
    p.add_argument(
        "--fail-on", type=_severity, help="exit 1 when a finding reaches this severity (default low)"
    )
    p.add_argument("--jobs", "-j", type=int, help="worker processes (default: CPU count)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument(
        "--cache-dir", type=Path, help="cache directory (default .pyward_cache/ at the project root)"
    )
    p.add_argument("--baseline", type=Path, help="report only findings not in this baseline file")
    p.add_argument("--write-baseline", type=Path, metavar="FILE", help="write all current findings to FILE")
    p.add_argument(
        "--warn-unused-ignores", action="store_true", help="report suppressions that suppress nothing"
    )
    p.add_argument(
        "--local-sources",
        action="store_true",
        help="taint: also follow data from argv, env, input() and files",
    )
    p.add_argument("--config", type=Path, help="read settings from this file instead of searching")
    p.add_argument("--db", type=Path, help="advisory database (default: user cache dir, or $PYWARD_DB)")
    p.add_argument("--quiet", "-q", action="store_true", help="only findings and a one-line summary")
    p.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    color = p.add_mutually_exclusive_group()
    color.add_argument("--color", dest="color", action="store_const", const=True, help="force colour")
    color.add_argument("--no-color", dest="color", action="store_const", const=False, help="no colour")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pyward",
        description="Security auditor for Python projects: code, framework configuration and dependencies.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pyward {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = sub.add_parser(
        "scan",
        help="audit a project (default: the current directory)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scan.add_argument("paths", nargs="*", type=Path, default=[], help="files or directories (default .)")
    add_report_arguments(scan)

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--all", action="store_true", help="include pyward's own diagnostics (PWX)")

    explain = sub.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code", help="rule code, e.g. PWT101 (or a rule name)")

    try:
        deps_cli = importlib.import_module("pyward.deps.cli")
    except ImportError:  # pragma: no cover - ships with pyward
        deps_cli = None
    if deps_cli is not None and hasattr(deps_cli, "register"):
        deps_cli.register(sub)
    return parser


#: Set by :func:`entry`: the process ends when ``main`` returns, so what a scan built is kept
#: here rather than freed (freeing a large project's syntax summaries and graph takes a while).
_RETAIN: list[Any] | None = None


def entry() -> NoReturn:
    """The ``pyward`` command: :func:`main`, then exit without freeing every object one by one
    (exit handlers still run and output is flushed)."""
    global _RETAIN
    _RETAIN = []
    code = main()
    _hard_exit(code)


def _hard_exit(code: int) -> NoReturn:
    import atexit

    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                # a closed pipe (``pyward scan | head``): what the interpreter returns when
                # flushing its standard streams fails at exit
                code = 120
        os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0) if isinstance(exc.code, int) else 0
    if args.command is None:
        try:
            args = parser.parse_args(["scan", *list(sys.argv[1:] if argv is None else argv)])
        except UsageError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    command = args.command
    try:
        if command == "scan":
            return run_scan(args)
        if command == "rules":
            return run_rules(args)
        if command == "explain":
            return run_explain(args)
        handler = getattr(args, "handler", None)
        if handler is not None:
            return int(handler(args))
        parser.print_help()
        return EXIT_USAGE
    except UsageError as exc:
        print(f"pyward: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pyward: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # ``pyward rules | head``
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        # A RegistryError (bad third-party rules) can only come from an imported registry.
        registry = sys.modules.get("pyward.registry")
        if registry is not None and isinstance(exc, registry.RegistryError):
            print(f"pyward: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        raise


# ---------------------------------------------------------------------------------------------
# scan


def load_settings_for(args: argparse.Namespace, paths: Sequence[Path]) -> Any:
    from pyward.settings import ConfigError, find_config, load_settings

    try:
        if getattr(args, "config", None) is not None:
            if not args.config.is_file():
                raise UsageError(f"config file not found: {args.config}")
            settings = load_settings(args.config)
        else:
            start = paths[0] if paths else Path.cwd()
            settings = load_settings(find_config(start if start.exists() else Path.cwd()))
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    overrides: dict[str, Any] = {
        "severity": args.severity,
        "confidence": args.confidence,
        "fail_on": args.fail_on,
        "jobs": args.jobs,
    }
    if args.select:
        # As in Ruff, a selection on the command line is applied after the configuration's
        # select/ignore: it replaces both (command-line --ignore still applies).
        overrides["select"] = tuple(args.select)
        overrides["ignore"] = ()
        overrides["extend_select"] = ()
    if args.extend_select:
        overrides["extend_select"] = tuple(settings.extend_select) + tuple(args.extend_select)
    if args.ignore:
        base_ignore = () if args.select else tuple(settings.ignore)
        overrides["ignore"] = base_ignore + tuple(args.ignore)
    if args.warn_unused_ignores:
        overrides["warn_unused_ignores"] = True
    if args.local_sources:
        overrides["local_sources"] = True
    return settings.with_overrides(**overrides)


def run_scan(
    args: argparse.Namespace, *, rule_filter: Any = None, extra_options: dict[str, Any] | None = None
) -> int:
    from pyward.baseline import BaselineError, write_baseline
    from pyward.engine import ScanOptions, scan

    paths = list(args.paths) or [Path(".")]
    formats = list(args.format or ["text"])
    outputs = list(args.output or [])
    if len(outputs) > len(formats):
        if len(formats) == 1 and len(outputs) == 1:
            pass
        else:
            raise UsageError("more --output than --format options: pair each --output with a --format")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    settings = load_settings_for(args, paths)
    baseline = args.baseline or (
        Path(settings.baseline) if settings.baseline and not args.write_baseline else None
    )
    if baseline is not None and not baseline.is_file():
        raise UsageError(f"baseline file not found: {baseline}")
    options: dict[str, Any] = {"db": args.db}
    options.update(extra_options or {})
    show_progress = not args.quiet and not args.no_progress and sys.stderr.isatty()
    with _progress(show_progress) as progress:
        try:
            report = scan(
                ScanOptions(
                    paths=paths,
                    settings=settings,
                    jobs=args.jobs,
                    cache_dir=args.cache_dir,
                    use_cache=not args.no_cache,
                    options=options,
                    rule_filter=rule_filter,
                    baseline=baseline,
                    exclude=tuple(args.exclude or ()),
                    progress=progress,
                    retain=_RETAIN,
                )
            )
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    if args.write_baseline is not None:
        count = write_baseline(args.write_baseline, report.findings)
        print(f"pyward: wrote {count} finding(s) to baseline {args.write_baseline}", file=sys.stderr)
    try:
        emit(report, formats, outputs, color=args.color, quiet=args.quiet)
    except BrokenPipeError:
        # ``pyward scan . | head``: the reader has gone; the scan's result still decides the code
        _silence_stdout()
    return exit_code(report, settings.fail_on)


def _silence_stdout() -> None:
    """After a broken pipe: send what is still buffered for stdout to the null device, so that
    flushing at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def exit_code(report: Report, fail_on: Severity) -> int:
    if any(f.severity >= fail_on for f in report.findings):
        return EXIT_FINDINGS
    if report.incomplete:
        return EXIT_INCOMPLETE
    return EXIT_OK


def emit(report: Report, formats: list[str], outputs: list[str], *, color: bool | None, quiet: bool) -> None:
    from pyward.baseline import atomic_write_text
    from pyward.output import render

    for i, fmt in enumerate(formats):
        target = outputs[i] if i < len(outputs) else None
        if target is None or target == "-":
            render(report, fmt, sys.stdout, color=color, quiet=quiet)
        else:
            buffer = io.StringIO()
            render(report, fmt, buffer, color=False, quiet=quiet)
            try:
                atomic_write_text(Path(target), buffer.getvalue())
            except OSError as exc:
                raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("scanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("scan", total=None)
    started = [False]

    def update(done: int, total: int) -> None:
        if not started[0] and total > 50:
            progress.start()
            started[0] = True
        progress.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if started[0]:
            progress.stop()


# ---------------------------------------------------------------------------------------------
# rules / explain


def run_rules(args: argparse.Namespace) -> int:
    import json

    from pyward.registry import all_rules

    rules = [r for r in all_rules() if args.all or not r.meta.code.startswith("PWX")]
    if args.format == "json":
        payload = [
            {
                "code": r.meta.code,
                "name": r.meta.name,
                "summary": r.meta.summary,
                "severity": r.meta.severity.label,
                "confidence": r.meta.confidence.label,
                "cwe": [f"CWE-{c}" for c in r.meta.cwe],
                "status": r.meta.status,
                "bandit": list(r.meta.bandit),
                "default_enabled": r.meta.default_enabled,
            }
            for r in rules
        ]
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None)
    for col in ("code", "name", "severity", "confidence", "CWE", "status", "bandit", "summary"):
        table.add_column(col)
    for r in rules:
        m = r.meta
        table.add_row(
            m.code,
            m.name,
            m.severity.label,
            m.confidence.label,
            ", ".join(f"CWE-{c}" for c in m.cwe),
            m.status + ("" if m.default_enabled else " (off)"),
            ", ".join(m.bandit) or "-",
            m.summary,
        )
    Console(soft_wrap=True, width=None if sys.stdout.isatty() else 220).print(table)
    return EXIT_OK


def explain_text(code: str) -> str | None:
    from pyward.registry import all_rules, rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        rule = next((r for r in all_rules() if r.meta.name == code.lower()), None)
    if rule is None:
        return None
    m = rule.meta
    lines = [
        f"{m.code} {m.name}: {m.summary}",
        f"severity: {m.severity.label}   confidence: {m.confidence.label}   status: {m.status}"
        + ("   (off by default)" if not m.default_enabled else ""),
    ]
    if m.cwe:
        lines.append("CWE: " + ", ".join(f"CWE-{c}" for c in m.cwe))
    if m.bandit:
        lines.append("Bandit: " + ", ".join(m.bandit))
    doc = rule.doc()
    for title in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        body = doc.sections.get(title)
        if body:
            lines += ["", f"## {title}", body]
    return "\n".join(lines) + "\n"


def run_explain(args: argparse.Namespace) -> int:
    text = explain_text(args.code)
    if text is None:
        print(f"pyward: unknown rule {args.code!r}; `pyward rules` lists them", file=sys.stderr)
        return EXIT_USAGE
    _write(sys.stdout, text)
    return EXIT_OK


def _write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.write(text.encode("ascii", "replace").decode())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
