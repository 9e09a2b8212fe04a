"""Where the advisory database and the popular-packages list live."""

from __future__ import annotations

import os
from pathlib import Path

DB_FILENAME = "advisories.sqlite3"
POPULAR_FILENAME = "top-pypi-packages.json"
#: What ``pyward db update`` downloads by default (kept here so the CLI can show them cheaply).
DEFAULT_SOURCES: tuple[str, ...] = ("https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip",)
DEFAULT_POPULAR_URL = "https://hugovk.github.io/top-pypi-packages/top-pypi-packages.min.json"


def default_db_path() -> Path:
    """``--db`` / ``PYWARD_DB`` override this; default is the platform user cache dir."""
    env = os.environ.get("PYWARD_DB")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pyward")) / DB_FILENAME


def resolve_db_path(option: str | os.PathLike[str] | None) -> Path:
    return Path(option) if option else default_db_path()


def popular_list_path(db_path: Path) -> Path:
    """The popular-packages list is kept beside the database (written by ``db update``/``db import``)."""
    return db_path.with_name(POPULAR_FILENAME)
