from __future__ import annotations

import os

# Tests never touch the user's real cache key or advisory database.
os.environ.setdefault(
    "PYWARD_CACHE_KEY_FILE",
    os.path.join(os.path.dirname(__file__), "..", ".pytest_cache", "pyward-cache.key"),
)

# Fixture trees are data for the scanner (some contain files named test_*.py); never collect them.
collect_ignore_glob = ["fixtures/*"]
