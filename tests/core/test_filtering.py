"""Suppressions, baseline, configuration and selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import run_scan

from pyward.baseline import load_baseline, write_baseline
from pyward.cli import main
from pyward.settings import ConfigError, Settings, load_settings

YAML = "import yaml\n"


def _codes(report: object) -> set[tuple[int, str]]:
    return {(f.span.line, f.code) for f in report.findings}  # type: ignore[attr-defined]


def test_inline_suppression_with_code(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        YAML
        + "yaml.load(a)  # pyward: ignore[PWA301]\n"
        + "yaml.load(b)  # pyward: ignore[PWT101]\n"
        + "yaml.load(c)\n"
    )
    report = run_scan([tmp_path], root=tmp_path)
    assert _codes(report) == {(3, "PWA301"), (4, "PWA301")}
    assert report.suppressed == 1


def test_suppression_on_any_line_of_a_multiline_statement(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        YAML
        + "value = yaml.load(\n"
        + "    data,\n"
        + ")  # pyward: ignore[PWA301]\n"
        + "other = yaml.load(\n"
        + "    data,  # pyward: ignore[PWA301]\n"
        + ")\n"
        + "kept = yaml.load(data)\n"
    )
    report = run_scan([tmp_path], root=tmp_path)
    assert _codes(report) == {(8, "PWA301")}


def test_suppression_inside_string_is_not_a_comment(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(YAML + "yaml.load('# pyward: ignore[PWA301]' + x)\n")
    report = run_scan([tmp_path], root=tmp_path)
    assert _codes(report) == {(2, "PWA301")}


def test_nosec_is_honoured_and_mapped(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        YAML
        + "yaml.load(a)  # nosec\n"
        + "yaml.load(b)  # nosec B506\n"
        + "yaml.load(c)  # nosec B602\n"
    )
    report = run_scan([tmp_path], root=tmp_path)
    assert _codes(report) == {(4, "PWA301")}


def test_blanket_suppression_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(YAML + "yaml.load(a)  # pyward: ignore\n")
    report = run_scan([tmp_path], root=tmp_path)
    assert _codes(report) == set()
    assert [(d.code, d.span.line) for d in report.diagnostics] == [("PWX002", 2)]


def test_unused_suppression_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(YAML + "x = 1  # pyward: ignore[PWA301]\nyaml.load(a)  # pyward: ignore[PWA301]\n")
    report = run_scan([tmp_path], root=tmp_path)
    assert not [d for d in report.diagnostics if d.code == "PWX003"]
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(warn_unused_ignores=True))
    assert [(d.code, d.span.line) for d in report.diagnostics if d.code == "PWX003"] == [("PWX003", 2)]


def test_baseline_survives_inserted_lines_and_counts_duplicates(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text(YAML + "def f(x):\n    return yaml.load(x)\n")
    baseline = tmp_path / "baseline.json"
    report = run_scan([src], root=tmp_path)
    assert write_baseline(baseline, report.findings) == 1
    assert json.loads(baseline.read_text())["pyward_baseline"] == 1

    src.write_text(YAML + "\n\n# moved down\nimport os\ndef f(x):\n    return yaml.load(x)\n")
    from pyward.engine import ScanOptions, scan

    def scan_with_baseline() -> object:
        return scan(ScanOptions([src], root=tmp_path, use_cache=False, jobs=1, baseline=baseline))

    report = scan_with_baseline()
    assert report.findings == () and report.baselined == 1  # type: ignore[attr-defined]

    # A second, identical finding is new.
    src.write_text(YAML + "def f(x):\n    return yaml.load(x)\ndef g(x):\n    return yaml.load(x)\n")
    report = scan_with_baseline()
    assert [f.span.line for f in report.findings] == [5]  # type: ignore[attr-defined]


def test_baseline_errors(tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text("{not json")
    from pyward.baseline import BaselineError

    with pytest.raises(BaselineError, match="invalid JSON"):
        load_baseline(bad)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path), "--baseline", str(bad), "--no-cache"]) == 2


def test_write_baseline_then_scan_is_clean(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(YAML + "yaml.load(x)\n")
    base = tmp_path / "base.json"
    assert main(["scan", str(tmp_path), "--no-cache", "-q", "--write-baseline", str(base)]) == 1
    assert main(["scan", str(tmp_path), "--no-cache", "-q", "--baseline", str(base)]) == 0


def test_config_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pyward]\n"
        'ignore = ["PWA301"]\n'
        'exclude = ["vendored"]\n'
        "[tool.pyward.per-path-ignores]\n"
        '"tests/*" = ["PWA"]\n'
    )
    (tmp_path / "a.py").write_text(YAML + "yaml.load(x)\n")
    assert main(["scan", str(tmp_path), "--no-cache", "-q"]) == 0
    assert main(["scan", str(tmp_path), "--no-cache", "-q", "--select", "PWA301"]) == 1


def test_per_path_ignores(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text(YAML + "yaml.load(x)\n")
    (tmp_path / "app.py").write_text(YAML + "yaml.load(x)\n")
    settings = Settings(per_path_ignores=(("tests/*", ("PWA",)),))
    report = run_scan([tmp_path], root=tmp_path, settings=settings)
    assert [f.span.path for f in report.findings] == ["app.py"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.pyward]\nselct = ['PWA']\n", "unknown key 'selct'"),
        ("[tool.pyward]\njobs = 'many'\n", "jobs"),
        ("[tool.pyward]\nfail-on = 'urgent'\n", "fail-on"),
        ("[tool.pyward\n", "invalid TOML"),
    ],
)
def test_invalid_config(tmp_path: Path, toml: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert str(cfg) in err and message.split("'")[0] in err


def test_severity_threshold_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(YAML + "yaml.load(x)\n")
    assert main(["scan", str(tmp_path), "--no-cache", "-q", "--fail-on", "critical"]) == 0
    assert main(["scan", str(tmp_path), "--no-cache", "-q", "--severity", "critical"]) == 0
