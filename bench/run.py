"""Benchmark pyward against Bandit and Ruff's S rules on real code.

    pip install -r bench/requirements.txt
    python bench/run.py                      # every corpus, 3 repetitions
    python bench/run.py --corpora django --reps 5
    python bench/run.py --quick              # 1 repetition, no scaling series or profile

Corpora are downloaded from PyPI as sdists (pinned versions) into bench/corpora/ (git-ignored);
CPython's Lib/ is the running interpreter's. Tools run side by side, in alternation, over several
repetitions. For each run it records wall time, CPU time (user+sys of the process tree), peak RSS
summed over the process tree (sampled), and the number of findings. Results go to
bench/results/<date>.{json,md}; --update-docs also rewrites docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPORA = HERE / "corpora"
WORK = HERE / "work"
RESULTS = HERE / "results"
SHARED = REPO.parent / "shared" / "data"

SDISTS = {
    "django": [("django", "5.1.4", "django")],
    "wagtail": [("wagtail", "6.3.1", "wagtail")],
    "flask": [("flask", "3.1.0", "src/flask"), ("werkzeug", "3.1.3", "src/werkzeug")],
}


# ---------------------------------------------------------------------------------------------
# corpora


def _download_sdist(name: str, version: str) -> Path:
    dest = CORPORA / f"{name}-{version}"
    if dest.is_dir():
        return dest
    CORPORA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             f"{name}=={version}", "-d", tmp],
            check=True,
        )
        archive = next(Path(tmp).iterdir())
        extract = Path(tmp) / "x"
        if archive.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(archive) as tar:
                tar.extractall(extract, filter="data")
        else:
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(extract)
        top = next(extract.iterdir())
        shutil.move(str(top), dest)
    return dest


def prepare(name: str) -> list[Path]:
    """Paths to scan for a corpus."""
    if name in SDISTS:
        paths = []
        for pkg, version, sub in SDISTS[name]:
            root = _download_sdist(pkg, version)
            candidates = [root / sub, root / sub.split("/")[-1], root]
            paths.append(next(p for p in candidates if p.is_dir()))
        return paths
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    if name == "stdlib":
        return [stdlib]
    if name == "stdlib-notest":
        target = WORK / "stdlib-notest"
        if not target.is_dir():
            shutil.copytree(stdlib, target, ignore=shutil.ignore_patterns("test", "site-packages", "__pycache__",
                                                                          "idle_test", "tests"))
        return [target]
    if name.startswith("stdlib-"):  # scaling series: stdlib-25, stdlib-50, stdlib-100
        # A fixed-seed random sample of the files, so that every share has the same mix of code
        # (a prefix of the sorted list would leave test/, CPython's densest code, to the last share).
        import random

        percent = int(name.split("-")[1])
        files = sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)
        random.Random(7).shuffle(files)
        files = sorted(files[: max(1, len(files) * percent // 100)])
        target = WORK / f"{name}-sample"
        if not target.is_dir():
            for f in files:
                dest = target / f.relative_to(stdlib)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, dest)
        return [target]
    raise SystemExit(f"unknown corpus {name!r}")


def count_lines(paths: Sequence[Path]) -> tuple[int, int]:
    files = lines = 0
    for root in paths:
        for f in root.rglob("*.py"):
            if "site-packages" in f.parts or "__pycache__" in f.parts:
                continue
            files += 1
            try:
                with f.open("rb") as fh:
                    lines += sum(1 for _ in fh)
            except OSError:
                pass
    return files, lines


# ---------------------------------------------------------------------------------------------
# measuring


@dataclass
class Run:
    tool: str
    corpus: str
    wall: float
    cpu: float
    peak_rss_mib: float
    findings: int | None
    exit_code: int
    #: pyward's own per-phase timings from its JSON report (seconds), plus "outside": the wall time
    #: not inside the engine (interpreter start-up, imports, writing the report)
    phases: dict[str, float] = field(default_factory=dict)


PYCACHE = WORK / "pycache"


def tool_env() -> dict[str, str]:
    """The environment every tool runs in: byte-code caching on (in bench/work/pycache), as for an
    installed package. A checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile
    pyward's ~350 modules in every process (main and workers), while Bandit's site-packages
    install has its .pyc files."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def warm_up() -> None:
    """Byte-compile pyward once before anything is timed."""
    import pyward

    PYCACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(pyward.__file__).parent)],
        env=tool_env(),
        check=False,
        stdout=subprocess.DEVNULL,
    )


