"""SARIF 2.1.0, as GitHub code scanning accepts it.

- ``tool.driver.rules`` come from ``RuleMeta`` and the rule docstring (help text in Markdown);
  CWE ids become ``external/cwe/cwe-N`` tags; ``security-severity`` is a CVSS-like score that GitHub
  maps back to critical/high/medium/low.
- Locations are relative to ``%SRCROOT%`` (declared in ``originalUriBaseIds``).
- ``partialFingerprints`` carry pyward's line-independent fingerprint.
- Taint traces become ``codeFlows``; fixes become ``fixes``.
- pyward's own diagnostics (files not parsed, internal errors) are
  ``invocations[0].toolExecutionNotifications``, so they do not show up as code alerts.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from pyward import __version__
from pyward.model import Finding, Report, Severity, Span
from pyward.registry import all_rules
from pyward.rules.base import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/pyward/pyward"

_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
_PRECISION = {2: "high", 1: "medium", 0: "low"}


def _level(severity: Severity) -> str:
    if severity >= Severity.HIGH:
        return "error"
    if severity == Severity.MEDIUM:
        return "warning"
    return "note"


def _uri(path: str) -> tuple[str, bool]:
    """A relative URI (and True) for paths under the root, else an absolute file URI."""
    if path.startswith("/"):
        return "file://" + quote(path), False
    return quote(str(PurePosixPath(path))), True


def _location(span: Span, message: str | None = None) -> dict[str, Any]:
    uri, relative = _uri(span.path)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    region: dict[str, Any] = {"startLine": max(span.line, 1), "startColumn": span.col + 1}
    if span.end_line is not None:
        region["endLine"] = max(span.end_line, region["startLine"])
        if span.end_col is not None and not (span.end_line == span.line and span.end_col <= span.col):
            region["endColumn"] = span.end_col + 1
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if message:
        loc["message"] = {"text": message}
    return loc


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    meta = rule.meta
    doc = rule.doc()
    sections = doc.sections
    markdown_parts = []
    for title in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        if sections.get(title):
            markdown_parts.append(f"## {title}\n{sections[title]}")
    markdown = "\n\n".join(markdown_parts) or meta.summary
    full = sections.get("What it does", meta.summary).strip().replace("\n", " ")
    tags = ["security"] + [f"external/cwe/cwe-{c}" for c in meta.cwe]
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full},
        "help": {"text": full, "markdown": markdown},
        "defaultConfiguration": {"level": _level(meta.severity)},
        "properties": {
            "tags": tags,
            "precision": _PRECISION[int(meta.confidence)],
            "security-severity": _SECURITY_SEVERITY[meta.severity],
            "problem.severity": "error" if meta.severity >= Severity.HIGH else "warning",
        },
    }


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": _level(f.severity),
        "message": {"text": f.message},
        "locations": [_location(f.span)],
        "partialFingerprints": {"pywardFingerprint/v1": f.fingerprint or "0"},
        "properties": {
            "severity": f.severity.label,
            "confidence": f.confidence.label,
            "security-severity": _SECURITY_SEVERITY[f.severity],
        },
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.trace:
        result["codeFlows"] = [
            {
                "threadFlows": [
                    {"locations": [{"location": _location(step.span, step.label)} for step in f.trace]}
                ]
            }
        ]
    if f.fix is not None and f.fix.replacements:
        changes: dict[str, list[dict[str, Any]]] = {}
        for rep in f.fix.replacements:
            region = _location(rep.span)["physicalLocation"]["region"]
            changes.setdefault(rep.span.path, []).append(
                {"deletedRegion": region, "insertedContent": {"text": rep.text}}
            )
        result["fixes"] = [
            {
                "description": {"text": f.fix.description},
                "artifactChanges": [
                    {
                        "artifactLocation": _location(Span(p, 1))["physicalLocation"]["artifactLocation"],
                        "replacements": r,
                    }
                    for p, r in sorted(changes.items())
                ],
            }
        ]
    if f.properties:
        result["properties"].update({k: v for k, v in f.properties.items() if _jsonable(v)})
    return result


def _jsonable(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def report_to_sarif(report: Report) -> dict[str, Any]:
    rules = [r for r in all_rules() if not r.meta.code.startswith("PWX")]
    used = {f.code for f in report.findings}
    rules = [r for r in rules if r.meta.code in used]
    index = {r.meta.code: i for i, r in enumerate(rules)}
    notifications = [
        {
            "level": "warning" if d.code in {"PWX001", "PWX004", "PWX005"} else "note",
            "message": {"text": f"{d.code} {d.message}"},
            "locations": [_location(d.span)],
            "descriptor": {"id": d.code},
        }
        for d in report.diagnostics
    ]
    notifications += [
        {"level": "error", "message": {"text": f"could not complete: {text}"}} for text in report.incomplete
    ]
    root_uri = "file://" + quote(report.root.rstrip("/") + "/")
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "pyward",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r) for r in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
        "invocations": [
            {
                "executionSuccessful": not report.incomplete,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": [_result(f, index) for f in report.findings],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report) -> str:
    return json.dumps(report_to_sarif(report), indent=2) + "\n"
