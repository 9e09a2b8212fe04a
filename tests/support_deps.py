"""Shared helpers for dependency-audit tests: an advisory database built from the real PyPA data."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from support import SHARED_DATA

from pyward.deps.advisories.importer import SourceInput, build_database

PYPA = SHARED_DATA / "advisories" / "pypa"
POPULAR = SHARED_DATA / "top-pypi-packages.min.json"

_BUILT: dict[str, Path] = {}


def shared_pypa_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PyPA advisory data imported once per test session (with the popular-packages list)."""
    path = _BUILT.get("pypa")
    if path is None or not path.is_file():
        path = tmp_path_factory.mktemp("pypa-db") / "advisories.sqlite3"
        build_database(path, [SourceInput(PYPA, location=str(PYPA))], popular=POPULAR.read_bytes())
        _BUILT["pypa"] = path
    return path


def shared_zip(limit: int | None = None) -> bytes:
    """The shared PyPA YAML records as an OSV-style zip (flat names, like all.zip)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, path in enumerate(sorted((PYPA / "vulns").rglob("*.yaml"))):
            if limit is not None and i >= limit:
                break
            zf.writestr(path.name, path.read_bytes())
    return buf.getvalue()