def _measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, int, bytes]:
    """Wall, CPU (tree), peak RSS summed over the tree (MiB), exit code, stdout."""
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env or tool_env())
    peak = 0
    cpu_seen: dict[int, float] = {}
    out_chunks: list[bytes] = []

    def reader() -> None:
        assert proc.stdout is not None
        for chunk in iter(lambda: proc.stdout.read(65536), b""):  # type: ignore[union-attr]
            out_chunks.append(chunk)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    while proc.poll() is None:
        total = 0
        try:
            procs = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            procs = [proc]
        for p in procs:
            try:
                total += p.memory_info().rss
                times = p.cpu_times()
                cpu_seen[p.pid] = times.user + times.system
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(0.02)
    wall = time.perf_counter() - started
    t.join()
    cpu = sum(cpu_seen.values())
    return wall, cpu, peak / (1024 * 1024), proc.returncode or 0, b"".join(out_chunks)


def _findings_pyward(out: bytes) -> int | None:
    try:
        return len(json.loads(out)["findings"])
    except (ValueError, KeyError):
        return None


def _phases_pyward(out: bytes, wall: float) -> dict[str, float]:
    try:
        timing = json.loads(out)["timing"]
    except (ValueError, KeyError):
        return {}
    keep = ("discover", "files", "project", "filter", "total")
    phases = {k: float(timing[k]) for k in keep if k in timing}
    phases.update({k: float(v) for k, v in timing.items() if ":" in k and isinstance(v, (int, float))})
    if "total" in phases:
        phases["outside"] = max(0.0, wall - phases["total"])
    return phases


def _findings_bandit(out: bytes) -> int | None:
    try:
        return len(json.loads(out)["results"])
    except (ValueError, KeyError):
        return None


def _findings_ruff(out: bytes) -> int | None:
    try:
        return len(json.loads(out))
    except ValueError:
        return None


def tools(paths: Sequence[Path], cache_dir: Path) -> dict[str, tuple[list[str], Callable[[bytes], int | None], Callable[[], None]]]:
    p = [str(x) for x in paths]
    pyward = [sys.executable, "-m", "pyward", "scan", *p, "-f", "json", "-q", "--no-progress"]

    def clear_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    def nothing() -> None:
        return None

    return {
        "pyward -j1 (no cache)": ([*pyward, "-j", "1", "--no-cache"], _findings_pyward, nothing),
        "pyward -j2 (cold cache)": ([*pyward, "-j", "2", "--cache-dir", str(cache_dir)], _findings_pyward, clear_cache),
        "pyward -j2 (warm cache)": ([*pyward, "-j", "2", "--cache-dir", str(cache_dir)], _findings_pyward, nothing),
        "bandit -r": ([sys.executable, "-m", "bandit", "-r", *p, "-f", "json", "-q"], _findings_bandit, nothing),
        "ruff --select S": (
            [sys.executable, "-m", "ruff", "check", "--select", "S", "--no-cache", "--output-format", "json",
             "--exit-zero", "--isolated", *p],
            _findings_ruff,
            nothing,
        ),
    }


def bench_corpus(name: str, reps: int, only: Sequence[str] | None = None) -> dict[str, Any]:
    paths = prepare(name)
    files, lines = count_lines(paths)
    cache_dir = WORK / f"cache-{name}"
    table = tools(paths, cache_dir)
    if only is not None:
        table = {k: v for k, v in table.items() if k in only}
    runs: list[Run] = []
    for _rep in range(reps):
        for tool, (cmd, count, before) in table.items():  # alternate tools within each repetition
            before()
            wall, cpu, rss, code, out = _measure(cmd)
            phases = _phases_pyward(out, wall) if tool.startswith("pyward") else {}
            runs.append(Run(tool, name, wall, cpu, rss, count(out), code, phases))
            print(f"  {name:14} {tool:26} {wall:7.2f}s cpu {cpu:6.2f}s rss {rss:7.1f} MiB", flush=True)
    summary: dict[str, Any] = {}
    for tool in table:
        mine = [r for r in runs if r.tool == tool]
        walls = [r.wall for r in mine]
        summary[tool] = {
            "wall_median": statistics.median(walls),
            "wall_min": min(walls),
            "wall_max": max(walls),
            "cpu_median": statistics.median(r.cpu for r in mine),
            "peak_rss_mib": max(r.peak_rss_mib for r in mine),
            "findings": mine[-1].findings,
            "findings_per_kloc": (mine[-1].findings or 0) / (lines / 1000) if lines else 0.0,
            "lines_per_second": lines / statistics.median(walls) if walls else 0.0,
            "exit_codes": sorted({r.exit_code for r in mine}),
        }
        phase_names = sorted({k for r in mine for k in r.phases})
        if phase_names:
            summary[tool]["phases_median"] = {
                k: statistics.median(r.phases.get(k, 0.0) for r in mine) for k in phase_names
            }
    bandit = summary["bandit -r"]["wall_median"] if "bandit -r" in summary else 0.0
    for tool, data in summary.items():
        data["ratio_to_bandit"] = data["wall_median"] / bandit if bandit else None
    return {"corpus": name, "paths": [str(p) for p in paths], "files": files, "lines": lines,
            "tools": summary, "runs": [asdict(r) for r in runs]}


