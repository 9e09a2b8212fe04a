"""Canonical, version-neutral text form of an ``ast`` tree, for comparing trees made by different
interpreters (this file also runs as a script under another Python: stdlib only, 3.10+ syntax).

``canon(tree, target)`` renders the tree as the fallback parser renders it on an interpreter of version
``target``; the documented mappings of :mod:`pyward.parsing.fallback` and nothing else are applied:

* ``TypeAlias`` -> ``Assign(targets=[name], value=value)`` when ``target < (3, 12)``;
* ``type_params`` fields are dropped when ``target < (3, 12)`` (no ``ast.TypeVar`` there);
* ``TemplateStr``/``Interpolation`` -> ``JoinedStr``/``FormattedValue`` (``str`` dropped) when
  ``target < (3, 14)``;
* positions of f-string parts (nodes directly in ``JoinedStr.values`` and format specs) are not
  compared when ``target < (3, 12)``: those interpreters give them the span of the whole string,
  the fallback gives them their own span as 3.12+ does.

Usage as a script: ``python fallback_astnorm.py FILE MAJOR MINOR`` prints ``canon(ast.parse(FILE))``.
"""

from __future__ import annotations

import ast
import sys
from typing import Any

_POS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def canon(tree: ast.AST, target: tuple[int, int]) -> str:
    out: list[str] = []
    _emit(tree, target, 0, False, out)
    return "\n".join(out)


def _emit(node: Any, target: tuple[int, int], depth: int, part: bool, out: list[str]) -> None:
    pad = "  " * depth
    if isinstance(node, list):
        out.append(pad + "[")
        for item in node:
            _emit(item, target, depth + 1, part, out)
        out.append(pad + "]")
        return
    if not isinstance(node, ast.AST):
        out.append(pad + repr(node))
        return
    name = type(node).__name__
    fields: dict[str, Any] = {f: getattr(node, f, None) for f in node._fields}
    if name == "TypeAlias" and target < (3, 12):
        name = "Assign"
        fields = {"targets": [fields["name"]], "value": fields["value"], "type_comment": None}
    if name == "TemplateStr" and target < (3, 14):
        name = "JoinedStr"
    if name == "Interpolation" and target < (3, 14):
        name = "FormattedValue"
        fields.pop("str", None)
    if target < (3, 12):
        fields.pop("type_params", None)
    if target < (3, 13):
        fields.pop("default_value", None)
    pos = ""
    if hasattr(node, "lineno") and not (part and target < (3, 12)):
        pos = "@" + ",".join(str(getattr(node, a, None)) for a in _POS)
    out.append(f"{pad}{name}{pos}")
    for key in sorted(fields):
        value = fields[key]
        child_part = (name == "JoinedStr" and key == "values") or (
            name == "FormattedValue" and key == "format_spec"
        )
        out.append(f"{pad} .{key}=")
        _emit(value, target, depth + 1, child_part, out)


def main(argv: list[str]) -> int:
    path, major, minor = argv[1], int(argv[2]), int(argv[3])
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    sys.stdout.write(canon(ast.parse(source), (major, minor)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
