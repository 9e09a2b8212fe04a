"""The JSON report. Its schema is ``docs/json-schema.json``; ``schema_version`` changes on any
incompatible change."""

from __future__ import annotations

import json
from typing import Any

from pyward.model import Finding, Report

SCHEMA_VERSION = "1.0"


def finding_to_dict(f: Finding) -> dict[str, Any]:
    span = f.span
    out: dict[str, Any] = {
        "code": f.code,
        "name": f.name,
        "message": f.message,
        "severity": f.severity.label,
        "confidence": f.confidence.label,
        "cwe": [f"CWE-{c}" for c in f.cwe],
        "location": {
            "path": span.path,
            "line": span.line,
            "column": span.col + 1,
            "end_line": span.last_line,
            "end_column": (span.end_col + 1) if span.end_col is not None else None,
        },
        "snippet": f.snippet,
        "fingerprint": f.fingerprint,
        "trace": [
            {"path": s.span.path, "line": s.span.line, "column": s.span.col + 1, "label": s.label}
            for s in f.trace
        ],
        "fix": None,
        "properties": dict(f.properties),
    }
    if f.fix is not None:
        out["fix"] = {
            "description": f.fix.description,
            "replacements": [
                {
                    "path": r.span.path,
                    "line": r.span.line,
                    "column": r.span.col + 1,
                    "end_line": r.span.last_line,
                    "end_column": (r.span.end_col + 1) if r.span.end_col is not None else None,
                    "text": r.text,
                }
                for r in f.fix.replacements
            ],
        }
    return out


def report_to_dict(report: Report) -> dict[str, Any]:
    by_severity: dict[str, int] = {}
    for f in report.findings:
        by_severity[f.severity.label] = by_severity.get(f.severity.label, 0) + 1
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pyward", "version": report.version},
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            "by_severity": by_severity,
            "diagnostics": len(report.diagnostics),
            "files_scanned": len(report.files_scanned),
            "files_skipped": len(report.files_skipped),
            "suppressed": report.suppressed,
            "baselined": report.baselined,
            "incomplete": list(report.incomplete),
        },
        "findings": [finding_to_dict(f) for f in report.findings],
        "diagnostics": [finding_to_dict(f) for f in report.diagnostics],
        "files": {
            "scanned": list(report.files_scanned),
            "skipped": [{"path": s.path, "reason": s.reason} for s in report.files_skipped],
        },
        "timing": dict(report.timings),
    }


def render_json(report: Report) -> str:
    return json.dumps(report_to_dict(report), indent=2, sort_keys=False, default=str) + "\n"