def one_file_edit(name: str) -> dict[str, float]:
    """Warm re-scan after editing one file (the target: <= 2 s)."""
    paths = prepare(name)
    work = WORK / f"edit-{name}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(paths[0], work / paths[0].name)
    cache_dir = WORK / f"cache-edit-{name}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    cmd = [sys.executable, "-m", "pyward", "scan", str(work), "-f", "json", "-q", "--no-progress", "-j", "2",
           "--cache-dir", str(cache_dir)]
    _measure(cmd)
    target = sorted(work.rglob("*.py"))[len(list(work.rglob("*.py"))) // 2]
    target.write_text(target.read_text(encoding="utf-8", errors="replace") + "\n# edited\nimport os\nos.system(x)\n")
    wall, cpu, rss, _code, _out = _measure(cmd)
    return {"wall": wall, "cpu": cpu, "peak_rss_mib": rss, "file": str(target.relative_to(work))}


def profile_pyward(name: str) -> str:
    """cProfile of a single-process scan: where the time goes. The engine runs the per-file work
    in a helper thread (for its large stack), which cProfile does not follow: here the files are
    processed in the profiled thread itself."""
    from pyward import engine
    from pyward.engine import ScanOptions, scan

    paths = prepare(name)
    in_thread = engine._process_batch
    engine._process_batch = lambda files: [engine._process_one(f) for f in files]  # type: ignore[assignment]
    prof = cProfile.Profile()
    try:
        prof.enable()
        scan(ScanOptions(paths, jobs=1, use_cache=False))
        prof.disable()
    finally:
        engine._process_batch = in_thread  # type: ignore[assignment]
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
    return buf.getvalue()


def deps_timings() -> dict[str, Any]:
    """Index build from the shared PyPA data, and a 500-dependency lock file audit."""
    advisories = SHARED / "advisories" / "pypa"
    out: dict[str, Any] = {}
    if not advisories.is_dir():
        return {"skipped": "no shared advisory data"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "adv.sqlite3"
        wall, cpu, rss, code, _ = _measure([sys.executable, "-m", "pyward", "db", "import", str(advisories),
                                            "--db", str(db)])
        out["index_build"] = {"wall": wall, "cpu": cpu, "peak_rss_mib": rss, "exit_code": code}
        top = json.loads((SHARED / "top-pypi-packages.min.json").read_text())
        rows = top["rows"] if isinstance(top, dict) else top
        names = [r["project"] if isinstance(r, dict) else str(r) for r in rows][:500]
        req = Path(tmp) / "requirements.txt"
        req.write_text("".join(f"{n}==1.0.0\n" for n in names))
        cmd = [sys.executable, "-m", "pyward", "deps", str(req), "--db", str(db), "-f", "json", "--no-cache"]
        startup, *_ = _measure([sys.executable, "-m", "pyward", "--version"])
        wall, cpu, rss, code, out_bytes = _measure(cmd)
        out["audit_500"] = {"wall": wall, "startup": startup, "after_startup": wall - startup, "cpu": cpu,
                            "peak_rss_mib": rss, "exit_code": code, "findings": _findings_pyward(out_bytes)}
    return out


# ---------------------------------------------------------------------------------------------
# output


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "processor": platform.processor() or platform.machine(),
    }


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"Measured {result['date']} on {m['cpus']} CPUs, {m['memory_gib']} GiB, {m['platform']}, "
        f"Python {m['python']}; {result['reps']} repetition(s), tools alternating.",
        "",
        "| corpus | files | lines | tool | wall median (min–max) | CPU | peak RSS (tree) | findings | /kloc | lines/s | × Bandit |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for c in result["corpora"]:
        for tool, d in c["tools"].items():
            ratio = f"{d['ratio_to_bandit']:.3f}" if d["ratio_to_bandit"] is not None else "-"
            lines.append(
                f"| {c['corpus']} | {c['files']} | {c['lines']} | {tool} | {d['wall_median']:.2f} s "
                f"({d['wall_min']:.2f}–{d['wall_max']:.2f}) | {d['cpu_median']:.2f} s | {d['peak_rss_mib']:.0f} MiB | "
                f"{d['findings']} | {d['findings_per_kloc']:.2f} | {d['lines_per_second']:,.0f} | {ratio} |"
            )
    lines += _phase_lines(result)
    if result.get("edit"):
        e = result["edit"]
        lines += ["", f"One-file edit, warm re-scan of the Django source: {e['wall']:.2f} s ({e['file']})."]
    if result.get("deps"):
        d = result["deps"]
        if "index_build" in d:
            lines += ["", f"Advisory index build from the PyPA data: {d['index_build']['wall']:.2f} s; "
                      f"500-dependency audit: {d['audit_500']['wall']:.2f} s "
                      f"({d['audit_500']['after_startup']:.2f} s after start-up)."]
    return "\n".join(lines) + "\n"


def _phase_lines(result: dict[str, Any]) -> list[str]:
    """Where pyward's cold -j2 time goes, per corpus (medians of pyward's own phase timings).
    ``file:*`` entries are CPU seconds summed over all files (spread over the workers);
    ``project:*`` entries run in the main process after the per-file phase."""
    tool = "pyward -j2 (cold cache)"
    rows = [c for c in result["corpora"] if c["tools"].get(tool, {}).get("phases_median")]
    if not rows:
        return []
    out = ["", f"Where the time of `{tool}` goes (medians, seconds; `file:*` is CPU summed over files, "
           "run in 2 workers; `project:*` runs after them in the main process; `outside` is interpreter "
           "start-up, imports and writing the report):", "",
           "| corpus | wall | outside | discover + rules | files (wall) | project (wall) | file:parse | "
           "file:semantic | file:taint | file:ast | other file:* | project:taint |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in rows:
        d = c["tools"][tool]
        p = d["phases_median"]
        named = ("file:parse", "file:semantic", "file:taint", "file:ast")
        other = sum(v for k, v in p.items() if k.startswith("file:") and k not in named)
        out.append(
            f"| {c['corpus']} | {d['wall_median']:.2f} | {p.get('outside', 0):.2f} | {p.get('discover', 0):.2f} | "
            f"{p.get('files', 0):.2f} | {p.get('project', 0):.2f} | {p.get('file:parse', 0):.2f} | "
            f"{p.get('file:semantic', 0):.2f} | {p.get('file:taint', 0):.2f} | {p.get('file:ast', 0):.2f} | "
            f"{other:.2f} | {p.get('project:taint', 0):.2f} |"
        )
    return out


def targets(result: dict[str, Any]) -> list[str]:
    """The targets of issue 7, each checked against this run's figures."""
    out: list[str] = []

    def line(name: str, value: str, ok: bool | None) -> None:
        verdict = "not measured in this run" if ok is None else ("met" if ok else "**not met**")
        out.append(f"| {name} | {value} | {verdict} |")

    by_name = {c["corpus"]: c for c in result["corpora"]}
    django = by_name.get("django")
    if django and "bandit -r" in django["tools"] and "pyward -j2 (cold cache)" in django["tools"]:
        cold = django["tools"]["pyward -j2 (cold cache)"]["wall_median"]
        bandit = django["tools"]["bandit -r"]["wall_median"]
        line("Cold full scan of Django >= 4x faster than Bandit (same run)",
             f"{cold:.2f} s vs {bandit:.2f} s: {bandit / cold:.2f}x", bandit / cold >= 4)
    else:
        line("Cold full scan of Django >= 4x faster than Bandit (same run)", "-", None)
    if django and "pyward -j2 (warm cache)" in django["tools"]:
        warm = django["tools"]["pyward -j2 (warm cache)"]["wall_median"]
        line("Warm re-scan of unchanged Django <= 1 s", f"{warm:.2f} s", warm <= 1.0)
    edit = result.get("edit")
    line("One-file edit re-scan <= 2 s", f"{edit['wall']:.2f} s" if edit else "-", edit["wall"] <= 2.0 if edit else None)
    scaling = result.get("scaling") or []
    full = next((s for s in scaling if s["percent"] == 100), None)
    line("Peak memory for CPython Lib/ with test/ <= 500 MiB",
         f"{full['peak_rss_mib']:.0f} MiB ({full['lines']} lines)" if full else "-",
         full["peak_rss_mib"] <= 500 if full else None)
    if len(scaling) >= 2:
        a, b = scaling[0], scaling[-1]
        growth = (b["wall"] / a["wall"]) / (b["lines"] / a["lines"])
        line("Time grows no worse than linearly in lines",
             f"x{b['lines'] / a['lines']:.1f} lines -> x{b['wall'] / a['wall']:.1f} time "
             f"(time per line x{growth:.2f}; up to x1.15 allowed for run-to-run noise)", growth <= 1.15)
    else:
        line("Time grows no worse than linearly in lines", "-", None)
    return ["", "Targets of issue 7 checked against this run:", "", "| target | this run | verdict |",
            "| --- | --- | --- |", *out]


def report_markdown(result: dict[str, Any]) -> str:
    """The whole Markdown report of a run (also rebuilt from a saved JSON with --from-json)."""
    md = markdown(result)
    if result.get("scaling"):
        md += ("\nScaling series: fixed-seed random samples (a quarter, a half, all) of the files of CPython's "
               "`Lib/` with its tests, so every share has the same mix of code; pyward `-j 2`, cold cache, one "
               "run each.\n")
        md += "\n| stdlib share | lines | pyward -j2 cold | peak RSS |\n| ---: | ---: | ---: | ---: |\n"
        for s in result["scaling"]:
            md += f"| {s['percent']} % | {s['lines']} | {s['wall']:.2f} s | {s['peak_rss_mib']:.0f} MiB |\n"
    md += "\n".join(targets(result)) + "\n"
    return md


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default="django,wagtail,flask,stdlib-notest,stdlib")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 repetition; no scaling, edit, deps or profile")
    ap.add_argument("--update-docs", action="store_true", help="rewrite docs/performance.md")
    ap.add_argument("--from-json", metavar="FILE", help="only rebuild the report from a saved result")
    args = ap.parse_args(argv)
    if args.from_json:
        md = report_markdown(json.loads(Path(args.from_json).read_text()))
        print(md)
        if args.update_docs:
            _write_doc(md)
        return 0
    reps = 1 if args.quick else args.reps
    names = [n for n in args.corpora.split(",") if n]
    result: dict[str, Any] = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                              "machine": machine(), "reps": reps, "corpora": []}
    warm_up()
    for name in names:
        print(f"corpus {name}", flush=True)
        result["corpora"].append(bench_corpus(name, reps))
    if not args.quick:
        print("scaling series", flush=True)
        result["scaling"] = []
        for pct in (25, 50, 100):
            # pyward only: Bandit on all of Lib/ with tests takes minutes (see the corpus table)
            c = bench_corpus(f"stdlib-{pct}", 1, only=["pyward -j1 (no cache)", "pyward -j2 (cold cache)"])
            t = c["tools"]["pyward -j2 (cold cache)"]
            result["scaling"].append({"percent": pct, "lines": c["lines"], "wall": t["wall_median"],
                                      "peak_rss_mib": t["peak_rss_mib"]})
        if "django" in names:
            result["edit"] = one_file_edit("django")
            result["profile"] = profile_pyward("django")
        result["deps"] = deps_timings()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    (RESULTS / f"{stamp}.json").write_text(json.dumps(result, indent=2) + "\n")
    md = report_markdown(result)
    if result.get("profile"):
        (RESULTS / f"{stamp}-profile.txt").write_text(result["profile"])
    (RESULTS / f"{stamp}.md").write_text(md)
    print(md)
    if args.update_docs:
        _write_doc(md)
    return 0


def _write_doc(md: str) -> None:
    doc = REPO / "docs" / "performance.md"
    head = "# Performance\n\nGenerated by `python bench/run.py --update-docs`.\n\n"
    doc.write_text(head + md)


if __name__ == "__main__":
    sys.exit(main())
