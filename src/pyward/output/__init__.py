"""Report formatters: text (rich), JSON (versioned schema), SARIF 2.1.0."""

from __future__ import annotations

from typing import TextIO

from pyward.model import Report

FORMATS = ("text", "json", "sarif")


def render(
    report: Report, fmt: str, stream: TextIO, *, color: bool | None = None, quiet: bool = False
) -> None:
    """Write ``report`` in ``fmt`` to ``stream``."""
    if fmt == "json":
        from pyward.output.json import render_json

        stream.write(render_json(report))
    elif fmt == "sarif":
        from pyward.output.sarif import render_sarif

        stream.write(render_sarif(report))
    elif fmt == "text":
        from pyward.output.text import render_text

        render_text(report, stream, color=color, quiet=quiet)
    else:
        raise ValueError(f"unknown format {fmt!r}")
