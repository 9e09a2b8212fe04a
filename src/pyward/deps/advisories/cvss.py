"""CVSS base scores computed from vector strings.

CVSS v3.0 and v3.1 base scores are computed from the vector with the formulas of the FIRST
specification (section 7 of the v3.1 document). CVSS v2 and v4 vectors are kept as they are:
no score is derived for them (v4 scoring needs the full macro-vector lookup table), so callers
fall back to other information and say that the score is unknown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyward.model import Severity

_AV = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
_AC = {"L": 0.77, "H": 0.44}
_PR_UNCHANGED = {"N": 0.85, "L": 0.62, "H": 0.27}
_PR_CHANGED = {"N": 0.85, "L": 0.68, "H": 0.5}
_UI = {"N": 0.85, "R": 0.62}
_CIA = {"H": 0.56, "L": 0.22, "N": 0.0}
_REQUIRED = ("AV", "AC", "PR", "UI", "S", "C", "I", "A")


class CvssError(ValueError):
    """A vector string that is not a valid CVSS v3.x base vector."""


@dataclass(frozen=True)
class CvssScore:
    version: str  # "3.0" or "3.1"
    base_score: float
    severity: Severity


def _roundup_31(value: float) -> float:
    """Round up to one decimal, as CVSS v3.1 Appendix A defines it (robust to float error)."""
    as_int = round(value * 100_000)
    if as_int % 10_000 == 0:
        return as_int / 100_000.0
    return (math.floor(as_int / 10_000) + 1) / 10.0


def _roundup_30(value: float) -> float:
    return math.ceil(value * 10) / 10


def parse_vector(vector: str) -> tuple[str, dict[str, str]]:
    """Split ``CVSS:3.1/AV:N/...`` into its version and metrics; raises :class:`CvssError`."""
    parts = vector.strip().split("/")
    if not parts or not parts[0].startswith("CVSS:"):
        raise CvssError(f"not a CVSS v3 vector: {vector!r}")
    version = parts[0][5:]
    metrics: dict[str, str] = {}
    for part in parts[1:]:
        key, sep, value = part.partition(":")
        if not sep or not key or not value:
            raise CvssError(f"malformed metric {part!r} in {vector!r}")
        if key in metrics:
            raise CvssError(f"metric {key} repeated in {vector!r}")
        metrics[key] = value
    return version, metrics


def severity_for_score(score: float) -> Severity:
    """The qualitative rating of a base score (None maps to INFO)."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    if score > 0.0:
        return Severity.LOW
    return Severity.INFO


def base_score_v3(vector: str) -> CvssScore:
    """The base score of a CVSS v3.0/v3.1 vector. Temporal/environmental metrics are ignored."""
    version, m = parse_vector(vector)
    if version not in ("3.0", "3.1"):
        raise CvssError(f"unsupported CVSS version {version!r} (only 3.0 and 3.1 are scored)")
    missing = [k for k in _REQUIRED if k not in m]
    if missing:
        raise CvssError(f"vector {vector!r} lacks base metric(s) {', '.join(missing)}")
    try:
        scope_changed = {"U": False, "C": True}[m["S"]]
        av = _AV[m["AV"]]
        ac = _AC[m["AC"]]
        pr = (_PR_CHANGED if scope_changed else _PR_UNCHANGED)[m["PR"]]
        ui = _UI[m["UI"]]
        c, i, a = _CIA[m["C"]], _CIA[m["I"]], _CIA[m["A"]]
    except KeyError as exc:
        raise CvssError(f"invalid value for metric {exc.args[0]!r} in {vector!r}") from None
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if scope_changed else 6.42 * iss
    exploitability = 8.22 * av * ac * pr * ui
    roundup = _roundup_31 if version == "3.1" else _roundup_30
    if impact <= 0:
        score = 0.0
    elif scope_changed:
        score = roundup(min(1.08 * (impact + exploitability), 10.0))
    else:
        score = roundup(min(impact + exploitability, 10.0))
    return CvssScore(version, score, severity_for_score(score))
