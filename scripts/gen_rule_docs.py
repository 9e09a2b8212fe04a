"""Generate docs/rules/ from the rule docstrings (the docstring is the documentation).

Usage: python scripts/gen_rule_docs.py [--check]
With --check, exit 1 when the files on disk differ from what would be generated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyward.registry import all_rules
from pyward.rules.base import Rule

OUT = Path(__file__).resolve().parents[1] / "docs" / "rules"


def rule_page(rule: type[Rule]) -> str:
    m = rule.meta
    doc = rule.doc()
    lines = [
        f"# {m.code} {m.name}",
        "",
        f"{m.summary}.",
        "",
        "| severity | confidence | CWE | status | Bandit |",
        "| --- | --- | --- | --- | --- |",
        f"| {m.severity.label} | {m.confidence.label} | "
        f"{', '.join(f'CWE-{c}' for c in m.cwe) or '-'} | {m.status}{'' if m.default_enabled else ' (off by default)'} | "
        f"{', '.join(m.bandit) or '-'} |",
    ]
    for title in ("What it does", "Why is this bad?", "Example", "Use instead", "References"):
        body = doc.sections.get(title)
        if body:
            lines += ["", f"## {title}", "", body.strip()]
    return "\n".join(lines) + "\n"


def index_page(rules: tuple[type[Rule], ...]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rule docstrings by `scripts/gen_rule_docs.py`; `pyward explain CODE` shows the same text.",
        "",
        "| code | name | severity | CWE | Bandit | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        m = r.meta
        lines.append(
            f"| [{m.code}]({m.code}.md) | {m.name} | {m.severity.label} | "
            f"{', '.join(f'CWE-{c}' for c in m.cwe) or '-'} | {', '.join(m.bandit) or '-'} | {m.summary} |"
        )
    return "\n".join(lines) + "\n"


def generate() -> dict[Path, str]:
    rules = all_rules()
    pages = {OUT / f"{r.meta.code}.md": rule_page(r) for r in rules}
    pages[OUT / "index.md"] = index_page(rules)
    return pages


def main(argv: list[str]) -> int:
    pages = generate()
    if "--check" in argv:
        stale = [p for p, text in pages.items() if not p.is_file() or p.read_text() != text]
        extra = [p for p in OUT.glob("*.md") if p not in pages]
        for p in stale + extra:
            print(f"out of date: {p}")
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.md"):
        if p not in pages:
            p.unlink()
    for p, text in pages.items():
        p.write_text(text)
    print(f"wrote {len(pages)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
