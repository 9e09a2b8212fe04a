"""docs/rules is generated from the rule docstrings and must be current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_rule_docs_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, "scripts/gen_rule_docs.py", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + "\nrun: python scripts/gen_rule_docs.py"
