"""The environment-value API judged against what os, django-environ and python-decouple really return
for an unset variable (values taken from the libraries' source)."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from pyward.frameworks.envvalues import (
    UNKNOWN,
    CsvCast,
    EnvRead,
    environ_membership,
    environ_scheme,
    read_env_call,
    read_env_subscript,
)

_NAMES: dict[str, Any] = {"bool": bool, "int": int, "str": str, "float": float, "list": list, "tuple": tuple}


def evaluate(node: ast.expr) -> Any:
    if isinstance(node, ast.Name):
        return _NAMES.get(node.id, UNKNOWN)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Csv":
        return CsvCast()
    if isinstance(node, ast.Tuple):
        return tuple(evaluate(e) for e in node.elts)
    try:
        return ast.literal_eval(node)
    except ValueError:
        return UNKNOWN


def call(src: str) -> ast.Call:
    node = ast.parse(src, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


def read(callee: str, src: str, scheme: dict[str, tuple[Any, ...]] | None = None) -> EnvRead:
    result = read_env_call(callee, call(src), evaluate, scheme)
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("callee", "src", "value", "yields_string"),
    [
        ("os.getenv", 'getenv("DEBUG", "False")', "False", True),
        ("os.getenv", 'getenv("DEBUG")', None, True),
        ("os.environ.get", 'get("DEBUG", default=False)', False, True),
        ("os.environ.setdefault", 'setdefault("HOSTS", "a,b")', "a,b", True),
        # django-environ returns an unset variable's default unchanged (no parse unless parse_default)
        ("environ.Env.bool", 'bool("DEBUG", default="False")', "False", False),
        ("environ.Env.bool", 'bool("DEBUG", False)', False, False),
        ("environ.Env", 'env("DEBUG", default=False)', False, False),
        ("environ.Env", 'env("DEBUG", default="False")', "False", True),
        ("environ.Env", 'env("DEBUG", default="0", parse_default=True, cast=bool)', False, False),
        ("environ.Env.list", 'list("HOSTS", default=["a"])', ["a"], False),
        ("environ.Env.list", 'list("HOSTS", None, ["a"])', ["a"], False),
        ("environ.Env.int", 'int("HSTS", 60)', 60, False),
        ("environ.Env.str", 'str("KEY", default="dev")', "dev", True),
        # python-decouple applies the cast to the default
        ("decouple.config", 'config("DEBUG", default="False", cast=bool)', False, False),
        ("decouple.config", 'config("DEBUG", default="on", cast=bool)', True, False),
        ("decouple.config", 'config("DEBUG", default="", cast=bool)', False, False),
        ("decouple.config", 'config("DEBUG", default="False")', "False", True),
        ("decouple.config", 'config("HSTS", default="60", cast=int)', 60, False),
        ("decouple.config", 'config("HOSTS", default="a.com, b.com", cast=Csv())', ["a.com", "b.com"], False),
        ("decouple.config", 'config("DEBUG", default="maybe", cast=bool)', UNKNOWN, False),
    ],
)
def test_unset_value(callee: str, src: str, value: Any, yields_string: bool) -> None:
    result = read(callee, src)
    assert result.value == value if value is not UNKNOWN else result.value is UNKNOWN
    assert type(result.value) is type(value)
    assert result.yields_string is yields_string
    assert result.has_default


@pytest.mark.parametrize(
    ("callee", "src"),
    [
        ("environ.Env", 'env("SECRET_KEY")'),
        ("environ.Env.bool", 'bool("DEBUG")'),
        ("decouple.config", 'config("SECRET_KEY")'),
    ],
)
def test_no_default_is_unknown(callee: str, src: str) -> None:
    result = read(callee, src)
    assert result.value is UNKNOWN
    assert not result.has_default
    assert not result.known


def test_subscript_is_unknown() -> None:
    node = ast.parse('os.environ["SECRET_KEY"]', mode="eval").body
    assert isinstance(node, ast.Subscript)
    result = read_env_subscript("os.environ", node, evaluate)
    assert result is not None
    assert result.value is UNKNOWN and result.variable == "SECRET_KEY"
    assert read_env_subscript("config", node, evaluate) is None


def test_environ_scheme_gives_cast_and_default() -> None:
    scheme = environ_scheme(call("Env(DEBUG=(bool, False), HOSTS=(list, ['x']), PORT=int)"), evaluate)
    assert scheme == {"DEBUG": (bool, False), "HOSTS": (list, ["x"]), "PORT": (int,)}
    debug = read("environ.Env", 'env("DEBUG")', scheme)
    assert debug.value is False and not debug.yields_string
    port = read("environ.Env", 'env("PORT")', scheme)
    assert port.value is UNKNOWN and not port.yields_string
    # an explicit default wins over the scheme's
    assert read("environ.Env", 'env("DEBUG", default=True)', scheme).value is True


def test_not_an_env_read() -> None:
    assert read_env_call("os.path.join", call('join("a", "b")'), evaluate) is None
    assert read_env_call("environ.Env.read_env", call("read_env()"), evaluate) is None
    assert read_env_call("decouple.config", call("config(*names)"), evaluate) is not None


def test_variable_name_and_text() -> None:
    result = read("os.getenv", 'getenv("DJANGO_DEBUG", "1")')
    assert result.variable == "DJANGO_DEBUG"
    assert result.text == "getenv('DJANGO_DEBUG', '1')"
    assert result.library == "os"


def test_membership_is_judged_unset() -> None:
    assert environ_membership("os.environ", "DEBUG") is False
    assert environ_membership("os.environ", "DEBUG", negated=True) is True
    assert environ_membership("os.environ", UNKNOWN) is None
    assert environ_membership("settings", "DEBUG") is None
