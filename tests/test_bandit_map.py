"""docs/migrating-from-bandit.md is generated from the registry: every Bandit test id is either
declared by a rule or explained, every id a rule declares is a real Bandit id, and the document
on disk matches what the generator produces."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from pyward.registry import all_rules, bandit_map

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_bandit_map", ROOT / "scripts" / "gen_bandit_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_bandit_map", module)
    spec.loader.exec_module(module)
    return module


def _ids() -> dict[str, dict[str, object]]:
    with (ROOT / "scripts" / "bandit_ids.toml").open("rb") as fh:
        return tomllib.load(fh)


def test_every_bandit_19_id_is_listed() -> None:
    ids = _ids()
    current = {k for k, v in ids.items() if not v.get("removed")}
    expected = {
        *(f"B{n}" for n in (*range(101, 109), 110, 112, 113, 201, 202)),
        *(f"B{n}" for n in range(301, 325) if n not in (309, 320, 322)),
        *(f"B{n}" for n in range(401, 416) if n not in (410, 414)),
        *(f"B{n}" for n in range(501, 510)),
        *(f"B{n}" for n in range(601, 616)),
        "B701", "B702", "B703", "B704",
    }  # fmt: skip
    assert current == expected


def test_every_id_is_mapped_or_explained() -> None:
    mapped = bandit_map()
    missing = [bid for bid, entry in _ids().items() if bid not in mapped and not entry.get("reason")]
    assert missing == []


def test_declared_ids_are_real() -> None:
    ids = _ids()
    unknown = {(r.meta.code, b) for r in all_rules() for b in r.meta.bandit if b not in ids}
    assert unknown == set()


def test_pwa3_rules_declare_their_bandit_ids() -> None:
    mapped = bandit_map()
    assert "PWA301" in mapped["B506"]
    assert "PWA330" in mapped["B306"]
    assert "PWA310" in mapped["B602"]
    assert "PWA332" in mapped["B202"]
    assert "PWA371" in mapped["B613"]


def test_document_is_current() -> None:
    text, problems = _generator().render()
    assert problems == []
    on_disk = (ROOT / "docs" / "migrating-from-bandit.md").read_text(encoding="utf-8")
    assert on_disk == text, "docs/migrating-from-bandit.md is stale: run python scripts/gen_bandit_map.py"
