"""``python -m pyward``."""

from __future__ import annotations

from pyward.cli import entry

if __name__ == "__main__":
    entry()
