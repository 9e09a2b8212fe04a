"""The taint engine end to end: traces of cross-module findings, SARIF codeFlows, local sources,
per-class sanitisers, worker processes and the cache, and hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from support import SHARED_DATA, run_scan

from pyward.engine import ScanOptions, scan
from pyward.model import Severity
from pyward.output.sarif import report_to_sarif
from pyward.settings import Settings

SCHEMA = json.loads((SHARED_DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())

VIEWS = """\
from flask import Flask, request

from app import service

app = Flask(__name__)


@app.route("/orders")
def orders():
    customer = request.args["customer"]
    label = customer.strip()
    return service.orders_for(label)
"""

SERVICE = """\
from app.db import fetch


def orders_for(name):
    sql = "SELECT * FROM orders WHERE customer = '" + name + "'"
    return fetch(sql)
"""

DB = """\
import sqlite3


def fetch(query):
    conn = sqlite3.connect("shop.db")
    return conn.execute(query).fetchall()
"""


def _project(tmp_path: Path) -> Path:
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "views.py").write_text(VIEWS)
    (pkg / "service.py").write_text(SERVICE)
    (pkg / "db.py").write_text(DB)
    return tmp_path


def test_cross_module_trace(tmp_path: Path) -> None:
    root = _project(tmp_path)
    report = run_scan([root], root=root, settings=Settings(select=("PWT101",)))
    assert [(f.code, f.span.path, f.span.line) for f in report.findings] == [("PWT101", "app/db.py", 6)]
    finding = report.findings[0]
    assert finding.severity is Severity.HIGH
    assert finding.cwe == (89,)
    steps = [(s.span.path, s.span.line, s.label) for s in finding.trace]
    assert steps == [
        ("app/views.py", 10, "source: Flask request.args"),
        ("app/views.py", 10, "assigned to `customer`"),
        ("app/views.py", 11, "assigned to `label`"),
        ("app/views.py", 12, "passed to `service.orders_for()`"),
        ("app/service.py", 4, "parameter `name` of `orders_for`"),
        ("app/service.py", 5, "assigned to `sql`"),
        ("app/service.py", 6, "passed to `fetch()`"),
        ("app/db.py", 4, "parameter `query` of `fetch`"),
        ("app/db.py", 6, "sink: sqlite3.Connection.execute()"),
    ]
    assert "Flask request.args" in finding.message


def test_sarif_code_flows_validate(tmp_path: Path) -> None:
    root = _project(tmp_path)
    report = run_scan([root], root=root, settings=Settings(select=("PWT",)))
    sarif = report_to_sarif(report)
    jsonschema.validate(sarif, SCHEMA)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["PWT101"]
    flows = results[0]["codeFlows"]
    assert len(flows) == 1
    locations = flows[0]["threadFlows"][0]["locations"]
    uris = [loc["location"]["physicalLocation"]["artifactLocation"]["uri"] for loc in locations]
    lines = [loc["location"]["physicalLocation"]["region"]["startLine"] for loc in locations]
    assert uris == ["app/views.py"] * 4 + ["app/service.py"] * 3 + ["app/db.py"] * 2
    assert lines == [10, 10, 11, 12, 4, 5, 6, 4, 6]
    assert locations[0]["location"]["message"]["text"] == "source: Flask request.args"
    assert locations[-1]["location"]["message"]["text"] == "sink: sqlite3.Connection.execute()"


def test_worker_processes_and_cache_give_the_same_findings(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    root = _project(tmp_path / "src")
    for i in range(20):  # enough files for the process pool to be used
        (root / "app" / f"filler{i}.py").write_text(f"def f{i}(x):\n    return x\n")
    settings = Settings(select=("PWT",))
    cache = tmp_path / "cache"

    def once(jobs: int) -> list[tuple[str, int, int]]:
        report = scan(
            ScanOptions(
                paths=[root], root=root, settings=settings, jobs=jobs, cache_dir=cache, use_cache=True
            )
        )
        return [(f.span.path, f.span.line, len(f.trace)) for f in report.findings]

    first = once(2)
    assert first == [("app/db.py", 6, 9)]
    assert once(2) == first  # from the cache
    assert once(1) == first


SCRIPT = """\
import os
import sys

