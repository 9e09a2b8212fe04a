"""Terminal output with ``rich``: findings grouped by file, the code line with a marker, the
trace, a fix hint, and a summary. Colour only when writing to a terminal."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pyward.model import Finding, Report, Severity

_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}


def _fix_hint(f: Finding) -> str | None:
    if f.fix is not None:
        return f.fix.description
    hint = f.properties.get("hint") if f.properties else None
    return str(hint) if hint else None


def render_text(report: Report, stream: TextIO, *, color: bool | None = None, quiet: bool = False) -> None:
    force = color if color is not None else None
    console = Console(
        file=stream,
        force_terminal=force,
        no_color=color is False,
        highlight=False,
        soft_wrap=True,
        width=120 if not stream.isatty() else None,
    )
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.span.path, []).append(f)
    for path, findings in by_file.items():
        console.print(f"[bold underline]{escape(path)}[/]")
        for f in findings:
            cwe = ", ".join(f"CWE-{c}" for c in f.cwe)
            console.print(
                f"  [bold]{f.span.line}:{f.span.col + 1}[/]  [{_STYLE[f.severity]}]{f.code}[/] "
                f"[{_STYLE[f.severity]}]{f.severity.label}[/]/{f.confidence.label}  {escape(f.message)}"
                + (f"  [dim]({cwe})[/]" if cwe else "")
            )
            if not quiet and f.snippet:
                first = f.snippet.splitlines()[0]
                stripped = first.lstrip()
                console.print(f"      [dim]{f.span.line:>5} |[/] {escape(stripped)}")
                indent = len(first) - len(stripped)
                start = max(f.span.col - indent, 0)
                if f.span.end_line == f.span.line and f.span.end_col is not None:
                    width = max(f.span.end_col - f.span.col, 1)
                else:
                    width = max(len(stripped) - start, 1)
                console.print(f"      [dim]      |[/] {' ' * start}[{_STYLE[f.severity]}]{'^' * width}[/]")
            if not quiet and f.trace:
                for i, step in enumerate(f.trace):
                    arrow = "└─" if i == len(f.trace) - 1 else "├─"
                    console.print(
                        f"        [dim]{arrow}[/] {escape(step.span.path)}:{step.span.line}  {escape(step.label)}"
                    )
            hint = _fix_hint(f)
            if not quiet and hint:
                console.print(f"        [green]fix:[/] {escape(hint)}")
        console.print()
    if report.diagnostics and not quiet:
        console.print("[bold]Diagnostics[/]")
        for d in report.diagnostics:
            console.print(f"  [dim]{d.code}[/] {escape(d.span.path)}:{d.span.line}  {escape(d.message)}")
        console.print()
    for text in report.incomplete:
        console.print(f"[bold red]could not complete:[/] {escape(text)}")
    counts = Counter(f.severity for f in report.findings)
    if quiet:
        console.print(
            f"{len(report.findings)} finding(s) in {len(report.files_scanned)} file(s)"
            + (f"; {len(report.files_skipped)} not analysed" if report.files_skipped else "")
        )
        return
    table = Table(title=None, show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("findings", justify="right")
    for sev in sorted(Severity, reverse=True):
        table.add_column(sev.label, justify="right")
    table.add_column("files", justify="right")
    table.add_column("not analysed", justify="right")
    table.add_column("suppressed", justify="right")
    table.add_column("time", justify="right")
    table.add_row(
        str(len(report.findings)),
        *(str(counts.get(sev, 0)) for sev in sorted(Severity, reverse=True)),
        str(len(report.files_scanned)),
        str(len(report.files_skipped)),
        str(report.suppressed + report.baselined),
        f"{report.timings.get('total', 0.0):.2f}s",
    )
    console.print(table)
    if report.files_skipped:
        console.print("[bold]Not analysed[/]")
        for s in report.files_skipped:
            console.print(f"  {escape(s.path)}: {escape(s.reason)}")
    if not report.findings and not report.incomplete:
        console.print("[green]No findings.[/]")
