"""What a configuration value read from the environment is when pyward cannot see the environment.

Settings modules and app factories read configuration from environment variables. pyward never
sees the deployment's environment, so it judges such a read on what the code itself decides: the
value the expression takes **when the variable is not set** (its default), exactly as the library
computes it, and whether a *set* variable would come back as a raw string.

The API is three functions over ``ast`` nodes. None of them resolves names itself: the caller says
what a callee is (a qualified name, from the semantic model or from its own interpreter) and how
to evaluate an argument expression, so the same code serves the Django settings interpreter and
the Flask config audit.

- :func:`read_env_call` recognises ``os.getenv``, ``os.environ.get``, ``os.environ.setdefault``,
  python-decouple ``config(...)`` (and ``AutoConfig``/``Config`` instances), and django-environ
  ``env(...)``, ``env.bool/str/int/float/list/tuple(...)`` (with the ``Env(NAME=(cast, default))``
  scheme given by :func:`environ_scheme`).
- :func:`read_env_subscript` recognises ``os.environ["X"]``.
- :func:`environ_scheme` reads the scheme of ``environ.Env(DEBUG=(bool, False), ...)``.
- :func:`environ_membership` judges ``"X" in os.environ`` (False: the variable is unset).

The result is an :class:`EnvRead`. ``value`` is the value when the variable is unset, or
:data:`UNKNOWN` when the code raises then (``os.environ["X"]``, ``env("X")`` and ``config("X")``
without a default) or when a cast cannot be reproduced. Semantics reproduced (checked against the
libraries' sources):

- ``os.getenv(k, d)`` / ``os.environ.get(k, d)``: ``d`` as is (``None`` without a default); a set
  variable is a ``str``.
- django-environ ``Env.get_value``: an unset variable returns the default **unchanged** (it is
  only parsed with ``parse_default=True``); with ``smart_cast`` the cast of a set variable is
  ``type(default)`` when no cast is given. So ``env.bool("DEBUG", default="False")`` is the string
  ``"False"`` (truthy), and ``env("DEBUG", default=False)`` is a real ``bool``.
- python-decouple ``config(k, default=d, cast=c)``: the cast **is** applied to the default;
  ``cast=bool`` uses ``strtobool`` (``"False"`` → ``False``; ``""`` → ``False``), ``Csv()`` splits.

``yields_string`` tells whether a *set* variable produces the raw string (no cast): that is the
classic ``DEBUG = os.getenv("DEBUG", "False")`` trap, where any non-empty value, ``"False"``
included, is truthy.
"""

from __future__ import annotations

import ast
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "UNKNOWN",
    "CsvCast",
    "EnvRead",
    "EnvScheme",
    "environ_membership",
    "environ_scheme",
    "is_unknown",
    "read_env_call",
    "read_env_subscript",
]


