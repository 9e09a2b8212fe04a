"""JSON and SARIF reports, and the CLI around them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from support import SHARED_DATA, run_scan

from pyward import __version__
from pyward.cli import main
from pyward.model import Confidence, Finding, Report, Severity, Span, TraceStep
from pyward.output.sarif import report_to_sarif

SCHEMA = json.loads((SHARED_DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())


def _sample(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "a.py").write_text("import yaml\n\ndef f(x):\n    return yaml.load(x)\n")
    (tmp_path / "app" / "broken.py").write_text("def (:\n")
    return tmp_path


def test_sarif_of_a_scan_validates(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    report = run_scan([root], root=root)
    sarif = report_to_sarif(report)
    jsonschema.validate(sarif, SCHEMA)
    run = sarif["runs"][0]
    result = run["results"][0]
    assert result["ruleId"] == "PWA301"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "app/a.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 4
    assert result["partialFingerprints"]["pywardFingerprint/v1"]
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "PWA301" and "external/cwe/cwe-502" in rule["properties"]["tags"]
    assert float(rule["properties"]["security-severity"]) > 0
    assert "## Example" in rule["help"]["markdown"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("app/broken.py" in json.dumps(n) for n in notes)


def test_sarif_code_flows_validate() -> None:
    span = Span("web/views.py", 10, 4, 10, 20)
    finding = Finding(
        code="PWA301",
        name="unsafe-yaml-load",
        message="m",
        span=span,
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(78,),
        trace=(
            TraceStep(Span("web/views.py", 3, 10), "source: flask.request.args"),
            TraceStep(Span("web/util.py", 7, 4), "call: util.build(cmd)"),
            TraceStep(span, "sink: os.system"),
        ),
        fingerprint="abc",
    )
    report = Report(__version__, "/tmp/x", (finding,), (), ("web/views.py",), ())
    sarif = report_to_sarif(report)
    jsonschema.validate(sarif, SCHEMA)
    flow = sarif["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [loc["location"]["physicalLocation"]["region"]["startLine"] for loc in flow] == [3, 7, 10]
    assert flow[1]["location"]["physicalLocation"]["artifactLocation"]["uri"] == "web/util.py"


def test_json_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _sample(tmp_path)
    assert main(["scan", str(root), "--no-cache", "-f", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == "1.0"
    assert data["tool"] == {"name": "pyward", "version": __version__}
    assert [(f["code"], f["location"]["path"], f["location"]["line"]) for f in data["findings"]] == [
        ("PWA301", "app/a.py", 4)
    ]
    assert data["files"]["skipped"] == [{"path": "app/broken.py", "reason": "syntax error: invalid syntax"}]
    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "json-schema.json").read_text())
    jsonschema.validate(data, schema)


def test_several_formats_in_one_run(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    out_json, out_sarif = tmp_path / "r.json", tmp_path / "r.sarif"
    code = main(["scan", str(root), "--no-cache", "-q", "-f", "json", "-o", str(out_json), "-f", "sarif", "-o", str(out_sarif)])
    assert code == 1
    assert json.loads(out_json.read_text())["findings"][0]["code"] == "PWA301"
    jsonschema.validate(json.loads(out_sarif.read_text()), SCHEMA)


def test_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _sample(tmp_path)
    main(["scan", str(root), "--no-cache"])
    out = capsys.readouterr().out
    assert "app/a.py" in out and "PWA301" in out and "yaml.load(x)" in out and "^" in out
    assert "\x1b[" not in out  # no colour when not a terminal
    assert "app/broken.py: syntax error" in out


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "clean.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path / "clean.py"), "--no-cache"]) == 0
    assert main(["scan", "--no-such-flag"]) == 2
    assert main(["scan", str(tmp_path), "--jobs", "0"]) == 2
    assert main(["explain", "PWZ999"]) == 2


def test_version_rules_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert {"PWA301"} <= {r["code"] for r in rules}
    assert main(["explain", "PWA301"]) == 0
    text = capsys.readouterr().out
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in text


def test_python_dash_m(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = subprocess.run([sys.executable, "-m", "pyward", "scan", str(tmp_path), "--no-cache", "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_command_output_is_complete_when_piped(tmp_path: Path) -> None:
    """The command exits without freeing its objects: what it wrote must still all arrive."""
    for i in range(300):
        (tmp_path / f"m{i}.py").write_text(f"import yaml\n\ndef f{i}(x):\n    return yaml.load(x)\n")
    proc = subprocess.run([sys.executable, "-m", "pyward", "scan", str(tmp_path), "--no-cache", "-f", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads(proc.stdout)["findings"]) == 300


def test_reader_gone_is_no_traceback(tmp_path: Path) -> None:
    """``pyward scan . | head``: the pipe closes early; no traceback, and the exit code still says
    whether there were findings."""
    for i in range(300):
        (tmp_path / f"m{i}.py").write_text(f"import yaml\n\ndef f{i}(x):\n    return yaml.load(x)\n")
    proc = subprocess.Popen([sys.executable, "-m", "pyward", "scan", str(tmp_path), "--no-cache", "-f", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 1
    assert "Traceback" not in err and "Error" not in err, err


def test_secrets_never_reach_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "Zq8vR2mW9xT4pL7nK3jH6gF1"
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    (tmp_path / "conf.py").write_text(f'DB_PASSWORD = "{secret}"\nGITHUB = "{token}"\n')
    for fmt in ("json", "sarif", "text"):
        main(["scan", str(tmp_path), "--no-cache", "-f", fmt])
        out = capsys.readouterr().out
        assert "PWA24" in out
        assert secret not in out and token not in out
