"""The data every part of pyward exchanges: severities, locations, findings and the report.

Everything here is a frozen dataclass or an enum, so values are hashable, picklable (they cross
process boundaries and live in the cache) and safe to share.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """How bad a finding is if it is true. Ordered: ``INFO < LOW < ... < CRITICAL``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: {', '.join(s.label for s in cls)})"
            ) from None


class Confidence(enum.IntEnum):
    """How sure pyward is that a finding is true. Ordered: ``LOW < MEDIUM < HIGH``."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Confidence:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown confidence {text!r} (expected one of: {', '.join(c.label for c in cls)})"
            ) from None


class FileKind(enum.Enum):
    """What discovery decided a file is."""

    PYTHON = "python"
    TEMPLATE = "template"
    MANIFEST = "manifest"
    CONFIG = "config"


@dataclass(frozen=True, order=True)
class Span:
    """A region of a file. Lines are 1-based, columns 0-based (as in ``ast``).

    ``path`` is the path as shown to the user: relative to the project root when the file is
    inside it, else absolute, always with ``/`` separators.
    """

    path: str
    line: int
    col: int = 0
    end_line: int | None = None
    end_col: int | None = None

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.line


@dataclass(frozen=True)
class TraceStep:
    """One hop of a taint trace: where the value was, and a short label (``source``, ``call``...)."""

    span: Span
    label: str


@dataclass(frozen=True)
class Replacement:
    """Replace the text in ``span`` (which must have end_line/end_col) by ``text``."""

    span: Span
    text: str


@dataclass(frozen=True)
class Fix:
    """A suggested fix: always a description, optionally concrete edits."""

    description: str
    replacements: tuple[Replacement, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One result. Rule findings and pyward's own ``PWX`` diagnostics share this type."""

    code: str
    name: str
    message: str
    span: Span
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...] = ()
    trace: tuple[TraceStep, ...] = ()
    fix: Fix | None = None
    #: The stripped source line(s) of the finding; filled by the engine when empty.
    snippet: str = ""
    #: A stable identity that survives line moves; filled by the engine (see :func:`fingerprint`).
    fingerprint: str = ""
    #: Free-form, JSON-serialisable extra data for a rule family (e.g. advisory ids).
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_diagnostic(self) -> bool:
        return self.code.startswith("PWX")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.path, self.span.line, self.span.col, self.code, self.message)


def fingerprint(code: str, path: str, context: str, occurrence: int) -> str:
    """A line-number-free identity: rule, file and the normalised code context, plus how many
    identical (rule, file, context) findings came before this one in the file."""
    import hashlib  # here, not at import: OpenSSL's start-up is wasted on a scan without findings

    normalised = " ".join(context.split())
    digest = hashlib.sha256(f"{code}\0{path}\0{normalised}\0{occurrence}".encode()).hexdigest()
    return digest[:32]


@dataclass(frozen=True, order=True)
class SkippedFile:
    """A file that was found but not (fully) analysed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Report:
    """Everything a formatter needs. Findings and diagnostics are sorted deterministically."""

    version: str
    root: str
    findings: tuple[Finding, ...]
    diagnostics: tuple[Finding, ...]
    files_scanned: tuple[str, ...]
    files_skipped: tuple[SkippedFile, ...]
    timings: Mapping[str, float] = field(default_factory=dict, hash=False, compare=False)
    #: Findings removed by suppressions or the baseline, for statistics.
    suppressed: int = 0
    baselined: int = 0
    #: Checks that were requested but could not be carried out (exit code 3).
    incomplete: tuple[str, ...] = ()
