"""Precision/recall per PWT class over the fixture suite (annotations vs actual findings).

Run: ``python3 tests/taint/precision_recall.py`` (not a test; the fixture tests are exact)."""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from support import FIXTURES, read_expectations, run_scan

from pyward.settings import Settings


def main() -> None:
    units = []
    for p in sorted((FIXTURES / "rules").rglob("*.py")):
        if p.name != "__init__.py":
            units.append(([(p.name, p)], [p], p.parent))
    for d in sorted((FIXTURES / "projects").iterdir()):
        if d.is_dir():
            files = [(f.relative_to(d).as_posix(), f) for f in sorted(d.rglob("*")) if f.is_file()]
            units.append((files, [d], d))
    tp, fp, fn, okn = Counter(), Counter(), Counter(), Counter()
    for files, paths, root in units:
        exp = read_expectations(files)
        codes = {c for s in [*exp.expect.values(), *exp.ok.values()] for c in s}
        if not any(c.startswith("PWT") for c in codes):
            continue
        rep = run_scan(paths, root=root, settings=Settings(local_sources="local-sources" in exp.flags))
        got = {}
        for f in rep.findings:
            if f.code.startswith("PWT") and exp.in_scope(f.code):
                got.setdefault((f.span.path, f.span.line), set()).add(f.code)
        for key, cs in exp.expect.items():
            for c in cs:
                if not c.startswith("PWT"):
                    continue
                (tp if c in got.get(key, set()) else fn)[c] += 1
        for cs in exp.ok.values():
            for c in cs:
                if c.startswith("PWT"):
                    okn[c] += 1
        for key, cs in got.items():
            for c in cs:
                if c not in exp.expect.get(key, set()):
                    fp[c] += 1
    print(f"{'code':7} {'TP':>4} {'FP':>4} {'FN':>4} {'ok-lines':>8} {'precision':>9} {'recall':>7}")
    for c in sorted(set(tp) | set(fp) | set(fn) | set(okn)):
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0
        r = tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0
        print(f"{c:7} {tp[c]:4} {fp[c]:4} {fn[c]:4} {okn[c]:8} {p:9.3f} {r:7.3f}")
    T, F, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':7} {T:4} {F:4} {N:4} {sum(okn.values()):8} {T/(T+F):9.3f} {T/(T+N):7.3f}")


if __name__ == "__main__":
    main()
