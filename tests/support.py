"""Helpers shared by the tests: run the real engine, read inline expectations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyward.engine import ScanOptions, scan
from pyward.model import Finding, Report
from pyward.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO.parent / "shared" / "data").resolve()
FIXTURES = REPO / "tests" / "fixtures"

_EXPECT_RE = re.compile(r"\bexpect:\s*((?:PW[TACDX]\d{3}\s*,?\s*)+)")
_OK_RE = re.compile(r"\bok:\s*((?:PW[TACDX]\d{3}\s*,?\s*)+)")
_CODE_RE = re.compile(r"PW[TACDX]\d{3}")
_HEADER_RE = re.compile(r"fixture:\s*(.*?)\s*(?:#}|-->|$)")


@dataclass
class Expectations:
    expect: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    ok: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    select: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    options: dict[str, str] = field(default_factory=dict)

    def families(self) -> set[str]:
        codes = {c for s in [*self.expect.values(), *self.ok.values()] for c in s}
        return {c[:3] for c in codes}

    def in_scope(self, code: str) -> bool:
        scope = self.select or sorted(self.families())
        return any(code.startswith(p) for p in scope)


def read_expectations(files: Iterable[tuple[str, Path]]) -> Expectations:
    """``files``: (display path, file). Annotations: ``expect: CODE[, CODE]`` / ``ok: CODE`` anywhere
    on a line (any comment syntax), and a ``fixture: select=PWT,PWA201 flag key=value`` header."""
    exp = Expectations()
    for display, path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            m = _EXPECT_RE.search(line)
            if m:
                exp.expect.setdefault((display, lineno), set()).update(_CODE_RE.findall(m.group(1)))
            m = _OK_RE.search(line)
            if m:
                exp.ok.setdefault((display, lineno), set()).update(_CODE_RE.findall(m.group(1)))
            h = _HEADER_RE.search(line)
            if h and line.lstrip().startswith(("#", "{#", "<!--", "//")):
                for token in h.group(1).split():
                    if token.startswith("select="):
                        exp.select.extend(c for c in token[7:].split(",") if c)
                    elif "=" in token:
                        key, _, value = token.partition("=")
                        exp.options[key] = value
                    else:
                        exp.flags.add(token)
    return exp


def run_scan(
    paths: Sequence[Path],
    *,
    root: Path | None = None,
    settings: Settings | None = None,
    options: dict[str, Any] | None = None,
    jobs: int = 1,
) -> Report:
    return scan(
        ScanOptions(
            paths=list(paths),
            root=root,
            settings=settings or Settings(),
            jobs=jobs,
            use_cache=False,
            options=dict(options or {}),
        )
    )


def compare(report: Report, exp: Expectations) -> list[str]:
    """Differences between findings and annotations: every problem as one line."""
    problems: list[str] = []
    actual: dict[tuple[str, int], set[str]] = {}
    for f in report.findings:
        if exp.in_scope(f.code):
            actual.setdefault((f.span.path, f.span.line), set()).add(f.code)
    for key in sorted(set(actual) | set(exp.expect)):
        want = exp.expect.get(key, set())
        got = actual.get(key, set())
        for code in sorted(want - got):
            problems.append(f"{key[0]}:{key[1]}: missing {code}")
        for code in sorted(got - want):
            msgs = [
                f.message for f in report.findings if (f.span.path, f.span.line) == key and f.code == code
            ]
            problems.append(f"{key[0]}:{key[1]}: unexpected {code} ({msgs[0] if msgs else ''})")
    for key, codes in exp.ok.items():
        for code in codes & exp.expect.get(key, set()):
            problems.append(f"{key[0]}:{key[1]}: {code} is both expected and ok")
    for d in report.diagnostics:
        if d.code in {"PWX001", "PWX004", "PWX005"} and "allow-diagnostics" not in exp.flags:
            problems.append(f"{d.span.path}:{d.span.line}: diagnostic {d.code} {d.message}")
    return problems


def codes_at(findings: Iterable[Finding]) -> set[tuple[int, str]]:
    return {(f.span.line, f.code) for f in findings}
