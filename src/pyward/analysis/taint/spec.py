"""The declarative vocabulary of taint models.

A *library model* is a module under :mod:`pyward.analysis.taint.models` that declares, as plain
data, what a library does with untrusted data. Every module there may expose any of these tuples
(missing ones count as empty); :func:`pyward.analysis.taint.models.load_spec` collects them all:

``SOURCES``       :class:`Source`     where untrusted data enters
``SINKS``         :class:`Sink`       where it does harm (one vulnerability class each)
``SANITIZERS``    :class:`Sanitizer`  calls whose result is safe for some classes
``GUARDS``        :class:`Guard`      checks that make a value safe when the check failing exits
``PROPAGATORS``   :class:`Propagator` calls that move taint somewhere non-obvious (into the receiver)
``TYPES``         :class:`TypeOf`     what type a call / attribute / subscript produces
``SUBTYPES``      :class:`Subtype`    library class hierarchy (so ``self.request`` in a subclass works)
``ALIASES``       :class:`Alias`      re-exports (``fastapi.Request`` is ``starlette.requests.Request``)
``ENTRY_POINTS``  :class:`EntryPoint` framework handlers whose parameters are untrusted

Everything is matched on **qualified names** from the semantic model (``import subprocess as sp;
sp.run`` → ``subprocess.run``), extended by light type tracking: a value whose type is ``T`` makes
``value.attr`` resolve to ``T.attr`` (``cur = sqlite3.connect(db).cursor(); cur.execute`` →
``sqlite3.Cursor.execute``). Types come from :class:`TypeOf` declarations, from calling a class
(``Flask(__name__)`` → ``flask.Flask``), from parameter annotations (``request: Request``), from
:class:`EntryPoint` declarations and from :class:`ParamType` heuristics.

Pattern syntax (``pattern`` fields):

- ``"a.b.c"``  exactly this qualified name.
- ``"*.objects.raw"``  any qualified name ending in ``.objects.raw`` (use sparingly: for things
  reached through project classes, like Django managers).
- ``"#method"``  (Sanitizer, Guard, Propagator, Sink only) a method of that name called on *any*
  receiver, typed or not (``"#isdigit"``, ``"#append"``).

Vulnerability classes are short strings (``"sql"``, ``"command"``, ``"code"``, ``"import"``,
``"template"``, ``"deserialization"``, ``"path"``, ``"ssrf"``, ``"redirect"``, ``"xss"``,
``"xxe"``, ``"ldap"``, ``"xpath"``, ``"nosql"``, ``"header"``, ``"trust-boundary"``, ``"log"``).
A rule (:class:`pyward.rules.taint.base.TaintRule`) reports the sinks of its ``vuln_class``.
:data:`ALL` in a sanitizer/guard means "every class" (the value is no longer attacker-controlled in
any useful way, e.g. ``int(x)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Clears every vulnerability class (type conversions, allow-list membership...).
ALL: tuple[str, ...] = ("*",)

SourceKind = Literal["remote", "local"]


@dataclass(frozen=True)
class Source:
    """The value of ``pattern`` (and everything reached from it: attributes, items, method calls,
    calling it) is untrusted.

    ``Source("flask.request.args")`` taints ``request.args``, ``request.args["q"]`` and
    ``request.args.get("q")``. ``Source("builtins.input")`` taints ``input()``.
    ``Source("django.http.HttpRequest.GET")`` taints ``request.GET`` when ``request`` is known to be
    an ``HttpRequest`` (see :class:`ParamType`, :class:`EntryPoint`).
    """

    pattern: str
    kind: SourceKind = "remote"
    #: Short human label used in messages and traces ("Flask request.args").
    label: str = ""
    #: Marks the data carries from the start (``"json"``: decoded JSON, which may hold objects
    #: and operators, not only strings), for sinks with ``requires``. Declaring a source again
    #: with marks adds them to the existing source of that pattern.
    marks: tuple[str, ...] = ()
    #: Constant keys of this mapping whose values the server or framework sets, not the client
    #: (``request.META["REMOTE_ADDR"]``): ``src["K"]`` and ``src.get("K")`` are clean.
    trusted_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class When:
    """A condition on one argument of a sink call (all ``when`` conditions of a sink must hold).

    The argument is looked up by ``keyword`` (and ``position`` if given). When it is absent the
    condition is ``absent``. When present and a constant, ``truthy`` compares ``bool(value)``;
    ``qualname_in``/``qualname_not_in`` compare the qualified name of the argument expression
    (``Loader=yaml.Loader``); ``value_in``/``matches`` compare a constant value; ``types_in``
    the types known for the argument's value. A present but non-constant, unresolvable argument
    makes the condition ``unknown``.
    """

    keyword: str
    position: int | None = None
    truthy: bool | None = None
    qualname_in: tuple[str, ...] = ()
    qualname_not_in: tuple[str, ...] = ()
    absent: bool = False
    unknown: bool = True
    #: The argument is a constant equal to one of these (``resolve_entities=True``).
    value_in: tuple[object, ...] = ()
    #: The argument is a constant string matching this regular expression (``re.search``;
    #: ``mimetype="text/html"``).
    matches: str = ""
    #: The argument's value has one of these types (``parser=`` an ``XMLParser`` whose type was
    #: refined by a conditional :class:`TypeOf`).
    types_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sink:
    """A place where tainted data does harm.

    ``kind="call"`` (default): calling ``pattern`` with a tainted value in one of ``args``
    (positions) or ``keywords`` is a finding, if every ``when`` condition holds. An empty
    ``args`` *and* ``keywords`` means "any argument". ``receiver=True`` also makes the object the
    method is called on a dangerous input.
    ``part="argv0"``: only the program of an argv list is dangerous (``subprocess.run([prog,
    arg])``): for a list/tuple literal only its first element counts; for anything else, the whole
    value (a string is the program itself).

    ``kind="store"``: assigning a tainted value to ``pattern[...]`` (subscript) or ``pattern``
    (attribute) is a finding: ``Sink("flask.session", "trust-boundary", kind="store")``,
    ``Sink("django.http.HttpResponse", "header", kind="store")`` for ``resp["X"] = v``.

    ``kind="return"``: a tainted value returned by an :class:`EntryPoint` handler of framework
    ``pattern`` (``Sink("flask", "xss", kind="return")``).
    """

    pattern: str
    vuln: str
    args: tuple[int, ...] = ()
    keywords: tuple[str, ...] = ()
    when: tuple[When, ...] = ()
    receiver: bool = False
    #: ``"argv0"``: only the program of a command list counts; ``"text"``: a ``dict`` literal or
    #: comprehension argument does not count (the call serialises it as JSON: Tornado ``write``).
    part: Literal["all", "argv0", "text"] = "all"
    kind: Literal["call", "store", "return"] = "call"
    #: Short name of the sink for messages; defaults to the pattern.
    label: str = ""
    #: Only tainted values carrying one of these marks count (``("json",)``: only decoded JSON
    #: can smuggle MongoDB operators).
    requires: tuple[str, ...] = ()
    #: Position of a printf-style format string (``logger.info(fmt, *args)``): when it is a
    #: constant, arguments it formats with ``%r``/``%a`` (escaped) or as numbers are not sinks.
    format_arg: int | None = None


@dataclass(frozen=True)
class Sanitizer:
    """The result of calling ``pattern`` is safe for ``clears`` (``ALL`` = not tainted at all).

    ``marks`` adds pseudo-classes instead (``"norm:path"`` after ``os.path.realpath``) that a
    :class:`Guard` can require. Sanitizing applies to the *result*: ``html.escape(x)`` returns a
    value that is clean for ``xss`` but still tainted for ``sql``.

    A ``pattern`` of the form ``"[key]"`` applies to values written under the constant key
    ``key`` in a dict literal (``{"$where": x}`` with ``"[$where]"``).
    """

    pattern: str
    clears: tuple[str, ...] = ALL
    marks: tuple[str, ...] = ()
    #: Conditions on the call's arguments (as for :class:`Sink`) for the sanitizer to apply:
    #: ``Sanitizer("#replace", ("log",), when=(When("old", 0, matches="\\n"),))``.
    when: tuple[When, ...] = ()
    #: Classes the result is *no longer* safe for, whatever happened before: decoding
    #: (``urllib.parse.unquote``) can bring back the line breaks a raw request line cannot hold.
    unclears: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guard:
    """A check that makes the checked value safe for ``clears`` where it is known to have passed:
    after ``if not check(x): return/raise/abort(...)`` (and ``continue``/``break`` in loops),
    inside ``if check(x):``, and after ``assert check(x)``.

    ``pattern`` is a callee (``"re.fullmatch"``, the checked value being argument ``arg``) or a
    method (``"#isdigit"``, the checked value being the receiver). ``requires`` names a mark the
    value must carry for the guard to count (``"norm:path"``: ``startswith`` only proves something
    about a resolved path). The allow-list guards ``x in CONST`` / ``x not in CONST`` and
    ``x == CONST`` are built in (they clear ``ALL``).
    """

    pattern: str
    clears: tuple[str, ...] = ALL
    arg: int = 0
    keyword: str | None = None
    requires: str | None = None


@dataclass(frozen=True)
class Propagator:
    """Calls that move taint other than "result depends on arguments and receiver" (the default
    for calls pyward knows nothing about). ``to="receiver"``: the arguments taint the object the
    method is called on (``items.append(x)``). ``to="return"`` with ``frm=("receiver",)`` etc.
    narrows the default. ``frm`` entries: ``"receiver"``, ``"args"`` (every argument), or a
    position as a string (``"0"``) / a keyword name (``"kw:sep"``).
    """

    pattern: str
    frm: tuple[str, ...] = ("args",)
    to: Literal["return", "receiver"] = "return"


@dataclass(frozen=True)
class TypeOf:
    """``pattern`` produces a value of type ``type``.

    ``"sqlite3.connect()"``: the result of the call. ``"flask.Flask.response_class"``: the value of
    the attribute. ``"django.db.connections[]"``: the result of subscripting. Types are qualified
    names too; attributes and methods of typed values resolve to ``<type>.<attr>``.
    """

    pattern: str
    type: str
    #: Conditions on the call's arguments (``pattern`` must end in ``()``): the type is *added*
    #: to the result's types only when they hold (``XMLParser(resolve_entities=True)``).
    when: tuple[When, ...] = ()
    #: With a method pattern ``"T.m()"``: calling the method adds ``type`` to the types of the
    #: variable it is called on (``parser.setFeature(feature_external_ges, True)``).
    receiver: bool = False


@dataclass(frozen=True)
class Subtype:
    """Library class ``cls`` derives from ``base``: ``<cls>.x`` also matches models of ``<base>.x``."""

    cls: str
    base: str


@dataclass(frozen=True)
class Alias:
    """``name`` (a module, class or object path) is the same thing as ``target``: qualified names
    starting with ``name`` are rewritten to start with ``target`` before matching."""

    name: str
    target: str


@dataclass(frozen=True)
class ParamType:
    """A parameter called ``name`` of a function in a module importing ``when_imports`` (a module
    prefix) and without an annotation of its own has type ``type``: Django views' ``request``.
    """

    name: str
    type: str
    when_imports: str
    #: Only when it is the first parameter (ignoring ``self``/``cls``).
    first: bool = True


ParamMode = Literal["all", "route", "fastapi", "none"]


@dataclass(frozen=True)
class EntryPoint:
    """A framework handler: its parameters are untrusted input (``kind``/``label`` as for
    :class:`Source`) and its return value is what ``Sink(kind="return", pattern=framework)``
    looks at. A function is a handler when one of these matches:

    - ``decorator``: it is decorated with a call of this qualified name (``"flask.Flask.route"``).
      The first positional argument (or keyword ``rule``/``path``) is the route.
    - ``register``: it (or a class with ``.as_view()``) is passed to a call of this qualified name
      (``"django.urls.path"``, ``"flask.Flask.add_url_rule"``) as argument ``handler_arg`` or
      keyword ``handler_keyword``; the route is argument 0.
    - ``base``: it is a method named in ``methods`` of a class deriving from this class
      (``"flask.views.MethodView"`` with ``get``/``post``...).
    - ``signature``: its parameter names are exactly these (``("environ", "start_response")``).

    ``params`` says which parameters are untrusted: ``"all"`` (except ``self``/``cls`` and those
    typed by ``param_types``), ``"route"`` (those named by ``<name>``/``{name}`` placeholders of
    the route, skipping typed converters like ``<int:id>``; all when the route is unknown),
    ``"fastapi"`` (annotation-aware: ``int``/``UUID``/... and ``Depends()`` are safe, ``Request``
    is typed), ``"none"``. ``tainted_params``: explicit parameter names that are untrusted
    (``("environ",)``). ``param_types``: ``(index, type)`` pairs typing parameters (index after
    ``self``), e.g. Django's ``(0, "django.http.HttpRequest")``.
    """

    framework: str
    decorator: str = ""
    register: str = ""
    handler_arg: int = 1
    handler_keyword: str = ""
    base: str = ""
    methods: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    params: ParamMode = "all"
    tainted_params: tuple[str, ...] = ()
    param_types: tuple[tuple[int, str], ...] = ()
    kind: SourceKind = "remote"
    label: str = ""


@dataclass(frozen=True)
class Spec:
    """All models together, indexed for matching. Built once per process by ``load_spec``."""

    sources: tuple[Source, ...] = ()
    sinks: tuple[Sink, ...] = ()
    sanitizers: tuple[Sanitizer, ...] = ()
    guards: tuple[Guard, ...] = ()
    propagators: tuple[Propagator, ...] = ()
    types: tuple[TypeOf, ...] = ()
    subtypes: tuple[Subtype, ...] = ()
    aliases: tuple[Alias, ...] = ()
    param_types: tuple[ParamType, ...] = ()
    entry_points: tuple[EntryPoint, ...] = ()
    #: Which model module each declaration came from (for error messages).
    origins: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
