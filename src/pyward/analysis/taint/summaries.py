"""The per-file taint summaries: small, picklable, built of tuples and strings.

A *taint* is a tuple of atoms ``(origin, sanitized, trace)``:

- ``origin`` says where the data came from:
  ``("S", label, kind)`` a source expression (its location is the first trace step),
  ``("P", index)`` parameter ``index`` of the function (``self`` counts),
  ``("R", site)`` the value returned by call site ``site`` of the same function,
  ``("F", class_qualname, attr)`` the attribute of objects of a project class,
  ``("G", qualname)`` a module-level variable.
- ``sanitized``: the vulnerability classes (and marks such as ``norm:path``) the value was made
  safe for on this path.
- ``trace``: the hops ``(line, col, label)`` inside this file from the origin to where the taint is
  recorded.

The project phase (:mod:`pyward.analysis.taint.engine`) resolves ``R`` atoms through the callees'
summaries and propagates concrete sources through ``P``/``F``/``G`` nodes across modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

Step = tuple[int, int, str]
Origin = tuple[str, ...] | tuple[str, int] | tuple[str, str, str]
Atom = tuple[tuple[object, ...], frozenset[str], tuple[Step, ...]]
Taint = tuple[Atom, ...]


class Site(NamedTuple):
    """A call of something that may be a project function."""

    #: Candidate qualified names of the callee, best first.
    callees: tuple[str, ...]
    line: int
    col: int
    #: Taint of each positional argument, and of each keyword argument.
    args: tuple[Taint, ...] = ()
    kwargs: tuple[tuple[str, Taint], ...] = ()
    #: Taint of ``*args``/``**kwargs`` expressions passed (goes to every parameter).
    star: Taint = ()
    #: True when the callee is a method called on an instance (``self.m(x)``, ``obj.m(x)``):
    #: argument 0 goes to parameter 1.
    bound: bool = False
    #: Taint of the receiver / called object; with the arguments, what the call returns when
    #: the callee is not a project function.
    recv: Taint = ()
    label: str = ""


class SinkHit(NamedTuple):
    vuln: str
    label: str
    line: int
    col: int
    end_line: int
    end_col: int
    taint: Taint
    kind: str = "call"  # call | store | return
    #: Marks a tainted value must carry to count (``Sink.requires``).
    requires: tuple[str, ...] = ()


class Param(NamedTuple):
    name: str
    #: Qualified name of the annotation (``builtins.int``, ``starlette.requests.Request``).
    annotation: str = ""
    #: Qualified name of the default's callee (``fastapi.Depends``) or "".
    default_call: str = ""
    #: Whether the parameter got a type from its annotation or a ParamType heuristic.
    typed: bool = False


class Decorator(NamedTuple):
    quals: tuple[str, ...]
    #: The route (first positional string argument, or keyword rule/path), "" when unknown.
    route: str = ""
    line: int = 0


@dataclass
class FunctionSummary:
    qualname: str
    name: str
    line: int
    col: int
    params: tuple[Param, ...] = ()
    #: Index of ``*args`` / ``**kwargs`` in ``params`` (-1 when absent), and of the first
    #: keyword-only parameter (== len(params) - ... when none).
    vararg: int = -1
    kwarg: int = -1
    kwonly_start: int = -1
    #: The class whose method this is ("" for functions) and its kind.
    cls: str = ""
    method_kind: str = ""  # "" | "method" | "static" | "class"
    decorators: tuple[Decorator, ...] = ()
    #: Call sites by id (only those with tainted arguments or whose result is used).
    sites: dict[int, Site] = field(default_factory=dict)
    sinks: list[SinkHit] = field(default_factory=list)
    returns: Taint = ()
    return_lines: tuple[tuple[int, int], ...] = ()
    #: Per ``return`` statement: (line, col, taint of what a web framework sends as the response
    #: body) -- a ``dict``/``list`` literal (JSON) contributes nothing, a ``(body, status)`` tuple
    #: only its first element. Used by ``Sink(kind="return")``.
    body_returns: list[tuple[int, int, Taint]] = field(default_factory=list)
    field_stores: list[tuple[str, str, Taint]] = field(default_factory=list)
    global_stores: list[tuple[str, Taint]] = field(default_factory=list)
    #: A guard function (``def is_safe(u) -> bool``): parameter index -> the classes every
    #: truthy ``return`` proves checked for it; None until a truthy return is seen.
    guards: dict[int, frozenset[str]] | None = None


@dataclass
class ClassSummary:
    qualname: str
    bases: tuple[str, ...]
    methods: dict[str, str]  # name -> kind ("method", "static", "class")
    line: int


@dataclass
class Registration:
    """A call that may register a handler (``path("x/", view)``, ``app.add_url_rule(...)``)."""

    quals: tuple[str, ...]
    handler: tuple[str, ...]  # candidate qualnames of the handler (function or class)
    route: str
    line: int
    as_view: bool = False
    #: Where the handler was passed: its position, or the keyword name.
    handler_pos: int | str = 1


@dataclass
class FileSummary:
    module: str
    functions: list[FunctionSummary] = field(default_factory=list)
    classes: list[ClassSummary] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    #: Module-level names -> the types they were assigned (``app`` -> ``flask.Flask``).
    global_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Module-level imports (local name -> qualified name), to follow re-exports.
    imports: dict[str, str] = field(default_factory=dict)
    #: Module-level functions/classes defined here.
    defined: tuple[str, ...] = ()
    #: Functions with nothing to say (no sinks, calls with tainted arguments, returns or
    #: stores): known to exist, summarised as "returns nothing tainted".
    opaque: tuple[str, ...] = ()
    #: Types returned by functions of this module (``get_db`` -> ``sqlite3.Connection``), so
    #: that methods called on their results elsewhere can be matched against models.
    return_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Functions that could not be analysed (too deep...), for diagnostics.
    errors: tuple[str, ...] = ()
