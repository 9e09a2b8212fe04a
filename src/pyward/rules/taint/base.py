"""Base class of the taint rules (``PWT1xx``).

A taint rule is declarative: it names a vulnerability class (``vuln_class``) and the engine
(:class:`pyward.analysis.taint.engine.TaintAnalysis`) reports every flow from a source to a sink
of that class (sinks are declared in :mod:`pyward.analysis.taint.models`). One module per rule
under ``pyward/rules/taint/``, a docstring with the usual sections, and ``meta``::

    class SqlInjection(TaintRule):
        '''...docs...'''
        meta = RuleMeta(code="PWT101", name="sql-injection", ...)
        vuln_class = "sql"
"""

from __future__ import annotations

from typing import ClassVar

from pyward.model import Severity
from pyward.rules.base import Rule


class TaintRule(Rule):
    """A source reaches a sink of ``vuln_class`` without a sanitizer for that class."""

    analysis: ClassVar[str] = "pyward.analysis.taint.engine:TaintAnalysis"
    #: The sink class this rule reports (``"sql"``, ``"command"``...), see ``spec.py``.
    vuln_class: ClassVar[str] = ""
    #: Whether flows from local sources (argv, env, input(), stdin, files) are reported at all
    #: when ``local_sources`` is on. False for classes where only a remote attacker matters.
    accepts_local: ClassVar[bool] = True
    #: Severity of a flow from a local source; ``None``: one level below ``meta.severity``.
    local_severity: ClassVar[Severity | None] = None
    #: What the message calls the sink class ("SQL query", "shell command").
    what: ClassVar[str] = ""

    @classmethod
    def severity_for(cls, kind: str) -> Severity:
        """The severity of a finding whose source is ``kind`` (``remote``/``local``)."""
        if kind != "local":
            return cls.meta.severity
        if cls.local_severity is not None:
            return cls.local_severity
        return Severity(max(int(cls.meta.severity) - 1, int(Severity.LOW)))

    @classmethod
    def message(cls, source_label: str, kind: str, sink_label: str) -> str:
        """The finding message. Override for a custom wording."""
        what = cls.what or cls.meta.summary
        origin = "local input" if kind == "local" else "remote input"
        return f"{what}: {origin} ({source_label}) reaches {sink_label}"
