"""Crash-free sweep: pyward over CPython's whole ``Lib/`` (including ``test/``, which holds
deliberately broken syntax, odd encodings and huge files), and generated/mutated source that must
never make the engine raise."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyward.engine import ScanOptions, scan

STDLIB = Path(sysconfig.get_paths()["stdlib"])


@pytest.mark.slow
def test_cpython_lib_sweep(tmp_path: Path) -> None:
    out = tmp_path / "sweep.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pyward", "scan", str(STDLIB), "--no-cache", "-j", "2", "-q",
         "--no-progress", "-f", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    data = json.loads(out.read_text())
    internal = [d for d in data["diagnostics"] if d["code"] == "PWX004"]
    assert internal == [], internal[:10]
    assert data["summary"]["files_scanned"] > 1000
    skipped = data["files"]["skipped"]
    # Every file that was not parsed is listed with a reason, and has its PWX001 diagnostic.
    assert all(s["reason"] for s in skipped)
    parse_diags = {d["location"]["path"] for d in data["diagnostics"] if d["code"] == "PWX001"}
    assert {s["path"] for s in skipped if "syntax" in s["reason"] or "decode" in s["reason"]} <= parse_diags
    # CPython ships files that are broken on purpose; they must be among the skipped ones.
    names = {Path(s["path"]).name for s in skipped}
    assert "badsyntax_pep3120.py" in names or "bad_coding.py" in names


_FRAGMENTS = [
    "import os\n", "import subprocess as sp\n", "from flask import request\n", "def f(x, *a, **k):\n",
    "    return x\n", "class C:\n", "    def m(self, y):\n", "        self.y = y\n", "os.system(x)\n",
    "sp.run(cmd, shell=True)\n", "eval(request.args['q'])\n", "x = [i for i in range(3) if (j := i)]\n",
    "lambda *a, **k: a\n", "async def g():\n    await h()\n", "with open(p) as fh:\n    fh.read()\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\n", "match x:\n    case {'a': b, **rest}:\n        pass\n",
    "f'{x!r:>{width}}'\n", "global z\n", "yield from q\n", "@decorator\n", "    pass\n", "(\n", ")\n",
    "'''\n", "\\\n", "\t", "if x:\n", "else:\n", "del x[0]\n", "x: int = 1\n", "b'\\xff'\n",
]


def _scan_text(tmp: Path, text: str) -> None:
    target = tmp / "gen.py"
    target.write_text(text, encoding="utf-8", errors="surrogatepass")
    report = scan(ScanOptions([target], root=tmp, jobs=1, use_cache=False))
    assert not [d for d in report.diagnostics if d.code == "PWX004"], report.diagnostics


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=25))
def test_generated_source_never_raises(tmp_path: Path, parts: list[str]) -> None:
    _scan_text(tmp_path, "".join(parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_real_source_never_raises(tmp_path: Path, data: st.DataObject) -> None:
    source = (STDLIB / "subprocess.py").read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    start = data.draw(st.integers(0, len(lines) - 1))
    chunk = lines[start : start + data.draw(st.integers(1, 80))]
    text = "".join(chunk)
    for _ in range(data.draw(st.integers(0, 5))):
        pos = data.draw(st.integers(0, max(len(text) - 1, 0)))
        op = data.draw(st.sampled_from(["delete", "insert", "dup"]))
        if op == "delete":
            text = text[:pos] + text[pos + 1 :]
        elif op == "insert":
            text = text[:pos] + data.draw(st.sampled_from(list("()[]{}:'\"\\\n\t #=@*"))) + text[pos:]
        else:
            text = text[:pos] + text[pos : pos + 20] + text[pos:]
    _scan_text(tmp_path, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path: Path, blob: bytes) -> None:
    target = tmp_path / "rand.py"
    target.write_bytes(blob)
    report = scan(ScanOptions([target], root=tmp_path, jobs=1, use_cache=False))
    assert not [d for d in report.diagnostics if d.code == "PWX004"]
