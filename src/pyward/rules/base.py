"""Rule metadata and the rule base classes.

One rule per module. A rule module defines exactly one subclass of :class:`Rule` (usually of
:class:`AstRule`, or a family base such as ``TaintRule``) with a class attribute ``meta`` and a
docstring with the sections *What it does*, *Why is this bad?*, *Example* and *Use instead*
(and optionally *References*). The docstring is the rule's documentation: ``pyward explain``,
``pyward rules``, SARIF help text and ``docs/rules`` are generated from it, and a test checks that
the Example fires and the Use-instead does not.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pyward.model import Confidence, Finding, Fix, Severity, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext

_CODE_RE = re.compile(r"^PW[TACDX]\d{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

FAMILY_RANGES: dict[str, tuple[int, int]] = {
    "PWT": (100, 199),
    "PWA": (200, 499),
    "PWC": (500, 799),
    "PWD": (900, 999),
    "PWX": (0, 99),
}


@dataclass(frozen=True)
class RuleMeta:
    """The identity of a rule. Codes are stable and never reused."""

    code: str
    name: str
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...]
    #: One line, imperative-free: what the rule reports ("Shell command built from request data").
    summary: str
    status: str = "stable"  # or "preview"
    #: Bandit test ids this rule corresponds to (``B602``...), for ``# nosec B602`` and migration docs.
    bandit: tuple[str, ...] = ()
    #: Old codes this rule was known by.
    aliases: tuple[str, ...] = ()
    #: Off unless selected explicitly (noisy audits, PWX003...).
    default_enabled: bool = True

    def validate(self) -> list[str]:
        """Problems with this metadata, empty when valid."""
        problems: list[str] = []
        if not _CODE_RE.match(self.code):
            problems.append(f"{self.code}: code must look like PWT101")
        else:
            low, high = FAMILY_RANGES[self.code[:3]]
            if not low <= int(self.code[3:]) <= high:
                problems.append(f"{self.code}: number outside the {self.code[:3]} range {low}-{high}")
        if not _NAME_RE.match(self.name):
            problems.append(f"{self.code}: name {self.name!r} must be kebab-case")
        if self.status not in ("stable", "preview"):
            problems.append(f"{self.code}: status must be stable or preview")
        if not self.summary:
            problems.append(f"{self.code}: summary is empty")
        for bid in self.bandit:
            if not re.match(r"^B\d{3}$", bid):
                problems.append(f"{self.code}: bad Bandit id {bid!r}")
        return problems


SECTION_TITLES = ("What it does", "Why is this bad?", "Example", "Use instead", "References")


@dataclass(frozen=True)
class RuleDoc:
    """A rule docstring split into its sections."""

    sections: dict[str, str] = field(default_factory=dict)

    @property
    def example(self) -> str:
        return extract_code_block(self.sections.get("Example", ""))

    @property
    def use_instead(self) -> str:
        return extract_code_block(self.sections.get("Use instead", ""))


def parse_doc(doc: str | None) -> RuleDoc:
    """Split a docstring on the known section titles (each alone on its line, ``## `` optional)."""
    text = inspect.cleandoc(doc or "")
    sections: dict[str, str] = {}
    current: str | None = None
    buf: list[str] = []
    for line in text.splitlines():
        title = line.strip().lstrip("#").strip().rstrip(":")
        if title in SECTION_TITLES or title + "?" in SECTION_TITLES:
            if current is not None:
                sections[current] = "\n".join(buf).strip("\n")
            current = title if title in SECTION_TITLES else title + "?"
            buf = []
        elif current is not None:
            buf.append(line)
    if current is not None:
        sections[current] = "\n".join(buf).strip("\n")
    return RuleDoc(sections)


def extract_code_block(section: str) -> str:
    """The first fenced code block of a section (```...```), dedented; '' if none."""
    m = re.search(r"```[a-zA-Z0-9_+.-]*\n(.*?)\n\s*```", section, re.S)
    if not m:
        return ""
    return inspect.cleandoc("\n" + m.group(1)) + "\n"


class Rule:
    """Base of every rule. Subclasses set ``meta`` and write the documentation docstring."""

    meta: ClassVar[RuleMeta]
    #: "module:Class" of the :class:`pyward.analysis.base.Analysis` that produces this family's findings.
    analysis: ClassVar[str] = ""
    #: Codes (or code prefixes) whose finding on the same line makes this rule's finding redundant
    #: (an audit-level pattern finding yields to a taint finding on the same sink).
    superseded_by: ClassVar[tuple[str, ...]] = ()
    #: False only for diagnostics whose trigger cannot be written as a file (unreadable file...).
    examples_testable: ClassVar[bool] = True
    #: The file name the docstring examples are scanned as (``requirements.txt`` for a deps rule...).
    example_filename: ClassVar[str] = "example.py"

    @classmethod
    def doc(cls) -> RuleDoc:
        return parse_doc(cls.__doc__)

    @classmethod
    def finding(
        cls,
        span: Span,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        fix: Fix | None = None,
        **properties: object,
    ) -> Finding:
        """Build a finding of this rule with its defaults."""
        return Finding(
            code=cls.meta.code,
            name=cls.meta.name,
            message=message,
            span=span,
            severity=severity if severity is not None else cls.meta.severity,
            confidence=confidence if confidence is not None else cls.meta.confidence,
            cwe=cls.meta.cwe,
            fix=fix,
            properties=dict(properties),
        )


class AstRule(Rule):
    """A local pattern over one Python file.

    The engine walks each tree once and calls :meth:`visit` for every node whose type is in
    ``node_types``; :meth:`check_module` runs once per file for whole-file rules. Both must be
    pure: read the context, return findings.
    """

    analysis: ClassVar[str] = "pyward.analysis.astrules:AstAnalysis"
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    #: For rules visiting ``ast.Call``: the last segments of the callees they can report
    #: (``{"load", "unsafe_load"}``). The engine then only passes calls whose callee ends with one
    #: of them (aliases of imported names included). ``None``: every call.
    call_names: ClassVar[frozenset[str] | None] = None
    #: For rules visiting ``ast.Call``: calls passing one of these keyword arguments are passed
    #: too (``{"verify"}``), whatever the callee. Setting only this restricts the rule to them.
    call_keywords: ClassVar[frozenset[str] | None] = None

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        return iter(())

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        return iter(())

    # helpers -----------------------------------------------------------------------------
    def report(
        self,
        node: ast.AST,
        ctx: FileContext,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
        fix: Fix | None = None,
        redact: tuple[str, ...] = (),
    ) -> Finding:
        """A finding at ``node``. ``redact``: secret values that must not appear in the report's
        code snippet (the engine masks them there and never stores them)."""
        if redact:
            return self.finding(
                ctx.span(node), message, severity=severity, confidence=confidence, fix=fix, redact=redact
            )
        return self.finding(ctx.span(node), message, severity=severity, confidence=confidence, fix=fix)


class DiagnosticRule(Rule):
    """pyward's own diagnostics (``PWX``). They are emitted by the engine, not by visiting code."""
