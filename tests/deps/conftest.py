from __future__ import annotations

from pathlib import Path

import pytest
from support_deps import shared_pypa_db

from pyward.deps.advisories.db import AdvisoryDatabase


@pytest.fixture(scope="session")
def pypa_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_pypa_db(tmp_path_factory)


@pytest.fixture()
def pypa_db(pypa_db_path: Path) -> AdvisoryDatabase:
    db = AdvisoryDatabase.open(pypa_db_path)
    yield db  # type: ignore[misc]
    db.close()
