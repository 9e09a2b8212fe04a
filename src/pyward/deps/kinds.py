"""Which manifest parser reads a file, decided from its name alone.

Kept apart from :mod:`pyward.deps.manifests` (which loads ``packaging`` and every parser): file
discovery asks this for every file of a tree before any manifest is read.
"""

from __future__ import annotations

import fnmatch
import os
import re

_EXACT: dict[str, str] = {
    "pyproject.toml": "pyproject",
    "poetry.lock": "poetry.lock",
    "pipfile": "pipfile",
    "pipfile.lock": "pipfile.lock",
    "pdm.lock": "pdm.lock",
    "uv.lock": "uv.lock",
    "pylock.toml": "pylock",
    "environment.yml": "conda",
    "environment.yaml": "conda",
    "setup.cfg": "setup.cfg",
    "setup.py": "setup.py",
}


def manifest_kind(filename: str) -> str | None:
    """The parser for a file name, None if it is not a manifest. The base name decides, except that
    ``.txt``/``.in`` files in a ``requirements/`` folder are requirements files."""
    norm = filename.replace("\\", "/")
    name = os.path.basename(norm)
    lower = name.lower()
    if lower in _EXACT:
        return _EXACT[lower]
    if fnmatch.fnmatchcase(lower, "pylock.*.toml"):
        return "pylock"
    if fnmatch.fnmatchcase(lower, "*requirements*.txt") or fnmatch.fnmatchcase(lower, "*requirements*.in"):
        return "requirements"
    if fnmatch.fnmatchcase(lower, "constraints*.txt"):
        return "requirements"
    # pip-tools inputs (dev.in, base.in...): an all-lower-case ``name.in`` with no other dot, so
    # MANIFEST.in, Makefile.in and config.h.in are not taken for requirements
    if re.fullmatch(r"[a-z0-9][a-z0-9_-]*\.in", name):
        return "requirements"
    # split requirements in a folder of their own: requirements/base.txt, requirements/prod.txt
    if lower.endswith((".txt", ".in")):
        parts = norm.split("/")
        if len(parts) >= 2 and parts[-2].lower() in _REQUIREMENTS_DIRS:
            return "requirements"
    return None


_REQUIREMENTS_DIRS = frozenset({"requirements", "requirements.d", "reqs", "requirement"})
