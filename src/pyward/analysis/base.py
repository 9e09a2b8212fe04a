"""How a rule family plugs into the engine.

An :class:`Analysis` produces the findings of one family of rules. The engine calls it in two
phases:

1. **per file** (in worker processes, results cached by content hash): ``analyze_python`` for each
   Python file, ``analyze_text`` for templates, manifests and config files of the kinds the analysis
   asks for. Both are pure: they return findings plus any picklable ``data`` the project phase needs
   (taint summaries, settings facts...). Keep ``data`` small and built of plain values.
2. **per project** (main process): ``analyze_project`` sees every file's ``data`` at once (call graph,
   cross-module summaries, Django settings chains, the advisory database) and returns more findings.

Each rule family's base class names its analysis in ``Rule.analysis``; the engine instantiates every
analysis that has at least one enabled rule, with the list of those rules.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pyward.model import FileKind, Finding

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule
    from pyward.settings import Settings


@dataclass(frozen=True)
class PerFileOutput:
    findings: tuple[Finding, ...] = ()
    data: Any = None
    #: Internal errors (a rule that raised on this file), "CODE: message"; reported as PWX004.
    errors: tuple[str, ...] = ()


@dataclass
class FileEntry:
    """What the project phase knows about one discovered file."""

    path: str  # display path
    abspath: str
    kind: FileKind
    module: str | None = None  # dotted module name for Python files
    #: analysis name -> the ``data`` its per-file phase returned (None when the file failed).
    data: dict[str, Any] = field(default_factory=dict)
    parsed: bool = True


@dataclass
class ProjectModel:
    """The cross-file view handed to ``analyze_project``."""

    root: Path
    settings: Settings
    files: list[FileEntry]
    #: Options that are not settings (``--db`` path, offline flags...) by name.
    options: dict[str, Any] = field(default_factory=dict)
    #: Parses a Python file again on demand (display path -> tree, None when it cannot be parsed).
    parse: Callable[[str], ast.Module | None] = field(default=lambda _p: None)
    #: Reads any discovered file's text on demand (None when unreadable).
    read_text: Callable[[str], str | None] = field(default=lambda _p: None)
    #: Checks an analysis could not carry out (each becomes a report line and exit code 3).
    incomplete: list[str] = field(default_factory=list)
    #: Takes what an analysis built and no longer needs: by default nothing is kept (it is freed
    #: when the analysis drops it); the engine keeps it when ``ScanOptions.retain`` asks for it.
    retain: Callable[[Any], None] = field(default=lambda _obj: None)

    def of_kind(self, kind: FileKind) -> list[FileEntry]:
        return [f for f in self.files if f.kind is kind]


class Analysis:
    """Base class of an analysis (one per rule family)."""

    name: ClassVar[str] = ""
    #: Which non-Python kinds ``analyze_text`` wants.
    text_kinds: ClassVar[frozenset[FileKind]] = frozenset()
    #: Whether ``analyze_python`` should run at all.
    wants_python: ClassVar[bool] = True

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        self.rules = list(rules)
        self.settings = settings

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        return PerFileOutput()

    def analyze_text(self, path: str, abspath: str, kind: FileKind, text: str) -> PerFileOutput:
        return PerFileOutput()

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        return []

    def receive(self, path: str, data: Any) -> None:
        """Called in the main process with each file's per-file ``data`` as soon as a worker
        returns it, while other files are still being analysed: an analysis may start decoding it
        so that less is left for :meth:`analyze_project`. Must not depend on the order of files;
        the default does nothing."""

    def project_cache_token(self, project: ProjectModel) -> str | None:
        """Extra key material for caching ``analyze_project``'s result, whose inputs are otherwise
        the scanned files' contents and the settings. ``None``: never cache (the result depends on
        something outside the scanned files, e.g. the advisory database)."""
        return ""
