"""Helpers shared by the Flask, FastAPI/Starlette and cookie analyses (not the Django one).

- :class:`Val`: a configuration value as pyward can know it (a constant, the default of an
  environment read evaluated with :mod:`pyward.frameworks.envvalues`, or unknown).
- :func:`evaluate`: computes a :class:`Val` for an expression of a file.
- :func:`weak_secret_reason`: why a secret key value is guessable.
- :func:`permissive_origin_probe`: an attacker origin a CORS origin regex accepts.
- small AST helpers (``if __name__ == "__main__"`` guards, test-file detection, enabled rules).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyward.analysis.semantic import _CHILD_FIELDS, child_fields
from pyward.frameworks.envvalues import UNKNOWN, read_env_call, read_env_subscript
from pyward.model import Confidence, Finding, Severity, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule


@dataclass(frozen=True)
class Val:
    """What pyward knows about a value: ``known`` with ``value``; ``env`` names the environment
    read whose default ``value`` is (the value used when the variable is unset)."""

    known: bool
    value: Any = None
    env: str | None = None
    #: A set variable comes back as a raw string (``os.getenv("DEBUG", "False")``).
    yields_string: bool = False

    @property
    def origin(self) -> str:
        return f" (the default of {self.env}, used when the variable is unset)" if self.env else ""


UNKNOWN_VAL = Val(False)


def _const(ctx: FileContext, expr: ast.expr) -> Any:
    value = ctx.const_value(expr, UNKNOWN)
    return value


def evaluate(ctx: FileContext, expr: ast.expr | None) -> Val:
    """The value of ``expr``: constants, environment reads judged on their default, ``a or b``."""
    if expr is None:
        return UNKNOWN_VAL
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
        env: str | None = None
        for operand in expr.values:
            val = evaluate(ctx, operand)
            if not val.known:
                return UNKNOWN_VAL
            env = env or val.env
            if val.value or operand is expr.values[-1]:
                return Val(True, val.value, env, val.yields_string)
        return UNKNOWN_VAL
    if isinstance(expr, ast.Call):
        callee = ctx.call_name(expr)
        if callee:
            read = read_env_call(callee, expr, lambda e: _const(ctx, e))
            if read is not None:
                if read.value is UNKNOWN:
                    return UNKNOWN_VAL
                return Val(True, read.value, read.text, read.yields_string)
        return UNKNOWN_VAL
    if isinstance(expr, ast.Subscript):
        container = ctx.qualname(expr.value)
        if container and read_env_subscript(container, expr, lambda e: _const(ctx, e)) is not None:
            return UNKNOWN_VAL
    value = _const(ctx, expr)
    if value is UNKNOWN:
        return UNKNOWN_VAL
    return Val(True, value)


# --------------------------------------------------------------------------------------------
# secret keys

#: Values published in Flask's documentation and popular tutorials/books, and placeholders.
#: Compared after lower-casing and stripping.
KNOWN_EXAMPLE_SECRETS: frozenset[str] = frozenset(
    {
        "dev",  # Flask tutorial: SECRET_KEY="dev"
        "development",
        "secret",
        "secretkey",
        "secret_key",
        "secret-key",
        "secret key",
        "super secret key",  # Flask quickstart (old) / countless examples
        "super-secret-key",
        "supersecretkey",
        "super secret",
        "super-secret",
        "changeme",
        "change-me",
        "change_me",
        "change me",
        "changethis",
        "change-this",
        "replace-me",
        "replaceme",
        "please-change-me",
        "your-secret-key",
        "your_secret_key",
        "yoursecretkey",
        "your secret key",
        "my-secret-key",
        "my_secret_key",
        "mysecretkey",
        "my secret key",
        "hard to guess string",  # Flask Web Development (Grinberg)
        "you-will-never-guess",  # Flask Mega-Tutorial
        "default",
        "test",
        "testing",
        "password",
        "key",
        "flask",
        "notsecret",
        "not-so-secret",
        "insecure",
        # Flask docs, "How to generate good secret keys" / SECRET_KEY config docs:
        "192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf",
    }
)
#: The Flask quickstart's example bytes key.
KNOWN_EXAMPLE_SECRET_BYTES: frozenset[bytes] = frozenset({b'_5#y2L"F4Q8z\n\xec]/'})

_PLACEHOLDER_WORDS = re.compile(
    r"secret|change|replace|example|default|dev|test|insecure|guess|your|password|todo|fixme|key"
)
_PLACEHOLDER_SHAPE = re.compile(r"^[a-z0-9 _\-.!]+$")
_RANDOM_TOKEN = re.compile(r"[a-z0-9]{16,}")

MIN_SECRET_LENGTH = 16
MIN_SECRET_DISTINCT = 6


def weak_secret_reason(value: Any) -> str | None:
    """Why ``value`` is a guessable secret key, or None when it looks random enough."""
    if isinstance(value, bytes):
        if value in KNOWN_EXAMPLE_SECRET_BYTES:
            return "is the example key from Flask's quickstart"
        try:
            value = value.decode("latin-1")
        except Exception:  # pragma: no cover - latin-1 decodes any bytes
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    low = text.lower()
    if not text:
        return "is empty"
    if low in KNOWN_EXAMPLE_SECRETS:
        if len(low) == 64:
            return "is the example key printed in Flask's documentation"
        return f"is a well-known example value ({text!r})"
    if len(text) < MIN_SECRET_LENGTH:
        return f"is {len(text)} characters long (fewer than {MIN_SECRET_LENGTH})"
    if len(set(text)) < MIN_SECRET_DISTINCT:
        return f"has only {len(set(text))} distinct characters"
    if (
        _PLACEHOLDER_SHAPE.match(low)
        and _PLACEHOLDER_WORDS.search(low)
        and not any(
            re.search(r"[a-z]", t) and re.search(r"[0-9]", t) for t in _RANDOM_TOKEN.findall(low)
        )
    ):
        return f"is a readable placeholder ({text!r}), not a random key"
    return None


# --------------------------------------------------------------------------------------------
# CORS origin regular expressions


def _literal_domain(pattern: str) -> str | None:
    """The last domain-looking literal of a regex (``example\\.com`` -> ``example.com``)."""
    found = re.findall(r"((?:[A-Za-z0-9-]+(?:\\\.|\.))+[A-Za-z]{2,})", pattern)
    if not found:
        return None
    return str(found[-1]).replace("\\.", ".")


def permissive_origin_probe(pattern: str, *, fullmatch: bool) -> str | None:
    """An attacker-controlled origin the regex accepts, or None.

    ``fullmatch`` is Starlette's ``re.fullmatch``; otherwise Flask-CORS's ``re.match`` (anchored at
    the start only, case-insensitive), which accepts any origin *beginning* with an allowed one.
    """
    try:
        compiled = re.compile(pattern, 0 if fullmatch else re.IGNORECASE)
    except re.error:
        return None
    probes = ["https://evil.invalid", "http://evil.invalid", "null"]
    domain = _literal_domain(pattern)
    if domain:
        probes += [
            f"https://{domain}.evil.invalid",
            f"https://x.{domain}.evil.invalid",
            f"https://evil{domain}",
            f"https://evil-{domain}",
            f"https://{domain.replace('.', 'x')}",
        ]
    for probe in probes:
        matched = compiled.fullmatch(probe) if fullmatch else compiled.match(probe)
        if matched:
            return probe
    return None


def flask_cors_is_regex(origin: str) -> bool:
    """Flask-CORS's ``probably_regex``: 6.x treats an origin string as a regex when it contains any
    of ``* \\ ] ? $ ^ [ ( )`` (versions before 6 only looked for ``*``, ``\\`` and ``]``)."""
    return any(c in origin for c in "*\\]?$^[()")


# --------------------------------------------------------------------------------------------
# AST helpers


def is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


def under_main_guard(ctx: FileContext, node: ast.AST) -> bool:
    return any(isinstance(anc, ast.If) and is_main_guard(anc.test) for anc in ctx.semantic.ancestors(node))


def app_group(path: str, module: str) -> str:
    """The directory holding a file's top-level package (or the file itself when it is in no
    package): project-wide facts such as "CSRFProtect is set up" or "sessions are used" hold per
    group, so several example apps in one scanned tree do not vouch for each other."""
    dirs = path.split("/")[:-1]
    depth = module.count(".") + 1 if path.endswith("__init__.py") else module.count(".")
    depth = min(depth, len(dirs))
    return "/".join(dirs[: len(dirs) - depth])


def in_group(path: str, group: str) -> bool:
    return not group or path.startswith(group + "/")


def is_test_path(path: str) -> bool:
    parts = path.lower().split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def imports_any(ctx: FileContext, prefixes: Iterable[str]) -> bool:
    """Whether the file imports one of ``prefixes`` or something inside one."""
    return ctx.imports_under(prefixes)


def rules_by_code(rules: Sequence[type[Rule]]) -> dict[str, type[Rule]]:
    return {r.meta.code: r for r in rules}


def emit(
    enabled: dict[str, type[Rule]],
    out: list[Finding],
    code: str,
    span: Span,
    message: str,
    *,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
) -> None:
    rule = enabled.get(code)
    if rule is not None:
        out.append(rule.finding(span, message, severity=severity, confidence=confidence))


def const_str_list(value: Any) -> list[str] | None:
    """A string or a list/tuple/set of strings as a list, else None."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return [str(v) for v in value]
    return None


def breadth_first(root: ast.AST, *, leaves: bool = True) -> list[ast.AST]:
    """The nodes under ``root`` (itself included) in :func:`ast.walk` order, as a list, without
    the expression-context and operator singletons (``Load``, ``Add``...), which nothing here looks
    at; without leaves (nodes that cannot have children: ``Name``, ``Constant``...) unless
    ``leaves``. For walks whose visiting order matters; where it does not, use the semantic model's
    ``nodes_by_type`` index instead of walking at all."""
    fields_of = _CHILD_FIELDS
    node_type = ast.AST
    nodes: list[ast.AST] = [root]
    append = nodes.append
    i = 0
    while i < len(nodes):
        node = nodes[i]
        i += 1
        fields = fields_of.get(node.__class__)
        if fields is None:
            fields = child_fields(node.__class__)
        for name in fields:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type) and (leaves or fields_of.get(item.__class__, True)):
                        append(item)
            elif isinstance(value, node_type) and (leaves or fields_of.get(value.__class__, True)):
                append(value)
    return nodes
