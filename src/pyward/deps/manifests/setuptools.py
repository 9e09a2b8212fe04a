"""``setup.cfg`` (``[options] install_requires``, ``setup_requires``, ``[options.extras_require]``)
and ``setup.py``, read with :mod:`ast` and never executed.

In ``setup.py`` the ``setup(...)`` call's ``install_requires``, ``setup_requires`` and
``extras_require`` are read when they are literal lists/tuples/dicts of strings, module-level names
bound to such literals, or ``+`` concatenations of those. Anything computed (a call, a file read,
a comprehension) is a problem "cannot read statically", not a guess. ``setup(**kwargs)`` is followed
when ``kwargs`` is a module-level dict literal or ``dict(...)`` call.
"""

from __future__ import annotations

import ast
import re
import warnings

from pyward.deps.manifests.common import Collector
from pyward.deps.manifests.target import marker_applies

_CFG_KEYS = {"install_requires": "main", "setup_requires": "setup", "tests_require": "test"}


def parse_setup_cfg(c: Collector, text: str) -> None:
    section = ""
    key: str | None = None
    key_indent = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        indent = len(raw) - len(raw.lstrip())
        m = re.match(r"^\[([^\]]+)\]\s*$", stripped)
        if m and indent == 0:
            section, key = m.group(1).strip(), None
            continue
        if indent > key_indent and key is not None:
            _cfg_value(c, section, key, stripped, number)
            continue
        m = re.match(r"^([^=:]+?)\s*[=:]\s*(.*)$", stripped)
        key = None
        if not m:
            continue
        name, value = m.group(1).strip(), m.group(2).strip()
        if (section == "options" and name in _CFG_KEYS) or section == "options.extras_require":
            key, key_indent = name, indent
            if value:
                if value.startswith(("file:", "attr:")):
                    c.problem(number, f"{name} = {value}: cannot be read statically")
                    key = None
                    continue
                _cfg_value(c, section, name, value, number)


def _cfg_value(c: Collector, section: str, key: str, value: str, line: int) -> None:
    value = re.sub(r"\s+#.*$", "", value).strip()
    if not value:
        return
    if section == "options.extras_require":
        c.add_pep508(value, line, group=key, extra=key)
    else:
        c.add_pep508(value, line, group=_CFG_KEYS[key])


# ----------------------------------------------------------------------------------------------


def parse_setup_py(c: Collector, text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError) as exc:
        c.problem(getattr(exc, "lineno", 1) or 1, f"setup.py cannot be parsed: {getattr(exc, 'msg', exc)}")
        return
    names: dict[str, ast.expr] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            names[stmt.targets[0].id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            names[stmt.target.id] = stmt.value
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "setup")
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "setup")
        )
    ]
    for call in calls:
        for kw in call.keywords:
            if kw.arg is None:
                _star_kwargs(c, kw.value, names)
            else:
                _keyword(c, kw.arg, kw.value, names)


def _keyword(c: Collector, key: str, node: ast.expr, names: dict[str, ast.expr]) -> None:
    if key in _CFG_KEYS:
        _strings(c, node, names, _CFG_KEYS[key], "", key, set())
        return
    if key != "extras_require":
        return
    value = _resolve(node, names)
    if not isinstance(value, ast.Dict):
        c.problem(node.lineno, "extras_require cannot be read statically (not a literal dict)")
        return
    for k, v in zip(value.keys, value.values, strict=True):
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
            c.problem(v.lineno, "extras_require key cannot be read statically")
            continue
        extra, _, marker = k.value.partition(":")
        if marker.strip():
            try:
                if not marker_applies(marker.strip(), c.target, extra):
                    continue
            except ValueError as exc:
                c.problem(k.lineno, str(exc))
                continue
        _strings(c, v, names, extra, extra, f"extras_require[{k.value!r}]", set())


def _star_kwargs(c: Collector, node: ast.expr, names: dict[str, ast.expr]) -> None:
    """``setup(**kwargs)`` where ``kwargs`` is a module-level dict literal or ``dict(...)`` call."""
    value = _resolve(node, names)
    pairs: list[tuple[str, ast.expr]] = []
    if isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) for k in value.keys):
        pairs = [
            (str(k.value), v)
            for k, v in zip(value.keys, value.values, strict=True)
            if isinstance(k, ast.Constant)
        ]
    elif (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "dict"
        and not value.args
        and all(k.arg for k in value.keywords)
    ):
        pairs = [(str(k.arg), k.value) for k in value.keywords]
    else:
        c.problem(node.lineno, "setup(**...) arguments cannot be read statically")
        return
    for key, item in pairs:
        _keyword(c, key, item, names)


def _resolve(node: ast.expr, names: dict[str, ast.expr]) -> ast.expr:
    seen = 0
    while isinstance(node, ast.Name) and node.id in names and seen < 10:
        node = names[node.id]
        seen += 1
    return node


def _strings(
    c: Collector,
    node: ast.expr,
    names: dict[str, ast.expr],
    group: str,
    extra: str,
    what: str,
    seen: set[str],
) -> None:
    if isinstance(node, ast.Name):
        if node.id in seen or node.id not in names:
            c.problem(
                node.lineno,
                f"{what} cannot be read statically (name {node.id!r} is not a module-level literal)",
            )
            return
        _strings(c, names[node.id], names, group, extra, what, seen | {node.id})
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        _strings(c, node.left, names, group, extra, what, seen)
        _strings(c, node.right, names, group, extra, what, seen)
        return
    if isinstance(node, (ast.List, ast.Tuple)):
        for elt in node.elts:
            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                c.add_pep508(elt.value, elt.lineno, group=group, extra=extra)
            else:
                c.problem(elt.lineno, f"{what}: an entry cannot be read statically")
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        for offset, part in enumerate(node.value.splitlines()):
            part = part.strip()
            if part and not part.startswith("#"):
                c.add_pep508(part, node.lineno + offset, group=group, extra=extra)
        return
    c.problem(node.lineno, f"{what} cannot be read statically")
