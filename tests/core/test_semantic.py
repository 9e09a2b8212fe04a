from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pyward.analysis.semantic import SemanticModel, module_name_for


def _resolve(source: str, module: str = "pkg.mod", *, is_package: bool = False) -> dict[int, str | None]:
    """Qualified name of the callee of every call, by line."""
    tree = ast.parse(source)
    model = SemanticModel(tree, module, is_package=is_package)
    return {n.lineno: model.qualname(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}


def test_import_aliases() -> None:
    src = (
        "import subprocess as sp\n"
        "from os import system as s\n"
        "import os.path\n"
        "import xml.etree.ElementTree as ET\n"
        "sp.run('x')\n"
        "s('x')\n"
        "os.path.join('a')\n"
        "ET.fromstring('x')\n"
        "eval('1')\n"
    )
    got = _resolve(src)
    assert got == {
        5: "subprocess.run",
        6: "os.system",
        7: "os.path.join",
        8: "xml.etree.ElementTree.fromstring",
        9: "builtins.eval",
    }


def test_locals_shadow_imports_and_builtins() -> None:
    src = (
        "from os import system\n"
        "def f(system):\n"
        "    system('x')\n"
        "def g():\n"
        "    eval = print\n"
        "    eval('x')\n"
        "def h():\n"
        "    system('y')\n"
    )
    assert _resolve(src) == {3: None, 6: None, 8: "os.system"}


def test_function_level_imports_and_globals() -> None:
    src = (
        "def f():\n"
        "    import pickle as p\n"
        "    p.loads(b'')\n"
        "def g():\n"
        "    p.loads(b'')\n"
    )
    assert _resolve(src) == {3: "pickle.loads", 5: None}


def test_class_scope_not_visible_in_methods() -> None:
    src = (
        "import json\n"
        "class C:\n"
        "    json = None\n"
        "    def m(self):\n"
        "        json.loads('1')\n"
    )
    assert _resolve(src) == {5: "json.loads"}


def test_relative_imports() -> None:
    src = "from . import util\nfrom ..core import run\nfrom .x import y as z\nutil.f()\nrun()\nz()\n"
    assert _resolve(src, "pkg.sub.mod") == {4: "pkg.sub.util.f", 5: "pkg.core.run", 6: "pkg.sub.x.y"}
    assert _resolve(src, "pkg.sub", is_package=True) == {4: "pkg.sub.util.f", 5: "pkg.core.run", 6: "pkg.sub.x.y"}


def test_module_level_definitions_resolve_to_module() -> None:
    src = "def helper():\n    pass\nclass K:\n    pass\nhelper()\nK()\n"
    assert _resolve(src, "app.views") == {5: "app.views.helper", 6: "app.views.K"}


def test_decorator_and_default_evaluated_in_enclosing_scope() -> None:
    src = (
        "import functools\n"
        "def outer():\n"
        "    @functools.lru_cache()\n"
        "    def inner(x=len([])):\n"
        "        functools = None\n"
        "        return x\n"
    )
    assert _resolve(src) == {3: "functools.lru_cache", 4: "builtins.len"}


def test_deep_expression_does_not_recurse() -> None:
    expr: ast.expr = ast.Name("a", ast.Load())
    for _ in range(10_000):
        expr = ast.BinOp(expr, ast.Add(), ast.Name("a", ast.Load()))
    tree = ast.Module([ast.Assign([ast.Name("x", ast.Store())], expr)], [])
    model = SemanticModel(tree, "m")
    assert model.module_scope.assigned == {"x"}


@pytest.mark.parametrize(
    ("layout", "target", "expected"),
    [
        (["src/pkg/__init__.py", "src/pkg/sub/__init__.py", "src/pkg/sub/mod.py"], "src/pkg/sub/mod.py", "pkg.sub.mod"),
        (["src/pkg/__init__.py"], "src/pkg/__init__.py", "pkg"),
        (["scripts/tool.py"], "scripts/tool.py", "tool"),
    ],
)
def test_module_name_for(tmp_path: Path, layout: list[str], target: str, expected: str) -> None:
    for rel in layout:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("")
    assert module_name_for(tmp_path / target) == expected


def test_span_columns_are_characters_not_bytes() -> None:
    from pyward.analysis.context import FileContext
    from pyward.settings import Settings

    source = "name = 'héllo'; eval(x)\n"
    tree = ast.parse(source)
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    ctx = FileContext("a.py", "/a.py", source, tree, SemanticModel(tree, "a"), Settings())
    span = ctx.span(call)
    assert source[span.col : span.end_col] == "eval(x)"
