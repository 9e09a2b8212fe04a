"""Bad input never stops a scan: every bad file is listed with a reason, the other files'
findings are intact, and no traceback reaches the user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import run_scan

from pyward.cli import main
from pyward.model import Report

GOOD = "import yaml\n\ndef load(data):\n    return yaml.load(data)\n"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "good.py").write_text(GOOD)
    return root


def _good_findings_intact(report: Report) -> None:
    assert ("good.py", 4, "PWA301") in {(f.span.path, f.span.line, f.code) for f in report.findings}


def _skipped(report: Report) -> dict[str, str]:
    return {s.path: s.reason for s in report.files_skipped}


def test_binary_file_named_py(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "blob.py").write_bytes(bytes(range(256)) * 40)
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "NUL" in _skipped(report)["blob.py"]
    assert any(d.code == "PWX001" and d.span.path == "blob.py" for d in report.diagnostics)


def test_nul_bytes_in_source(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "nul.py").write_bytes(b"x = 1\n\x00\ny = 2\n")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "NUL" in _skipped(report)["nul.py"]


def test_latin1_with_coding_cookie_is_analysed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport yaml\nname = '\xe9t\xe9'\nyaml.load(stream)\n"
    )
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "latin.py" not in _skipped(report)
    assert ("latin.py", 4, "PWA301") in {(f.span.path, f.span.line, f.code) for f in report.findings}


def test_utf8_bom_is_analysed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bom.py").write_bytes(b"\xef\xbb\xbfimport yaml\nyaml.load(x)\n")
    report = run_scan([root], root=root)
    assert ("bom.py", 2, "PWA301") in {(f.span.path, f.span.line, f.code) for f in report.findings}


def test_invalid_utf8(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "bad_utf8.py").write_bytes(b"x = '\xff\xfe broken'\n")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "decode" in _skipped(report)["bad_utf8.py"]


def test_wrong_coding_cookie(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "cookie.py").write_bytes(b"# coding: no-such-codec\nx = 1\n")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "cookie.py" in _skipped(report)


def test_huge_generated_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    line = "value_{0} = compute('{0}', {0}) + other_{0}\n"
    chunk = "".join(line.format(i) for i in range(1000))
    big = root / "huge.py"
    with big.open("w") as handle:
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(chunk)
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "huge.py" in report.files_scanned


def test_deeply_nested_expression(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "deep.py").write_text("x = " + "+".join(["1"] * 10_000) + "\n")
    (root / "parens.py").write_text("x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n")
    (root / "lists.py").write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n")
    # In a subprocess: a C stack overflow would kill the process, not raise.
    proc = subprocess.run(
        [sys.executable, "-m", "pyward", "scan", str(root), "--no-cache", "-f", "json", "-j", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    import json

    data = json.loads(proc.stdout)
    scanned = set(data["files"]["scanned"])
    skipped = {s["path"]: s["reason"] for s in data["files"]["skipped"]}
    for name in ("deep.py", "parens.py", "lists.py"):
        assert name in scanned or name in skipped
    assert any(f["code"] == "PWA301" and f["location"]["path"] == "good.py" for f in data["findings"])
    assert not [d for d in data["diagnostics"] if d["code"] == "PWX004"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    secret = root / "secret.py"
    secret.write_text("x = 1\n")
    if os.geteuid() != 0:
        secret.chmod(0)
    else:  # root reads anything: make the read fail the way a permission error does
        original = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == "secret.py":
                raise PermissionError(13, "Permission denied", str(self))
            return original(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = run_scan([root], root=root, jobs=1)
    _good_findings_intact(report)
    assert _skipped(report)["secret.py"] == "permission denied"
    assert any(d.code == "PWX005" and d.span.path == "secret.py" for d in report.diagnostics)


def test_symlink_loop(tmp_path: Path) -> None:
    root = _project(tmp_path)
    sub = root / "sub"
    sub.mkdir()
    (sub / "loop").symlink_to(root, target_is_directory=True)
    (root / "self_link.py").symlink_to(root / "self_link.py")  # a link to itself
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    reasons = _skipped(report)
    assert reasons["sub/loop"] == "symbolic link loop (not followed)"
    assert "self_link.py" in reasons


def test_empty_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "empty.py").write_text("")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert "empty.py" in report.files_scanned


def test_directory_named_like_a_python_file(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "x.py").mkdir()
    (root / "x.py" / "inner.py").write_text("import yaml\nyaml.load(s)\n")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    assert ("x.py/inner.py", 2, "PWA301") in {(f.span.path, f.span.line, f.code) for f in report.findings}
    # Named explicitly, it is walked as the directory it is.
    report = run_scan([root / "x.py"], root=root)
    assert [f.span.path for f in report.findings] == ["x.py/inner.py"]


def test_syntax_error_is_reported_with_line(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "broken.py").write_text("x = 1\ndef f(:\n    pass\n")
    report = run_scan([root], root=root)
    _good_findings_intact(report)
    diag = next(d for d in report.diagnostics if d.span.path == "broken.py")
    assert diag.code == "PWX001" and diag.span.line == 2
    assert "syntax error" in diag.message


def test_rule_crash_is_a_diagnostic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pyward.registry import rule_by_code

    rule_cls = rule_by_code("PWA301")
    assert rule_cls is not None

    def boom(self: object, node: object, ctx: object) -> object:
        if getattr(ctx, "path", "") == "crash.py":
            raise ValueError("rule exploded")
        return original(self, node, ctx)

    original = rule_cls.visit
    monkeypatch.setattr(rule_cls, "visit", boom)
    root = _project(tmp_path)
    (root / "crash.py").write_text("import yaml\nyaml.load(x)\n")
    report = run_scan([root], root=root, jobs=1)
    _good_findings_intact(report)
    diags = [d for d in report.diagnostics if d.code == "PWX004"]
    assert diags and diags[0].span.path == "crash.py" and "rule exploded" in diags[0].message


def test_cli_never_prints_traceback_on_bad_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path)
    (root / "blob.py").write_bytes(b"\x00\x01\x02")
    (root / "broken.py").write_text("def (:\n")
    code = main(["scan", str(root), "--no-cache", "-j", "1"])
    out = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out.out + out.err
    assert "blob.py" in out.out and "broken.py" in out.out
