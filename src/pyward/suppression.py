"""Inline suppressions: ``# pyward: ignore[PWT101, PWA201]`` and Bandit's ``# nosec [B602]``.

A suppression comment applies to the whole logical statement it sits in: on any physical line of a
multi-line call it silences findings reported on any line of that statement. A bare
``# pyward: ignore`` silences everything there but is itself reported (``PWX002``), because it hides
future findings too. Only real comments count (found with :mod:`tokenize`), never text inside strings.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass

_PYWARD_RE = re.compile(r"#\s*pyward\s*:\s*ignore\b(?:\[(?P<codes>[^\]]*)\])?", re.I)
_NOSEC_RE = re.compile(r"#\s*nosec\b(?P<rest>[^#]*)", re.I)
_CODE_RE = re.compile(r"PW[TACDX]\d{3}", re.I)
_BANDIT_RE = re.compile(r"\bB\d{3}\b")


@dataclass(frozen=True)
class Suppression:
    line: int  # the comment's line
    first: int  # the statement's first line
    last: int  # the statement's last line
    kind: str  # "pyward" or "nosec"
    codes: tuple[str, ...] | None  # None = blanket
    col: int = 0


def find_suppressions(source: str, tree: ast.Module | None) -> list[Suppression]:
    """All suppression comments of a file. Cheap when the file has none."""
    lowered = source.lower()
    if "pyward" not in lowered and "nosec" not in lowered:
        return []
    comments: list[tuple[int, int, str]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments.append((tok.start[0], tok.start[1], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Fall back to a line scan for files tokenize rejects (rare; they did parse).
        for lineno, text in enumerate(source.splitlines(), 1):
            idx = text.find("#")
            if idx >= 0:
                comments.append((lineno, idx, text[idx:]))
    if not comments:
        return []
    ranges = _statement_ranges(tree) if tree is not None else {}
    result: list[Suppression] = []
    for line, col, text in comments:
        first, last = ranges.get(line, (line, line))
        m = _PYWARD_RE.search(text)
        if m:
            raw = m.group("codes")
            codes = None if raw is None else tuple(c.upper() for c in _CODE_RE.findall(raw))
            result.append(Suppression(line, first, last, "pyward", codes, col))
            continue
        m = _NOSEC_RE.search(text)
        if m:
            ids = tuple(_BANDIT_RE.findall(m.group("rest")))
            result.append(Suppression(line, first, last, "nosec", ids or None, col))
    return result


def _statement_ranges(tree: ast.Module) -> dict[int, tuple[int, int]]:
    """Physical line -> (first, last) line of the innermost simple statement or compound-statement
    header that spans it. Only multi-line spans are recorded."""
    ranges: dict[int, tuple[int, int]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        first = node.lineno
        last = node.end_lineno or first
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            if decorators:
                first = min(first, *(d.lineno for d in decorators))
            last = max(first, body[0].lineno - 1)
        if last <= first:
            continue
        for ln in range(first, last + 1):
            current = ranges.get(ln)
            if current is None or (last - first) < (current[1] - current[0]):
                ranges[ln] = (first, last)
    return ranges


def suppression_matches(sup: Suppression, code: str, bandit_ids: tuple[str, ...]) -> bool:
    if sup.codes is None:
        return True
    if sup.kind == "pyward":
        return code in sup.codes
    return any(b in sup.codes for b in bandit_ids)
