"""PWA371: Unicode bidirectional control characters in source code (Trojan Source)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity, Span
from pyward.rules.base import AstRule, RuleMeta

#: Embeddings, overrides, isolates and their terminators, plus the implicit marks.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_RE = re.compile(f"[{_BIDI}]")


class TrojanSource(AstRule):
    """
    ## What it does
    Reports every Unicode bidirectional control character in a Python file — the embeddings and
    overrides (U+202A to U+202E), the isolates (U+2066 to U+2069) and the implicit marks (U+200E,
    U+200F, U+061C) — wherever it appears: code, comments or string literals. One finding per
    line, naming the characters.

    ## Why is this bad?
    These characters reorder how text is displayed without changing what the interpreter reads.
    A reviewer sees a comment or a string where Python sees code, or sees `if access_level !=
    "user"` where Python compares against a different string (the "Trojan Source" attack,
    CVE-2021-42574). Code that looks right in review and in the editor behaves differently. If you
    need one of these characters in a string, write it as an escape (`"\\u202e"`).

    ## Example
    ```python
    access_level = "user"
    if access_level != "none\u202e\u2066":  # Check if admin\u2069\u2066
        print("admin")
    ```

    ## Use instead
    ```python
    RIGHT_TO_LEFT_OVERRIDE = "\\u202e"
    access_level = "user"
    if access_level != "none":
        print("admin")
    ```

    ## References
    - CWE-838: Inappropriate Encoding for Output Context
    - N. Boucher, R. Anderson, "Trojan Source: Invisible Vulnerabilities" (CVE-2021-42574)
    """

    meta = RuleMeta(
        code="PWA371",
        name="trojan-source-bidi",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(838,),
        summary="Bidirectional control character in source (Trojan Source)",
        bandit=("B613",),
    )

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        source = ctx.source
        if source.isascii() or not _BIDI_RE.search(source):
            return
        for lineno, line in enumerate(ctx.lines, 1):
            found = _BIDI_RE.findall(line)
            if not found:
                continue
            col = _BIDI_RE.search(line)
            names = ", ".join(
                dict.fromkeys(f"U+{ord(c):04X} {unicodedata.name(c, 'BIDI CONTROL')}" for c in found)
            )
            yield self.finding(
                Span(ctx.path, lineno, col.start() if col else 0, lineno, len(line)),
                f"Bidirectional control character(s) {names}: the code may not be what it looks like",
            )
