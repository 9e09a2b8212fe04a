"""PWA3xx/PWA4xx catalogue: fixture coverage, supersession by taint, per-finding severities."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import FIXTURES, run_scan

from pyward.model import Confidence, Severity
from pyward.registry import all_rules
from pyward.rules.base import Rule
from pyward.settings import Settings

RULES = [r for r in all_rules() if r.meta.code.startswith(("PWA3", "PWA4"))]
AUDIT = {"PWA301", "PWA302", "PWA310", "PWA311", "PWA320", "PWA340", "PWA341", "PWA343"}


def test_catalogue_is_complete() -> None:
    assert {r.meta.code for r in RULES} >= {
        "PWA301", "PWA302", "PWA310", "PWA311", "PWA320", "PWA330", "PWA331", "PWA332", "PWA333",
        "PWA334", "PWA340", "PWA341", "PWA342", "PWA343", "PWA350", "PWA360", "PWA370", "PWA371",
        "PWA372", "PWA373", "PWA374",
    }  # fmt: skip
    assert next(r for r in RULES if r.meta.code == "PWA301").meta.name == "unsafe-yaml-load"
    assert next(r for r in RULES if r.meta.code == "PWA330").meta.name == "insecure-temp-file"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_fixture_has_three_vulnerable_and_three_safe_lines(rule: type[Rule]) -> None:
    code = rule.meta.code
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "rules" / code).rglob("*.py")))
    expect = len(re.findall(rf"expect:[^#\n]*\b{code}\b", text))
    ok = len(re.findall(rf"ok:[^#\n]*\b{code}\b", text))
    assert expect >= 3 and ok >= 3, (expect, ok)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_audit_rules_yield_to_taint(rule: type[Rule]) -> None:
    assert (rule.superseded_by == ("PWT",)) == (rule.meta.code in AUDIT)


def _findings(tmp_path: Path, code: str, source: str) -> list[tuple[int, Severity, Confidence]]:
    target = tmp_path / "snippet.py"
    target.write_text(source, encoding="utf-8")
    report = run_scan([target], root=tmp_path, settings=Settings(select=(code,)))
    return [(f.span.line, f.severity, f.confidence) for f in report.findings if f.code == code]


def test_yaml_full_loader_is_medium(tmp_path: Path) -> None:
    src = "import yaml\ndef f(s):\n    yaml.full_load(s)\n    yaml.load(s, Loader=yaml.UnsafeLoader)\n"
    assert _findings(tmp_path, "PWA301", src) == [
        (3, Severity.MEDIUM, Confidence.MEDIUM),
        (4, Severity.HIGH, Confidence.HIGH),
    ]


def test_torch_load_default_is_low(tmp_path: Path) -> None:
    src = "import torch\ndef f(p):\n    torch.load(p)\n    torch.load(p, weights_only=False)\n"
    assert _findings(tmp_path, "PWA302", src) == [
        (3, Severity.LOW, Confidence.LOW),
        (4, Severity.MEDIUM, Confidence.MEDIUM),
    ]


def test_zip_extraction_is_low_tar_is_high(tmp_path: Path) -> None:
    src = (
        "import tarfile, zipfile\n"
        "def f(p, d):\n"
        "    zipfile.ZipFile(p).extractall(d)\n"
        "    tarfile.open(p).extractall(d)\n"
    )
    assert _findings(tmp_path, "PWA332", src) == [
        (3, Severity.LOW, Confidence.LOW),
        (4, Severity.HIGH, Confidence.MEDIUM),
    ]


def test_trust_remote_code_raises_severity(tmp_path: Path) -> None:
    src = (
        "from transformers import AutoModel\n"
        "AutoModel.from_pretrained('org/m')\n"
        "AutoModel.from_pretrained('org/m', trust_remote_code=True)\n"
    )
    assert _findings(tmp_path, "PWA373", src) == [
        (2, Severity.LOW, Confidence.MEDIUM),
        (3, Severity.MEDIUM, Confidence.MEDIUM),
    ]


def test_nosec_with_bandit_id_suppresses(tmp_path: Path) -> None:
    src = (
        "import tempfile\n"
        "a = tempfile.mktemp()  # nosec B306\n"
        "b = tempfile.mktemp()  # nosec B602\n"
        "c = tempfile.mktemp()\n"
    )
    assert [line for line, _s, _c in _findings(tmp_path, "PWA330", src)] == [3, 4]