target = sys.argv[1]
os.system("ping " + target)
"""


def test_local_sources_only_when_asked_and_at_lower_severity(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text(SCRIPT)
    off = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT",)))
    assert off.findings == ()
    on = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT",), local_sources=True))
    assert [(f.code, f.span.line) for f in on.findings] == [("PWT102", 5)]
    assert on.findings[0].severity is Severity.HIGH  # one below PWT102's critical
    assert "local input (sys.argv)" in on.findings[0].message


SANITISERS = """\
import os
import shlex
import sqlite3

from flask import request


def handler():
    name = shlex.quote(request.args["name"])
    os.system("finger " + name)
    sqlite3.connect("x.db").execute("SELECT * FROM users WHERE name = " + name)
    number = int(request.args["n"])
    os.system("seq " + str(number))
"""


def test_a_sanitiser_clears_only_its_classes(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text(SANITISERS)
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT",)))
    assert [(f.code, f.span.line) for f in report.findings] == [("PWT101", 11)]


def test_hostile_input_does_not_crash(tmp_path: Path) -> None:
    terms = " + ".join(f"x{i}" for i in range(3000))
    nested = "(" * 90 + "request.args['a']" + ")" * 90
    source = (
        "import os\nfrom flask import request\n\n"
        f"def deep(x0):\n    os.system({terms})\n\n"
        f"def nested():\n    os.system({nested})\n\n"
        "def recursive(n):\n    return recursive(n) + request.args['q']\n\n"
        "def caller():\n    os.system(recursive(1))\n"
    )
    (tmp_path / "deep.py").write_text(source)
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT",)))
    assert not [d for d in report.diagnostics if d.code in ("PWX001", "PWX004")]
    assert [(f.code, f.span.line) for f in report.findings] == [("PWT102", 8), ("PWT102", 14)]


@pytest.mark.parametrize(
    "source",
    [
        "from flask import request\nimport os\nos.system(request.args['x'])  # top level\n",
        "import os\nfrom flask import request\nclass A:\n    cmd = request.args['c']\n    os.system(cmd)\n",
    ],
)
def test_module_and_class_level_code(tmp_path: Path, source: str) -> None:
    (tmp_path / "m.py").write_text(source)
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT102",)))
    assert [f.code for f in report.findings] == ["PWT102"]


def test_stale_cache_entries_are_analysed_again(tmp_path: Path) -> None:
    import ast

    from pyward.analysis.base import FileEntry, ProjectModel
    from pyward.analysis.taint.engine import TaintAnalysis
    from pyward.model import FileKind
    from pyward.rules.taint.command_injection import CommandInjection

    source = "import os\nfrom flask import request\n\ndef f():\n    os.system(request.args['c'])\n"
    (tmp_path / "m.py").write_text(source)
    settings = Settings(select=("PWT102",))
    analysis = TaintAnalysis([CommandInjection], settings)
    for stale in (b"not a pickle", b"\x80\x05N.", None):
        data = {} if stale is None else {"taint": stale}
        entry = FileEntry("m.py", str(tmp_path / "m.py"), FileKind.PYTHON, "m", data)
        project = ProjectModel(
            tmp_path, settings, [entry], parse=lambda _p: ast.parse(source), read_text=lambda _p: source
        )
        found = [(f.code, f.span.line) for f in analysis.analyze_project(project)]
        assert found == ([] if stale is None else [("PWT102", 5)])


HELPERS = """\
import os

from flask import request


def tidy(value):
    return value.strip()


def view():
    os.system("ls " + tidy(request.args["d"]))
"""


def test_trace_through_a_helper_return(tmp_path: Path) -> None:
    (tmp_path / "h.py").write_text(HELPERS)
    report = run_scan([tmp_path], root=tmp_path, settings=Settings(select=("PWT102",)))
    assert [(f.code, f.span.line) for f in report.findings] == [("PWT102", 11)]
    steps = [(s.span.line, s.label) for s in report.findings[0].trace]
    assert steps == [
        (11, "source: Flask request.args"),
        (11, "passed to `tidy()`"),
        (6, "parameter `value` of `tidy`"),
        (7, "returned"),
        (11, "returned by `tidy()`"),
        (11, "sink: os.system()"),
    ]
