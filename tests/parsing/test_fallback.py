"""The libcst-based fallback parser gives the same ``ast`` (node types and positions) as CPython.

* Round trip: for every top-level ``Lib/*.py`` of the running interpreter and for the grammar fixtures,
  ``ast.dump(parse_fallback(src), include_attributes=True) == ast.dump(ast.parse(src), ...)``. On
  Python < 3.12 the positions of f-string parts are blanked on both sides first: 3.10/3.11 give them the
  span of the whole string, the fallback gives them their own span as 3.12+ does (documented in
  :mod:`pyward.parsing.fallback`).
* Newer syntax: the fallback tree on the running interpreter equals ``ast.parse`` of the same file run
  by Python 3.13 in a subprocess (``PYENV_VERSION=3.13.0 python3``), modulo exactly the documented
  mappings (see ``fallback_astnorm.py``).
* Bad input: only ``SyntaxError`` (with a line number), never a crash, also for very deep nesting.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
from fallback_astnorm import canon
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyward.parsing import parse_python
from pyward.parsing.fallback import parse_fallback

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "syntax"
NORM_SCRIPT = HERE / "fallback_astnorm.py"
RUNNING = sys.version_info[:2]
STDLIB = Path(os.__file__).resolve().parent
STDLIB_FILES = sorted(p for p in STDLIB.glob("*.py") if p.is_file())


def _blank_fstring_part_positions(tree: ast.AST) -> ast.AST:
    """On < 3.12 do not compare the positions of f-string parts (see the module docstring)."""
    if RUNNING == (3, 12):
        # CPython 3.12 adds an empty Constant after a nested field at the end of a format spec
        # (``f"{x:>{w}}"``); 3.13 and the fallback do not
        for node in ast.walk(tree):
            if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
                node.format_spec.values = [
                    v for v in node.format_spec.values if not (isinstance(v, ast.Constant) and v.value == "")
                ]
    if RUNNING >= (3, 12):
        return tree
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                part.lineno = part.col_offset = part.end_lineno = part.end_col_offset = None  # type: ignore[assignment]
                if isinstance(part, ast.FormattedValue) and part.format_spec is not None:
                    spec = part.format_spec
                    spec.lineno = spec.col_offset = spec.end_lineno = spec.end_col_offset = None  # type: ignore[assignment]
    return tree


def _dump(tree: ast.AST) -> str:
    return ast.dump(_blank_fstring_part_positions(tree), include_attributes=True, indent=1)


def _assert_same_as_ast_parse(source: str, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _dump(ast.parse(source))
    got = _dump(parse_fallback(source, name))
    if got != expected:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(expected.splitlines(True), got.splitlines(True), "ast.parse", "fallback")
            )[:80]
        )
        pytest.fail(f"{name}: fallback tree differs from ast.parse:\n{diff}")


# ---------------------------------------------------------------------------------------------------
# (1) round trip against ast.parse
# ---------------------------------------------------------------------------------------------------


def test_stdlib_corpus_is_there() -> None:
    # the round trip below must not pass vacuously
    assert len(STDLIB_FILES) >= 150, STDLIB


@pytest.mark.slow
@pytest.mark.parametrize("path", STDLIB_FILES, ids=[p.name for p in STDLIB_FILES])
def test_stdlib_round_trip(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    _assert_same_as_ast_parse(source, str(path))


GRAMMAR_FIXTURES = {"py310_grammar.py": (3, 10), "py311_except_star.py": (3, 11)}


@pytest.mark.parametrize("name", sorted(GRAMMAR_FIXTURES))
def test_grammar_fixture_round_trip(name: str) -> None:
    if GRAMMAR_FIXTURES[name] > RUNNING:
        pytest.skip(f"{name} needs Python {GRAMMAR_FIXTURES[name]} for ast.parse")
    _assert_same_as_ast_parse((FIXTURES / name).read_text(encoding="utf-8"), name)


@pytest.mark.parametrize(
    "source",
    [
        "x = 'ü' + f'{ü}ü{ü!r}' + \"€\"\n",  # UTF-8 byte columns
        "if a:\r\n    b = '''x\r\ny'''\r\n",  # CRLF newlines, normalised inside literals
        "x = 1\\\n  + 2\n",
        "def f():\n    return (\n        1,  # c\n    )\n\n# trailing comment\n",
        "x = [\n    1,\n    2,\n]\n",
        "print(*a, sep='')\nf(**{})\n",
        "x = a if b else(c)\n",
        "class A(B, metaclass=M): x: int\n",
        "x = 1,\n",
        "a[1,]\n",
        "a[1:2,]\n",
        "f(x for x in y)\nf((x for x in y))\nf (\n x for x in y )\n",
        "(a)(b)\n((a))((x for x in y))\n",
        "x = 123456789012345678901234567890 + 0xFFFFFFFFFFFFFFFFFFFF + 1e400\n",
        "x = '\\N{LATIN SMALL LETTER A}\\x41\\101\\u0041\\U00000041\\\\\\q'\n",
        "x = f'\\N{LATIN SMALL LETTER A}{y}\\x41\\101\\u0041\\U00000041\\\\'\n",
        "x = f''\ny = f'{a}' f'' ''\n",
        "x = f'{a!s:{b}{c}d}' f'{{}}' f'}}{{'\n",
        "async def f():\n    await x\n    async with a: pass\n",
        "@a.b[c]\ndef f(): pass\n",
        "global a, b\n",
        "import a.b.c as d, e\n",
        "from . import (a)\n",
        "from .... import a\n",
        "x = not not a\n",
        "lambda: (yield)\n",
        "x = \\\n  1\n",
        "print(f'{x!r:{w}.{p}f}')\n",
        "x = f'{x:{w}}{{'\n",
        "x = f'{3.14:.{p}}'\n",
        "ü = 1\nprint(ü, f'{ü!r}')\n",
        "x = f'{\"ü\"}ü'\n",
        "x = f'a{{b}}c{d}e'\n",
        "x = f'''\n{a}\n  b {c!s:>{d}} '''\n",
        "x = f'{a}' 'b' f'{c}'\n",
        "x = 'a' f'' 'b'\n",
        "x = f'{x = }' f'{y=:>3}' f'{z=!s}'\n",
        "x = rf'\\n{a}\\d'\n",
        "x = f'{a!r:}'\n",
        "(f)(x for x in y)\n",
        "((f))(x for x in y)\n",
        "f(\n  x for x in y\n)\n",
        "class A:\n    def f(self):\n        pass\n    # trailing\n\n\n# end\n",
        "if True:\n    x = 1  # c\n\n    # c2\nelse:\n    y = 2\n",
        "@property\n# c\ndef f(): pass\n",
        "x = (  # c\n  1 +\n  2)\n",
        "match x:\n    case {**rest}: pass\n    case [*_]: pass\n    case A.B(): pass\n    case -0j: pass\n",
        "del (a), [b]\n",
        "with a as (b, c): pass\n",
        "x = ~a ** -b\n",
        "x = 1_000.000_1e-1_0j + 0XFF + 0O7 + 0B1\n",
        "",
        "\n\n",
        "# only a comment",
        "pass",
    ],
)
def test_round_trip_snippets(source: str) -> None:
    _assert_same_as_ast_parse(source, "<snippet>")


# ---------------------------------------------------------------------------------------------------
# (2) newer syntax against Python 3.13
# ---------------------------------------------------------------------------------------------------


def _python313() -> list[str] | None:
    """``PYENV_VERSION=3.13.0 python3`` through pyenv's shim (under pytest ``python3`` on PATH may be
    the running interpreter itself, which pyenv put first)."""
    env = dict(os.environ, PYENV_VERSION="3.13.0")
    candidates: list[str] = []
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates.append(os.path.join(root, "versions", "3.13.0", "bin", "python3"))
    candidates.append(os.path.join(root, "shims", "python3"))
    candidates.append("python3")
    for exe in candidates:
        try:
            out = subprocess.run(
                [exe, "-c", "import sys; print(sys.version_info[:2] == (3, 13))"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.strip() == "True":
            return [exe]
    return None


PY313 = _python313()


def _expected_from_313(path: Path) -> str:
    if PY313 is None:
        pytest.skip("Python 3.13 (pyenv 3.13.0, PYENV_VERSION=3.13.0 python3) is not installed")
    env = dict(os.environ, PYENV_VERSION="3.13.0")
    out = subprocess.run(
        [*PY313, str(NORM_SCRIPT), str(path), str(RUNNING[0]), str(RUNNING[1])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _compare(expected: str, got: str, name: str) -> None:
    if got != expected:
        import difflib

        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(True), got.splitlines(True), "python3.13", "fallback"
                )
            )[:80]
        )
        pytest.fail(f"{name}: fallback differs from Python 3.13's ast:\n{diff}")


NEWER_FIXTURES = {"py312_fstrings.py": (3, 12), "py312_pep695.py": (3, 12), "py313_pep696.py": (3, 13)}


@pytest.mark.parametrize("name", sorted(NEWER_FIXTURES))
def test_newer_syntax_matches_python313(name: str) -> None:
    path = FIXTURES / name
    source = path.read_text(encoding="utf-8")
    if NEWER_FIXTURES[name] > RUNNING:
        with pytest.raises(SyntaxError):
            ast.parse(source)  # the fixture really needs the fallback here
    got = canon(parse_fallback(source, name), RUNNING) + "\n"
    _compare(_expected_from_313(path), got, name)


@pytest.mark.parametrize(
    "name",
    [
        "py312_fstrings.py",
        "py312_pep695.py",
        "py313_pep696.py",
        "py314_tstrings.py",
        "py314_except_unparenthesized.py",
    ],
)
def test_fallback_trees_compile(name: str) -> None:
    # a structurally valid tree for the running interpreter: compile() checks fields and contexts
    tree = parse_fallback((FIXTURES / name).read_text(encoding="utf-8"), name)
    code = compile(tree, name, "exec")
    assert code.co_filename == name


def test_fstring_values_evaluate_like_python() -> None:
    source = (FIXTURES / "py312_fstrings.py").read_text(encoding="utf-8").replace("os.system(", "print(")
    namespace: dict[str, object] = {}
    exec(compile(parse_fallback(source), "f.py", "exec"), namespace)
    assert namespace["a"] == "v"
    assert namespace["b"] == "Take me back to Eden\nAlkaline\nAscensionism"
    assert namespace["d"] == "2"
    assert namespace["e"] == "pyward"
    # expected values as CPython 3.13 computes them for the same file
    assert namespace["h"] == "      3.14x=3.14159plainx = 3.14\\d+3.14159\\n"
    assert namespace["i"] == "1\t2\N{BULLET}"
    assert namespace["j"] == "   3.14159{literal} 3.14159}"
    assert namespace["k"] == "ünïcödé pyward ü 3.14159"
    assert namespace["o"] == b"bytes\x00\\d"


_T_PREFIX = re.compile(r"(?<![\w'\"])([rR]?)[tT]([rR]?)(?=['\"])")


def test_template_strings_map_to_fstring_tree(tmp_path: Path) -> None:
    """A t-string gives the tree of the same text with the ``t`` prefix replaced by ``f`` (same length,
    so same positions): JoinedStr/FormattedValue before 3.14."""
    source = (FIXTURES / "py314_tstrings.py").read_text(encoding="utf-8")
    as_fstrings = _T_PREFIX.sub(r"\1f\2", source)
    assert as_fstrings != source and len(as_fstrings) == len(source)
    if RUNNING >= (3, 14):  # pragma: no cover - no 3.14 here yet
        _assert_same_as_ast_parse(source, "py314_tstrings.py")
        return
    with pytest.raises(SyntaxError):
        ast.parse(source)
    fpath = tmp_path / "as_fstrings.py"
    fpath.write_text(as_fstrings, encoding="utf-8")
    got = canon(parse_fallback(source, "py314_tstrings.py"), RUNNING) + "\n"
    _compare(_expected_from_313(fpath), got, "py314_tstrings.py")


def test_template_string_interpolations_are_formatted_values() -> None:
    tree = parse_fallback('os.system(t"rm {path}" t" -r")\n')
    call = tree.body[0].value  # type: ignore[attr-defined]
    arg = call.args[0]
    if RUNNING >= (3, 14):  # pragma: no cover
        assert type(arg).__name__ == "TemplateStr"
        return
    assert isinstance(arg, ast.JoinedStr)
    assert [type(v).__name__ for v in arg.values] == ["Constant", "FormattedValue", "Constant"]
    assert arg.values[0].value == "rm "  # type: ignore[attr-defined]
    assert arg.values[2].value == " -r"  # type: ignore[attr-defined]
    fv = arg.values[1]
    assert isinstance(fv, ast.FormattedValue) and isinstance(fv.value, ast.Name) and fv.value.id == "path"
    assert (fv.lineno, fv.col_offset, fv.end_col_offset) == (1, 15, 21)
    assert (arg.col_offset, arg.end_col_offset) == (10, 29)


class _AstWithTemplates:
    """``ast`` as 3.14 has it (TemplateStr/Interpolation), for the 3.14 branch on older interpreters."""

    TemplateStr = type("TemplateStr", (ast.expr,), {"_fields": ("values",)})
    Interpolation = type(
        "Interpolation", (ast.expr,), {"_fields": ("value", "str", "conversion", "format_spec")}
    )

    def __getattr__(self, name: str) -> object:
        return getattr(ast, name)


def test_template_strings_on_314_use_template_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyward.parsing import fallback

    if not hasattr(ast, "TemplateStr"):
        monkeypatch.setattr(fallback, "_AST", _AstWithTemplates())
    monkeypatch.setattr(fallback, "_HAS_TEMPLATES", True)
    tree = parse_fallback('q = t"a{ x!r:>{w}}b" t"{y = }"\n')
    tstr = tree.body[0].value  # type: ignore[attr-defined]
    assert type(tstr).__name__ == "TemplateStr"
    assert (tstr.col_offset, tstr.end_col_offset) == (4, 30)
    kinds = [type(v).__name__ for v in tstr.values]
    assert kinds == ["Constant", "Interpolation", "Constant", "Interpolation"]
    first, second = tstr.values[1], tstr.values[3]
    assert first.str == " x" and first.conversion == ord("r")
    assert isinstance(first.value, ast.Name) and first.value.id == "x"
    assert type(first.format_spec).__name__ == "JoinedStr"
    assert (first.col_offset, first.end_col_offset) == (7, 18)
    # the debug specifier: "y = " text, then the interpolation of y with repr conversion
    assert tstr.values[2].value == "by = "
    assert second.str == "y" and second.conversion == ord("r")


def test_type_alias_mapping() -> None:
    tree = parse_fallback("type Pair[A, B = int] = tuple[A, B]\n")
    stmt = tree.body[0]
    if hasattr(ast, "TypeAlias"):
        assert type(stmt).__name__ == "TypeAlias"
        assert [p.name for p in stmt.type_params] == ["A", "B"]  # type: ignore[attr-defined]
    else:
        assert isinstance(stmt, ast.Assign)
        assert isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == "Pair"
        assert isinstance(stmt.targets[0].ctx, ast.Store)
        assert ast.unparse(stmt.value) == "tuple[A, B]"
    assert (stmt.lineno, stmt.col_offset, stmt.end_lineno, stmt.end_col_offset) == (1, 0, 1, 35)


def test_pep758_unparenthesized_except() -> None:
    source = (FIXTURES / "py314_except_unparenthesized.py").read_text(encoding="utf-8")
    tree = parse_fallback(source)
    # the same tree as the parenthesised spelling, but the tuple spans the names only
    paren = source.replace("except ValueError, TypeError:", "except (ValueError, TypeError):").replace(
        "except* OSError, KeyError:", "except* (OSError, KeyError):"
    )
    expected = ast.parse(paren) if RUNNING >= (3, 11) else parse_fallback(paren)
    assert ast.dump(tree) == ast.dump(expected)
    handlers = [stmt.handlers[0] for stmt in tree.body]  # type: ignore[attr-defined]
    spans = [(h.type.lineno, h.type.col_offset, h.type.end_col_offset) for h in handlers]
    assert spans == [(4, 7, 28), (9, 8, 25)]


def test_python315_forms() -> None:
    tree = parse_fallback(
        "lazy import os.path as p\nlazy from a import b\nx = [*y for y in z]\nd = {**m for m in ms}\n"
    )
    imp, imp_from, lst, dct = tree.body
    assert isinstance(imp, ast.Import) and [(a.name, a.asname) for a in imp.names] == [("os.path", "p")]
    assert (imp.col_offset, imp.end_col_offset) == (0, 24)
    assert isinstance(imp_from, ast.ImportFrom) and imp_from.module == "a" and imp_from.names[0].name == "b"
    assert isinstance(lst, ast.Assign) and isinstance(lst.value, ast.ListComp)
    assert isinstance(lst.value.elt, ast.Starred) and (
        lst.value.elt.col_offset,
        lst.value.elt.end_col_offset,
    ) == (5, 7)
    assert isinstance(dct, ast.Assign) and isinstance(dct.value, ast.DictComp)
    assert isinstance(dct.value.key, ast.Name) and dct.value.key.id == "m" and dct.value.value is None


def test_parse_python_uses_the_fallback_for_newer_syntax() -> None:
    result = parse_python(b"def f[T](x: T) -> T:\n    return x\n", "new.py")
    assert result.tree is not None and result.error is None
    assert result.fallback is (RUNNING < (3, 12))
    assert isinstance(result.tree.body[0], ast.FunctionDef)


# ---------------------------------------------------------------------------------------------------
# (3) bad input
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("x = (\n", 1),
        ("def f(:\n    pass\n", 1),
        ("x = 1\ny = = 2\n", 2),
        ("if x:\npass\n", 2),
        ("a = 1\n\n\nclass\n", 4),
        ("x = 'unterminated\n", 1),
        ("x = b'a' 'b'\n", 1),
        ("x = '\\N{NO SUCH NAME}'\n", 1),
        ("return return\n", 1),
    ],
)
def test_invalid_source_raises_syntax_error_with_line(source: str, line: int) -> None:
    with pytest.raises(SyntaxError) as info:
        parse_fallback(source, "bad.py")
    assert info.value.lineno is not None and info.value.lineno >= 1
    # libcst reports the line of the token where parsing failed, which can be the next line
    assert line <= info.value.lineno <= line + 1
    assert info.value.msg


def test_null_bytes_are_a_syntax_error() -> None:
    with pytest.raises(SyntaxError):
        parse_fallback("x = 1\0\n")


_DEEP_CASES = {
    "parens": "'(' * N + 'x' + ')' * N",
    "brackets": "'[' * N + ']' * N",
    "unary": "'-' * N + 'x'",
    "binop": "'x' + ' + x' * N",
    "attribute": "'x' + '.a' * N",
    "calls": "'f(' * N + ')' * N",
    "not": "'not ' * N + 'x'",
    "strings": "'\"a\" ' * N",
    "lambda": "'lambda: ' * N + 'x'",
    "ifexp": "'a if b else ' * N + 'c'",
    "elif": "'if a:\\n    pass\\n' + 'elif a:\\n    pass\\n' * N",
    "indent": "''.join(' ' * i + 'if a:\\n' for i in range(N)) + ' ' * N + 'pass\\n'",
    "fstring": "'f\"{' * N + 'x' + '}\"' * N",
    "subscript": "'x' + '[0]' * N",
    "dict": "'{1: ' * N + '1' + '}' * N",
    "boolop": "'a' + ' or a and a' * N",
    # explicit line continuations keep one logical line (they once reset the estimate)
    "continued": "'x = 1' + ' + \\\\\\n 1' * N",
    "continued_crlf": "'x = 1' + ' + \\\\\\r\\n 1' * N",
}


@pytest.mark.parametrize("depth", [100, 10_000])
@pytest.mark.parametrize("shape", sorted(_DEEP_CASES))
def test_deep_nesting_never_crashes(shape: str, depth: int) -> None:
    # in a subprocess: a C stack overflow would kill the interpreter, not fail an assertion
    code = textwrap.dedent(
        f"""
        import ast, sys
        from pyward.parsing.fallback import parse_fallback
        N = {depth}
        src = {_DEEP_CASES[shape]} + "\\n"
        try:
            tree = parse_fallback(src, "deep.py")
        except SyntaxError as exc:
            print("SyntaxError", exc.lineno, exc.msg)
        else:
            assert isinstance(tree, ast.Module)
            print("tree")
        """
    )
    src_dir = Path(__file__).resolve().parents[2] / "src"
    env = dict(os.environ, PYTHONPATH=str(src_dir) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert out.stdout.startswith(("tree", "SyntaxError")), out.stdout
    if depth == 100 and shape not in {"indent"}:
        assert out.stdout.startswith("tree"), out.stdout
    if depth == 10_000:
        assert "too deeply nested" in out.stdout or out.stdout.startswith("tree"), out.stdout


@pytest.mark.skipif(sys.version_info < (3, 11), reason="starred subscripts are Python 3.11 syntax")
def test_starred_subscript_is_a_tuple() -> None:
    _assert_same_as_ast_parse("x[*a]\ny = x[*a, *b]\nz = x[*a,]\n", "starred_subscript.py")


def test_string_right_after_a_keyword_is_a_string() -> None:
    """``return"("``: the quote opens a string even though a keyword ends just before it, so the
    bracket inside is not counted (it once stayed open and the rest of the file piled up)."""
    source = 'def f(x):\n    return"(" + x\n' + "y = a + b + c + d\n" * 600
    _assert_same_as_ast_parse(source, "keyword_string.py")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("prefix", ["", "r", "f", "rb"])
def test_backslash_newline_inside_a_string_continues_it(newline: str, prefix: str) -> None:
    """``"a\\`` at the end of a line continues the string (raw strings and CRLF files too): the
    brackets on the next line are text, not 250 open parentheses."""
    source = f'x = {prefix}"a\\{newline}' + "(" * 250 + f'"{newline}y = 1{newline}'
    _assert_same_as_ast_parse(source, "continued_string.py")


def test_columns_of_long_non_ascii_lines() -> None:
    """Byte columns on lines with non-ASCII text (and a long one: its offsets are computed once,
    not once per node)."""
    source = "x = ['é', 'ü' + y, f'{z}ß']\n" + "s = ['€', " + "1, " * 3000 + "]\n"
    _assert_same_as_ast_parse(source, "non_ascii.py")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_continuations_count_towards_nesting(newline: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A backslash continuation does not end the logical line: a 5,000-term chain spread over
    continued lines is as deep as the one-line chain and is refused before libcst sees it (a
    chain of a million such lines once kept libcst busy for minutes)."""
    import libcst

    source = "x = 1" + f" + \\{newline} 1" * 5000 + newline
    with monkeypatch.context() as patch:
        patch.setattr(libcst, "parse_module", lambda _text: pytest.fail("libcst was given the source"))
        with pytest.raises(SyntaxError, match="too deeply nested"):
            parse_fallback(source, "deep.py")
    short = "x = 1" + f" + \\{newline} 1" * 50 + newline
    tree = parse_fallback(short, "short.py")
    assert isinstance(tree.body[0], ast.Assign)


def _only_syntax_error(source: str) -> None:
    try:
        tree = parse_fallback(source, "fuzz.py")
    except SyntaxError as exc:
        assert exc.lineno is not None
    else:
        assert isinstance(tree, ast.Module)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_random_text_gives_only_syntax_error(source: str) -> None:
    _only_syntax_error(source)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_give_only_syntax_error(data: bytes) -> None:
    _only_syntax_error(data.decode("latin-1"))


_FUZZ_SOURCES = [
    (FIXTURES / n).read_text(encoding="utf-8") for n in sorted(os.listdir(FIXTURES)) if n.endswith(".py")
]
_TOKENS = [
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "f'",
    't"',
    '"',
    "'",
    "\\",
    "\n",
    "    ",
    "=",
    "*",
    "lambda",
    "{x",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_FUZZ_SOURCES),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(_TOKENS), st.booleans()), min_size=1, max_size=4),
)
def test_mutated_fixtures_give_only_syntax_error(source: str, edits: list[tuple[float, str, bool]]) -> None:
    for where, token, delete in edits:
        i = int(where * len(source))
        source = source[:i] + source[i + len(token) :] if delete else source[:i] + token + source[i:]
    _only_syntax_error(source)