class _Unknown:
    """The value of an expression pyward cannot compute."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


#: Evaluates an argument expression to a Python value or :data:`UNKNOWN`.
Evaluate = Callable[[ast.expr], Any]

#: django-environ scheme: variable name -> (cast, default) or (cast,) as written in ``Env(...)``.
EnvScheme = Mapping[str, tuple[Any, ...]]


@dataclass(frozen=True)
class CsvCast:
    """python-decouple ``Csv(cast=..., delimiter=...)`` as a value the evaluator can pass around."""

    cast: Any = str
    delimiter: str = ","
    post_process: Any = list


@dataclass(frozen=True)
class EnvRead:
    """One read of an environment variable, judged without the environment."""

    #: ``os``, ``django-environ`` or ``python-decouple``.
    library: str
    #: The variable name when it is a constant, else None.
    variable: str | None
    #: Whether the code gives a value for an unset variable (else reading it raises).
    has_default: bool
    #: The value when the variable is unset; :data:`UNKNOWN` when that raises or cannot be computed.
    value: Any
    #: A set variable comes back as the raw string (no cast to bool/int/list).
    yields_string: bool
    #: Short description for messages: ``os.getenv("DEBUG", "False")``.
    text: str

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN


# --------------------------------------------------------------------------------------------
# helpers


def _arg(call: ast.Call, position: int | None, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and position < len(call.args):
        if any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return None
        return call.args[position]
    return None


def _name_of(call: ast.Call, evaluate: Evaluate) -> str | None:
    node = _arg(call, 0, "key")
    if node is None:
        node = _arg(call, None, "var") or _arg(call, None, "option")
    if node is None:
        return None
    value = evaluate(node)
    return value if isinstance(value, str) else None


def _text(call: ast.Call) -> str:
    try:
        text = ast.unparse(call)
    except Exception:  # pragma: no cover - unparse of a parsed tree does not fail in practice
        return "<environment read>"
    return text if len(text) <= 80 else text[:77] + "..."


_DECOUPLE_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_DECOUPLE_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})
_ENVIRON_TRUE = ("true", "on", "ok", "y", "yes", "1")


def _decouple_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value)
    if text == "":
        return False
    low = text.lower()
    if low in _DECOUPLE_TRUE:
        return True
    if low in _DECOUPLE_FALSE:
        return False
    return UNKNOWN  # decouple raises ValueError


def _apply_cast(cast: Any, value: Any) -> Any:
    """A python-decouple cast applied to a known value (decouple casts defaults too)."""
    if value is UNKNOWN or cast is UNKNOWN:
        return UNKNOWN
    if cast is None:
        return value
    if cast is bool:
        return _decouple_bool(value)
    if isinstance(cast, CsvCast):
        if value is None:
            return [] if cast.post_process is list else UNKNOWN
        try:
            splitter = shlex.shlex(str(value), posix=True)
            splitter.whitespace = cast.delimiter
            splitter.whitespace_split = True
            items = [_apply_cast(cast.cast, s.strip()) for s in splitter]
        except ValueError:
            return UNKNOWN
        if any(i is UNKNOWN for i in items):
            return UNKNOWN
        if cast.post_process is list:
            return items
        if cast.post_process is tuple:
            return tuple(items)
        return UNKNOWN
    if cast in (int, float, str):
        try:
            return cast(value)
        except (TypeError, ValueError):
            return UNKNOWN
    return UNKNOWN


# --------------------------------------------------------------------------------------------
# public API

_OS_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.getenvb"})
_ENVIRON_METHODS: dict[str, Any] = {
    "bool": bool,
    "str": str,
    "int": int,
    "float": float,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "json": "json",
    "url": "url",
    "db_url": "url",
    "db": "url",
    "cache_url": "url",
    "cache": "url",
    "email_url": "url",
    "email": "url",
    "search_url": "url",
    "path": "url",
}


def read_env_call(
    callee: str,
    call: ast.Call,
    evaluate: Evaluate,
    scheme: EnvScheme | None = None,
) -> EnvRead | None:
    """The environment read performed by ``call``, or None when it is not one.

    ``callee`` names what is called:

    - ``"os.getenv"``, ``"os.environ.get"``, ``"os.environ.setdefault"``;
    - ``"decouple.config"`` (also for an ``AutoConfig()``/``Config(...)`` instance being called);
    - ``"environ.Env"`` for calling a django-environ ``Env`` instance, ``"environ.Env.bool"`` (and
      ``.str``, ``.int``, ``.float``, ``.list``, ``.tuple``, ...) for its methods; ``scheme`` is that
      instance's scheme (see :func:`environ_scheme`).

    ``evaluate`` computes argument expressions (the variable name, defaults, casts); it returns
    :data:`UNKNOWN` for what it cannot compute, and a :class:`CsvCast` for ``decouple.Csv(...)``.
    """
    if callee in _OS_GETTERS:
        variable = _name_of(call, evaluate)
        default_node = _arg(call, 1, "default")
        value = None if default_node is None else evaluate(default_node)
        return EnvRead("os", variable, True, value, True, _text(call))
    if callee == "decouple.config":
        return _decouple(call, evaluate)
    if callee == "environ.Env" or callee.startswith("environ.Env."):
        method = callee[len("environ.Env.") :] if callee != "environ.Env" else ""
        return _environ(method, call, evaluate, scheme or {})
    return None


def read_env_subscript(container: str, node: ast.Subscript, evaluate: Evaluate) -> EnvRead | None:
    """``os.environ["X"]`` (``container == "os.environ"``): raises when unset, so unknown."""
    if container not in ("os.environ", "os.environb"):
        return None
    key = evaluate(node.slice)
    return EnvRead(
        "os", key if isinstance(key, str) else None, False, UNKNOWN, True, _text_of_expr(node)
    )


def environ_membership(container: str, key: Any, negated: bool = False) -> bool | None:
    """``key in os.environ`` (``container == "os.environ"``) judged with the variable unset:
    False (True for ``not in``); None when ``container`` is not the environment or the key is
    not a known string."""
    if container not in ("os.environ", "os.environb") or not isinstance(key, (str, bytes)):
        return None
    return negated


def environ_scheme(call: ast.Call, evaluate: Evaluate) -> dict[str, tuple[Any, ...]]:
    """The scheme of ``environ.Env(NAME=(cast, default), OTHER=cast)``: name -> (cast[, default])."""
    scheme: dict[str, tuple[Any, ...]] = {}
    for kw in call.keywords:
        if kw.arg is None:
            continue
        value = evaluate(kw.value)
        if isinstance(value, tuple):
            scheme[kw.arg] = value
        elif value is not UNKNOWN:
            scheme[kw.arg] = (value,)
        else:
            scheme[kw.arg] = (UNKNOWN,)
    return scheme


def _text_of_expr(node: ast.expr) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover
        return "<environment read>"


def _decouple(call: ast.Call, evaluate: Evaluate) -> EnvRead:
    variable = _name_of(call, evaluate)
    default_node = _arg(call, 1, "default")
    cast_node = _arg(call, 2, "cast")
    cast = None if cast_node is None else evaluate(cast_node)
    yields_string = cast_node is None or cast is str
    if default_node is None:
        return EnvRead("python-decouple", variable, False, UNKNOWN, yields_string, _text(call))
    value = _apply_cast(cast, evaluate(default_node))
    return EnvRead("python-decouple", variable, True, value, yields_string, _text(call))


def _environ(method: str, call: ast.Call, evaluate: Evaluate, scheme: EnvScheme) -> EnvRead | None:
    variable = _name_of(call, evaluate)
    cast: Any = None
    if method:
        if method not in _ENVIRON_METHODS:
            return None
        cast = _ENVIRON_METHODS[method]
    else:
        cast_node = _arg(call, 1, "cast")
        cast = None if cast_node is None else evaluate(cast_node)
    # Env(var, cast, default); .bool/.str/.int/.float(var, default); .list/.tuple/.dict(var, cast, default)
    position = 1 if method in ("bool", "str", "int", "float", "json", "url", "path") else 2
    default_node = _arg(call, position, "default")
    has_default = default_node is not None
    default: Any = evaluate(default_node) if default_node is not None else None
    if variable is not None and variable in scheme:
        info = tuple(scheme[variable])
        if len(info) == 2:
            if not cast:
                cast = info[0]
            if not has_default:
                has_default, default = True, info[1]
        elif info and not cast:
            cast = info[0]
    if not cast and has_default and default is not None and default is not UNKNOWN:
        cast = type(default)  # smart_cast (on by default)
    yields_string = cast is None or cast is str
    if not has_default:
        return EnvRead("django-environ", variable, False, UNKNOWN, yields_string, _text(call))
    parse_default = _arg(call, None, "parse_default")
    if parse_default is not None and evaluate(parse_default) is True:
        return EnvRead("django-environ", variable, True, _environ_parse(default, cast), yields_string, _text(call))
    return EnvRead("django-environ", variable, True, default, yields_string, _text(call))


def _environ_parse(value: Any, cast: Any) -> Any:
    """django-environ ``parse_value`` for the simple casts; UNKNOWN for the rest."""
    if value is UNKNOWN or value is None:
        return value
    if cast is None or cast is str:
        return value if cast is None else str(value)
    if cast is bool:
        try:
            return int(value) != 0
        except (TypeError, ValueError):
            return str(value).lower().strip() in _ENVIRON_TRUE
    if cast in (int, float):
        try:
            return cast(value)
        except (TypeError, ValueError):
            return UNKNOWN
    if cast is list and isinstance(value, str):
        return [x for x in value.split(",") if x]
    if cast is tuple and isinstance(value, str):
        return tuple(x for x in value.strip("(").strip(")").split(",") if x)
    return UNKNOWN
