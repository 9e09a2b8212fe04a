"""Compare pyward's PWA3xx/PWA4xx rules with Bandit and Ruff's ``S`` rules on the fixtures.

Usage: python3 bench/compare_pwa3.py [--write docs/comparison-pwa3.md]

Every ``# expect: PWA3xx`` and ``# ok: PWA3xx`` line under ``tests/fixtures/rules/PWA3*`` and
``PWA4*`` is checked against each tool. A peer is credited with a line only when it reports one of
the tests that look for the same problem (``PEERS``), so an unrelated finding on the same line
does not count. The run fails (exit 1) when pyward reports an ``ok`` line that a peer flags, or
misses an ``expect`` line a peer catches. Peer findings on lines without any annotation are
counted and listed for review.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from pyward.engine import ScanOptions, scan  # noqa: E402
from pyward.settings import Settings  # noqa: E402

#: The Bandit tests (Ruff uses the same numbers with ``S``) that look for what each rule looks for.
PEERS: dict[str, tuple[str, ...]] = {
    "PWA301": ("B506",),
    "PWA302": ("B301", "B302", "B614"),
    "PWA310": ("B602", "B604", "B605"),
    "PWA311": ("B102", "B307"),
    "PWA320": ("B608",),
    "PWA330": ("B306",),
    "PWA331": ("B103",),
    "PWA332": ("B202",),
    "PWA333": ("B104",),
    "PWA334": ("B113",),
    "PWA340": ("B320", "B410"),
    "PWA341": (),
    "PWA342": ("B411",),
    "PWA343": ("B313", "B314", "B315", "B316", "B317", "B318", "B319"),
    "PWA350": (),
    "PWA360": ("B701",),
    "PWA370": ("B101",),
    "PWA371": ("B613",),
    "PWA372": ("B612",),
    "PWA373": ("B615",),
    "PWA374": (),
}
MARKER = "<!-- end of generated part; text below is kept when regenerating -->"
_ANN = re.compile(r"#\s*(expect|ok):\s*((?:PW[A-Z]\d{3}\s*,?\s*)+)")
_CODE = re.compile(r"PWA\d{3}")


@dataclass
class Line:
    path: str
    line: int
    kind: str  # expect | ok
    code: str
    text: str
    pyward: bool = False
    bandit: set[str] = field(default_factory=set)
    ruff: set[str] = field(default_factory=set)


def fixture_files() -> list[Path]:
    base = REPO / "tests" / "fixtures" / "rules"
    return sorted(p for d in base.iterdir() if d.name[:4] in ("PWA3", "PWA4") for p in d.rglob("*.py"))


def read_annotations(files: list[Path]) -> list[Line]:
    out: list[Line] = []
    for path in files:
        rel = path.relative_to(REPO / "tests" / "fixtures" / "rules").as_posix()
        for lineno, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = _ANN.search(text)
            if not m:
                continue
            for code in _CODE.findall(m.group(2)):
                if code in PEERS:
                    out.append(Line(rel, lineno, m.group(1), code, text.split("#")[0].strip()))
    return out


def run_pyward(files: list[Path]) -> set[tuple[str, int, str]]:
    hits: set[tuple[str, int, str]] = set()
    base = REPO / "tests" / "fixtures" / "rules"
    for path in files:
        report = scan(ScanOptions([path], root=path.parent, settings=Settings(), jobs=1, use_cache=False))
        rel = path.relative_to(base).as_posix()
        hits.update((rel, f.span.line, f.code) for f in report.findings)
    return hits


def run_bandit(files: list[Path]) -> set[tuple[str, int, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bandit.json"
        subprocess.run(
            [sys.executable, "-m", "bandit", "-q", "-f", "json", "-o", str(out), *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        data = json.loads(out.read_text(encoding="utf-8"))
    base = REPO / "tests" / "fixtures" / "rules"
    hits: set[tuple[str, int, str]] = set()
    for r in data.get("results", []):
        rel = Path(r["filename"]).resolve().relative_to(base).as_posix()
        hits.add((rel, int(r["line_number"]), r["test_id"]))
    return hits


def run_ruff(files: list[Path]) -> set[tuple[str, int, str]]:
    proc = subprocess.run(
        ["ruff", "check", "--isolated", "--no-cache", "--preview", "--select", "S", "--output-format", "json",
         *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    base = REPO / "tests" / "fixtures" / "rules"
    hits: set[tuple[str, int, str]] = set()
    for r in json.loads(proc.stdout or "[]"):
        code = r.get("code") or ""
        rel = Path(r["filename"]).resolve().relative_to(base).as_posix()
        hits.add((rel, int(r["location"]["row"]), "B" + code[1:] if code.startswith("S") else code))
    return hits


def tool_version(args: list[str]) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr) else "?"


def compare() -> tuple[list[Line], dict[str, list[tuple[str, int, str]]], list[str]]:
    files = fixture_files()
    lines = read_annotations(files)
    py, ba, ru = run_pyward(files), run_bandit(files), run_ruff(files)
    for ln in lines:
        peers = set(PEERS[ln.code])
        ln.pyward = (ln.path, ln.line, ln.code) in py
        ln.bandit = {t for (p, n, t) in ba if p == ln.path and n == ln.line and t in peers}
        ln.ruff = {t for (p, n, t) in ru if p == ln.path and n == ln.line and t in peers}
    annotated = {(ln.path, ln.line) for ln in lines}
    unannotated: dict[str, list[tuple[str, int, str]]] = {
        "bandit": sorted(h for h in ba if (h[0], h[1]) not in annotated),
        "ruff": sorted(h for h in ru if (h[0], h[1]) not in annotated),
    }
    problems = []
    for ln in lines:
        caught = ln.bandit or ln.ruff
        if ln.kind == "ok" and ln.pyward:
            problems.append(f"{ln.path}:{ln.line}: pyward reports an ok line")
        if ln.kind == "expect" and caught and not ln.pyward:
            problems.append(f"{ln.path}:{ln.line}: a peer catches {ln.code}'s line, pyward does not")
    return lines, unannotated, problems


def _mark(hit: bool) -> str:
    return "yes" if hit else "-"


def render(lines: list[Line], unannotated: dict[str, list[tuple[str, int, str]]]) -> str:
    by_rule: dict[str, list[Line]] = defaultdict(list)
    for ln in lines:
        by_rule[ln.code].append(ln)
    out = [
        "# pyward PWA3xx/PWA4xx compared with Bandit and Ruff `S`",
        "",
        "<!-- Generated by bench/compare_pwa3.py; re-run it after changing the rules or fixtures. -->",
        "",
        f"Tools: bandit {tool_version([sys.executable, '-m', 'bandit', '--version']).split()[-1]}; "
        f"{tool_version(['ruff', '--version'])} (`--select S --preview`, so the preview `S4xx` import rules count).",
        "",
        "Each annotated line of `tests/fixtures/rules/PWA3*`/`PWA4*` is one row. `expect` lines are the",
        "vulnerable ones, `ok` lines the safe look-alikes. A peer is credited only with the tests that",
        "look for the same problem (listed per rule), so an unrelated finding on a line does not count.",
        "",
        "## Summary per rule",
        "",
        "| rule | peer tests | expect lines | pyward | Bandit | Ruff | ok lines | pyward FP | Bandit FP | Ruff FP |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    totals = [0] * 8
    for code in sorted(by_rule):
        rows = by_rule[code]
        exp = [r for r in rows if r.kind == "expect"]
        ok = [r for r in rows if r.kind == "ok"]
        nums = [
            len(exp), sum(r.pyward for r in exp), sum(bool(r.bandit) for r in exp), sum(bool(r.ruff) for r in exp),
            len(ok), sum(r.pyward for r in ok), sum(bool(r.bandit) for r in ok), sum(bool(r.ruff) for r in ok),
        ]  # fmt: skip
        totals = [a + b for a, b in zip(totals, nums, strict=True)]
        peers = ", ".join(PEERS[code]) or "(none)"
        out.append(f"| {code} | {peers} | " + " | ".join(map(str, nums)) + " |")
    out.append("| **all** | | " + " | ".join(f"**{n}**" for n in totals) + " |")
    out += [
        "",
        "pyward reports none of the `ok` lines (the fixture tests enforce it) and catches every `expect`",
        "line a peer catches (this script fails otherwise).",
        "",
        "## Every annotated line",
        "",
        "| fixture | line | kind | rule | code | pyward | Bandit | Ruff |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for ln in sorted(lines, key=lambda r: (r.path, r.line, r.code)):
        text = ln.text.replace("|", "\\|").replace("`", "'")
        if len(text) > 70:
            text = text[:67] + "..."
        if not text.isascii():
            text = text.encode("ascii", "backslashreplace").decode("ascii")
        out.append(
            f"| {ln.path} | {ln.line} | {ln.kind} | {ln.code} | `{text}` | {_mark(ln.pyward)} | "
            f"{', '.join(sorted(ln.bandit)) or '-'} | {', '.join('S' + b[1:] for b in sorted(ln.ruff)) or '-'} |"
        )
    out += ["", "## Peer findings on lines without an annotation", ""]
    for tool, hits in unannotated.items():
        counts: dict[str, int] = defaultdict(int)
        for _p, _n, t in hits:
            counts[t] += 1
        summary = ", ".join(f"{t} x{n}" for t, n in sorted(counts.items())) or "none"
        out.append(f"- {tool}: {len(hits)} ({summary})")
    other = sorted(
        {(p, n) for hits in unannotated.values() for p, n, t in hits if not t.startswith(("B40", "B41"))}
    )
    if other:
        out += ["", "Peer findings on unannotated lines other than imports:", ""]
        base = REPO / "tests" / "fixtures" / "rules"
        for path, lineno in other:
            tools = sorted(
                {f"{tool} {t if tool == 'bandit' else 'S' + t[1:]}" for tool, hits in unannotated.items()
                 for p, n, t in hits if (p, n) == (path, lineno)}
            )  # fmt: skip
            text = (base / path).read_text(encoding="utf-8").splitlines()[lineno - 1].split("#")[0].strip()
            out.append(f"- {path}:{lineno} `{text}` ({', '.join(tools)})")
        out += [
            "",
            "pyward reports these where the value is used rather than where it is written: the",
            "`execute()` call that receives the formatted query, the `bind()`/`Listener()` call that",
            "receives the address constant, the parse call rather than `make_parser()` (and only for",
            "non-constant input), and a multi-line call on its first line.",
        ]
    out += [
        "",
        "The import-only tests (`B403 import pickle`, `B404 import subprocess`, `B405`-`B411` XML",
        "imports) have no pyward counterpart by design: pyward reports the calls that matter.",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    lines, unannotated, problems = compare()
    text = render(lines, unannotated)
    if args.write:
        target = args.write if args.write.is_absolute() else REPO / args.write
        kept = target.read_text(encoding="utf-8").partition(MARKER)[2] if target.exists() else ""
        text = text.rstrip("\n") + "\n\n" + MARKER + (kept or "\n")
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    else:
        print(text)
    for p in problems:
        print(f"compare_pwa3: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
