"""Baselines: accept today's findings, report only new ones.

A baseline stores finding fingerprints (rule + path + normalised code context + occurrence index,
no line numbers), so inserting lines above a known finding keeps it baselined, and a second
identical finding in the same file is still new. Written atomically.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pyward import __version__
from pyward.fsutil import write_atomic
from pyward.model import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    pass


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    entries = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.span.path, "message": f.message}
        for f in sorted(findings, key=lambda f: f.sort_key())
    ]
    payload = {"pyward_baseline": BASELINE_VERSION, "pyward_version": __version__, "findings": entries}
    atomic_write_text(path, json.dumps(payload, indent=2, sort_keys=True) + "\n")
    return len(entries)


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprint -> how many findings with it are accepted."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a pyward baseline (invalid JSON: {exc.msg})") from None
    if not isinstance(data, dict) or data.get("pyward_baseline") != BASELINE_VERSION:
        raise BaselineError(f"{path}: not a pyward baseline (version {BASELINE_VERSION} expected)")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{path}: malformed baseline: 'findings' must be a list")
    counts: Counter[str] = Counter()
    for item in findings:
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{path}: malformed baseline entry: {item!r:.80}")
        counts[item["fingerprint"]] += 1
    return counts


def apply_baseline(findings: list[Finding], accepted: Counter[str]) -> tuple[list[Finding], int]:
    remaining = Counter(accepted)
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never half of one."""
    write_atomic(path, text.encode("utf-8"), durable=True)
