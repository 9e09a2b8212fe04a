"""Version-independent fallback front end: libcst's CST converted to the running interpreter's ``ast``.

``ast.parse`` only understands the syntax of the interpreter it runs on. A file that uses newer syntax
(3.12 f-strings with nested quotes, PEP 695 type parameters and ``type`` aliases, PEP 696 defaults,
3.14 template strings, PEP 758 unparenthesised ``except A, B:``) is parsed here with libcst's native
parser (which accepts every Python 3 version's grammar) and converted to stdlib ``ast`` nodes with the
positions a newer CPython would give: 1-based lines, UTF-8 *byte* columns, end positions.

Mappings onto older interpreters (nodes that do not exist there become the nearest existing ones):

* ``type X[T] = v`` becomes ``ast.TypeAlias`` where it exists (3.12+), otherwise
  ``ast.Assign(targets=[Name('X', Store)], value=v)`` with the statement's position.
* Type parameters are kept (``ast.TypeVar``/``ParamSpec``/``TypeVarTuple``, PEP 696 ``default_value``
  where the running ``ast`` has the field) and dropped where ``ast.TypeVar`` does not exist.
* A template string ``t"..."`` becomes ``ast.TemplateStr``/``ast.Interpolation`` on 3.14+, otherwise an
  ``ast.JoinedStr`` with the same ``FormattedValue`` parts: rules then treat template interpolations
  like f-string interpolations, which is the safe assumption for injection rules.
* ``lazy import`` (PEP 810) becomes a plain ``Import``/``ImportFrom``.
* PEP 798 unpacking in comprehensions is represented as 3.15 does: ``[*x for x in y]`` has a
  ``Starred`` element, ``{**d for d in ds}`` is a ``DictComp`` with ``key=d`` and ``value=None``.
* Known libcst limitation: a parenthesised simple annotation target (``(x): int = 1``, valid since
  3.8) is rejected by libcst 1.9, so a file that has it *and* needs the fallback is unparsable.
* Parts of f-strings (``Constant``/``FormattedValue`` directly inside a ``JoinedStr`` and format specs)
  always get 3.12-style positions (their own span), also on 3.10/3.11 whose ``ast`` gives them the
  span of the whole string.

:func:`parse_fallback` raises only ``SyntaxError``: for invalid source, for input nested too deeply to
convert safely (libcst's native parser would overflow the C stack, so nesting is checked on the token
level first), and for any internal error of libcst or of the converter.
"""

from __future__ import annotations

import ast
import bisect
import re
import threading
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["MAX_BRACKET_DEPTH", "MAX_NESTING", "parse_fallback"]

#: Same limit as CPython's tokenizer ("too many nested parentheses").
MAX_BRACKET_DEPTH = 200
#: Upper bound on the nesting estimate (brackets plus operator chains plus block depth) accepted before
#: the source is handed to libcst's native parser.
MAX_NESTING = 1000
#: Stack size of the thread that runs the native parser and the converter.
_STACK_SIZE = 256 * 1024 * 1024
_stack_lock = threading.Lock()

_N = TypeVar("_N", bound=ast.AST)
Pos = tuple[int, int, int, int]

_HAS_TYPE_PARAMS = hasattr(ast, "TypeVar")
_HAS_TEMPLATES = hasattr(ast, "TemplateStr")
_HAS_TYPE_ALIAS = hasattr(ast, "TypeAlias")
#: ``ast`` seen untyped, for node classes that only newer interpreters have
_AST: Any = ast


def _syntax_error(msg: str, filename: str, lineno: int | None = None, col: int | None = None) -> SyntaxError:
    err = SyntaxError(msg)
    err.filename = filename
    err.lineno = lineno if lineno is not None else 1
    err.offset = (col + 1) if col is not None else None
    return err


# --------------------------------------------------------------------------------------------------
# Token-level nesting pre-check
# --------------------------------------------------------------------------------------------------

_STRING_START = re.compile(r"(?i)(rb|br|rf|fr|rt|tr|[rbfut])?('''|\"\"\"|'|\")")
_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"\d[\w.]*|\.\d[\w]*")
_CHAIN_WORDS = frozenset({"not", "and", "or", "if", "else", "lambda", "await", "in", "is"})
_CHAIN_OPS = "+-*/%@&|^~<>=!."


def _check_nesting(source: str, filename: str) -> list[int]:
    """Reject source whose syntax tree would be deeper than libcst and the converter handle safely.
    Returns the offsets of the ``t``/``T`` prefix characters of template strings.

    The estimate is an upper bound of the tree depth: open brackets, plus for each bracket level the
    operators and string pieces since the last comma at that level, plus indentation and ``elif``
    chains. It is deliberately simple and conservative (never below the true depth)."""
    n = len(source)
    i = 0
    line = 1
    # Each frame: [closing bracket or "}" of an f-string field, chain count, is_fstring_field, quote]
    stack: list[list[Any]] = [["", 0, False, ""]]
    #: indentation width -> length of the if/elif/else chain at that width
    elif_chains: dict[int, int] = {}
    indent_depth = 0
    indents: list[int] = [0]
    at_line_start = True
    templates: list[int] = []

    def fail(msg: str) -> SyntaxError:
        return _syntax_error(f"too deeply nested to parse: {msg}", filename, line)

    def total() -> int:
        return int(sum(f[1] for f in stack)) + len(stack) + indent_depth + sum(elif_chains.values())

    while i < n:
        ch = source[i]
        if at_line_start and len(stack) == 1:
            # measure indentation of a logical line
            j = i
            while j < n and source[j] in " \t\f":
                j += 1
            if j < n and source[j] not in "\r\n#":
                width = j - i
                if width > indents[-1]:
                    indents.append(width)
                else:
                    while len(indents) > 1 and width < indents[-1]:
                        indents.pop()
                indent_depth = len(indents) - 1
                if indent_depth > 100:
                    raise fail("too many levels of indentation")
                if source.startswith("elif", j) or source.startswith("else", j):
                    elif_chains[width] = elif_chains.get(width, 0) + 1
                elif not source.startswith("except", j) and not source.startswith("finally", j):
                    for w in [w for w in elif_chains if w >= width]:
                        del elif_chains[w]
                if total() > MAX_NESTING:
                    raise fail("too many nested blocks")
            at_line_start = False
            i = j
            continue
        if ch == "\n" or ch == "\r":
            if ch == "\r" and i + 1 < n and source[i + 1] == "\n":
                i += 1
            line += 1
            i += 1
            if len(stack) == 1:
                stack[0][1] = 0
                at_line_start = True
            continue
        if ch == "#":
            while i < n and source[i] not in "\r\n":
                i += 1
            continue
        if ch == "\\" and i + 1 < n and source[i + 1] in "\r\n":
            # an explicit line continuation: the logical line (and its chain count) goes on
            i += 2
            if source[i - 1] == "\r" and i < n and source[i] == "\n":
                i += 1
            line += 1
            continue
        # (a quote always opens a string here: identifiers, keywords included, were consumed
        # whole below, so ``return"("`` reaches this point at its quote)
        m = _STRING_START.match(source, i)
        if m is not None:
            prefix = (m.group(1) or "").lower()
            quote = m.group(2)
            if "t" in prefix:
                templates.append(i + (m.group(1) or "").lower().index("t"))
            i = m.end()
            stack[-1][1] += 1
            if total() > MAX_NESTING:
                raise fail("expression too long or too deeply nested")
            i, line = _skip_string_body(source, i, line, quote, prefix, stack, fail)
            continue
        if ch in "([{":
            # calls/subscripts chain like operators: f(a)(b)[c] nests one level per trailer
            stack[-1][1] += 1
            stack.append([{"(": ")", "[": "]", "{": "}"}[ch], 0, False, ""])
            if len(stack) - 1 > MAX_BRACKET_DEPTH:
                raise fail("too many nested parentheses")
            if total() > MAX_NESTING:
                raise fail("expression too long or too deeply nested")
            i += 1
            continue
        if ch in ")]}":
            if len(stack) > 1:
                frame = stack.pop()
                if frame[2]:
                    # end of an f-string replacement field: continue inside the string
                    i += 1
                    i, line = _skip_string_body(source, i, line, frame[3][1], frame[3][0], stack, fail)
                    continue
            i += 1
            continue
        if ch == ":" and stack[-1][2] and len(stack) > 1:
            # format spec of an f-string field: literal text with nested fields until "}"
            frame = stack.pop()
            i, line = _skip_format_spec(source, i + 1, line, frame, stack, fail)
            continue
        if ch == "," or ch == ";":
            stack[-1][1] = 0
            i += 1
            continue
        if ch in _CHAIN_OPS:
            stack[-1][1] += 1
            if total() > MAX_NESTING:
                raise fail("expression too long or too deeply nested")
            i += 1
            continue
        wm = _WORD.match(source, i)
        if wm is not None:
            if wm.group() in _CHAIN_WORDS:
                stack[-1][1] += 1
                if total() > MAX_NESTING:
                    raise fail("expression too long or too deeply nested")
            i = wm.end()
            continue
        nm = _NUMBER.match(source, i)
        if nm is not None:
            i = nm.end()
            continue
        i += 1
    return templates


def _skip_string_body(
    source: str,
    i: int,
    line: int,
    quote: str,
    prefix: str,
    stack: list[list[Any]],
    fail: Callable[[str], SyntaxError],
) -> tuple[int, int]:
    """Skip to the end of a string literal body, or to the start of an f/t-string replacement field
    (pushing a frame that resumes the string at its closing brace)."""
    n = len(source)
    fmt = "f" in prefix or "t" in prefix
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            # an escaped character (in raw strings too, a backslash keeps the next character in
            # the string); backslash-newline continues the string on the next line, CRLF included
            following = source[i + 1]
            if following == "\r" and source.startswith("\n", i + 2):
                i += 1
            if following in "\r\n":
                line += 1
            i += 2
            continue
        if source.startswith(quote, i):
            return i + len(quote), line
        if ch == "\n":
            line += 1
            if len(quote) == 1:
                return i, line - 1
        if fmt and ch == "{":
            if source.startswith("{{", i):
                i += 2
                continue
            stack.append(["}", 0, True, (prefix, quote)])
            if len(stack) - 1 > MAX_BRACKET_DEPTH:
                raise fail("too many nested parentheses")
            return i + 1, line
        i += 1
    return i, line


def _skip_format_spec(
    source: str,
    i: int,
    line: int,
    frame: list[Any],
    stack: list[list[Any]],
    fail: Callable[[str], SyntaxError],
) -> tuple[int, int]:
    n = len(source)
    prefix, quote = frame[3]
    while i < n:
        ch = source[i]
        if ch == "}":
            return _skip_string_body(source, i + 1, line, quote, prefix, stack, fail)
        if ch == "{":
            # nested field inside the spec: resumes the spec (approximated as the string) at "}"
            stack.append(["}", 0, True, (prefix, quote)])
            if len(stack) - 1 > MAX_BRACKET_DEPTH:
                raise fail("too many nested parentheses")
            return i + 1, line
        if source.startswith(quote, i):
            return i + len(quote), line
        if ch == "\n":
            line += 1
        i += 1
    return i, line


# --------------------------------------------------------------------------------------------------
# String literal helpers
# --------------------------------------------------------------------------------------------------

_SIMPLE_ESCAPES = {
    "\n": "",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


def _decode_text(text: str, raw: bool) -> str:
    """Value of the literal text of an f/t-string part (escapes, doubled braces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if raw:
        return text.replace("{{", "{").replace("}}", "}")
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt in _SIMPLE_ESCAPES:
                out.append(_SIMPLE_ESCAPES[nxt])
                i += 2
            elif nxt in "01234567":
                j = i + 1
                while j < n and j < i + 4 and text[j] in "01234567":
                    j += 1
                out.append(chr(int(text[i + 1 : j], 8)))
                i = j
            elif nxt in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[nxt]
                digits = text[i + 2 : i + 2 + width]
                if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise SyntaxError(f"(unicode error) truncated \\{nxt} escape")
                out.append(chr(int(digits, 16)))
                i += 2 + width
            elif nxt == "N" and i + 2 < n and text[i + 2] == "{":
                end = text.find("}", i + 3)
                if end < 0:
                    raise SyntaxError("(unicode error) malformed \\N character escape")
                try:
                    out.append(unicodedata.lookup(text[i + 3 : end]))
                except KeyError:
                    raise SyntaxError("(unicode error) unknown Unicode character name") from None
                i = end + 1
            else:
                out.append(ch)
                i += 1
        elif ch in "{}" and text.startswith(ch * 2, i):
            out.append(ch)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _literal(text: str) -> Any:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.literal_eval(text)


def _number(text: str) -> Any:
    t = text.replace("_", "")
    low = t.lower()
    if low.endswith("j"):
        return complex(0, float(t[:-1]))
    if low.startswith(("0x", "0o", "0b")):
        return int(t, 0)
    if any(c in low for c in ".e") and not low.startswith("0x"):
        return float(t)
    return int(t, 10)


# --------------------------------------------------------------------------------------------------
# Converter
# --------------------------------------------------------------------------------------------------

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


def _mk(cls: type[_N], **fields: Any) -> _N:
    names = cls._fields
    node = cls(**{k: v for k, v in fields.items() if k in names})
    for k in names:
        if not hasattr(node, k):
            setattr(node, k, [] if k in {"type_params", "decorator_list"} else None)
    return node


class _Converter:
    def __init__(self, cst: Any, source: str, positions: Any, templates: set[int]) -> None:
        self.cst = cst
        self.source = source
        #: offsets of string pieces that are template strings (parsed by libcst as f-strings)
        self.templates = templates
        self.templates_seen: set[int] = set()
        self.positions = positions
        self.lines = _LINE_SPLIT.split(source)
        starts = [0]
        for m in _LINE_SPLIT.finditer(source):
            starts.append(m.end())
        self.line_starts = starts
        self.ascii = [ln.isascii() for ln in self.lines]
        #: per non-ASCII line (0-based), the UTF-8 byte offset of each character column
        self._byte_offsets: dict[int, list[int]] = {}

    # ---- positions -----------------------------------------------------------------------------

    def bcol(self, line: int, col: int) -> int:
        """The UTF-8 byte column of character column ``col`` (linear per line, not per call:
        a long non-ASCII line has many nodes)."""
        index = line - 1
        if index >= len(self.lines) or self.ascii[index]:
            return col
        offsets = self._byte_offsets.get(index)
        if offsets is None:
            offsets = [0]
            total = 0
            for ch in self.lines[index]:
                total += len(ch.encode("utf-8"))
                offsets.append(total)
            self._byte_offsets[index] = offsets
        return offsets[min(max(col, 0), len(offsets) - 1)]

    def cpos(self, node: Any) -> Pos:
        r = self.positions[node]
        return (r.start.line, r.start.column, r.end.line, r.end.column)

    def at(self, node: _N, pos: Pos) -> _N:
        node.lineno = pos[0]  # type: ignore[attr-defined]
        node.col_offset = self.bcol(pos[0], pos[1])  # type: ignore[attr-defined]
        node.end_lineno = pos[2]  # type: ignore[attr-defined]
        node.end_col_offset = self.bcol(pos[2], pos[3])  # type: ignore[attr-defined]
        return node

    def abs(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def rel(self, off: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, off)
        return line, off - self.line_starts[line - 1]

    def skip_ws(self, off: int) -> int:
        """Offset of the next token at or after ``off`` (skips blanks, comments, continuations)."""
        s = self.source
        n = len(s)
        while off < n:
            ch = s[off]
            if ch in " \t\f\r\n\\":
                off += 1
            elif ch == "#":
                while off < n and s[off] not in "\r\n":
                    off += 1
            else:
                break
        return off

    def span(self, first: Pos, last: Pos) -> Pos:
        return (first[0], first[1], last[2], last[3])

    def paren_pos(self, node: Any) -> Pos:
        """Position including the innermost pair of parentheses, when there are any."""
        if getattr(node, "lpar", None):
            lp = self.cpos(node.lpar[-1])
            rp = self.cpos(node.rpar[0])
            return (lp[0], lp[1], rp[2], rp[3])
        return self.cpos(node)

    # ---- dispatch ------------------------------------------------------------------------------

    def expr(self, node: Any, ctx: ast.expr_context | None = None) -> ast.expr:
        meth = getattr(self, "e_" + type(node).__name__, None)
        if meth is None:
            raise SyntaxError(f"unsupported expression {type(node).__name__}")
        result: ast.expr = meth(node, ctx or ast.Load())
        return result

    def opt(self, node: Any) -> ast.expr | None:
        if node is None or isinstance(node, self.cst.MaybeSentinel):
            return None
        return self.expr(node)

    def module(self, mod: Any) -> ast.Module:
        return ast.Module(body=self.block_body(mod.body), type_ignores=[])

    def block_body(self, stmts: Sequence[Any]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for s in stmts:
            if isinstance(s, (self.cst.SimpleStatementLine, self.cst.SimpleStatementSuite)):
                for small in s.body:
                    out.append(self.stmt(small))
            else:
                out.append(self.stmt(s))
        return out

    def suite(self, body: Any) -> list[ast.stmt]:
        if isinstance(body, self.cst.SimpleStatementSuite):
            return [self.stmt(s) for s in body.body]
        return self.block_body(body.body)

    def stmt(self, node: Any) -> ast.stmt:
        meth = getattr(self, "s_" + type(node).__name__, None)
        if meth is None:
            raise SyntaxError(f"unsupported statement {type(node).__name__}")
        result: ast.stmt = meth(node)
        return result

    # ---- simple statements ---------------------------------------------------------------------

    def s_Expr(self, n: Any) -> ast.stmt:
        return self.at(ast.Expr(value=self.expr(n.value)), self.cpos(n))

    def s_Pass(self, n: Any) -> ast.stmt:
        return self.at(ast.Pass(), self.cpos(n))

    def s_Break(self, n: Any) -> ast.stmt:
        return self.at(ast.Break(), self.cpos(n))

    def s_Continue(self, n: Any) -> ast.stmt:
        return self.at(ast.Continue(), self.cpos(n))

    def s_Return(self, n: Any) -> ast.stmt:
        return self.at(ast.Return(value=self.opt(n.value)), self.cpos(n))

    def s_Raise(self, n: Any) -> ast.stmt:
        cause = None if n.cause is None else self.expr(n.cause.item)
        return self.at(ast.Raise(exc=self.opt(n.exc), cause=cause), self.cpos(n))

    def s_Assert(self, n: Any) -> ast.stmt:
        return self.at(ast.Assert(test=self.expr(n.test), msg=self.opt(n.msg)), self.cpos(n))

    def s_Global(self, n: Any) -> ast.stmt:
        return self.at(ast.Global(names=[x.name.value for x in n.names]), self.cpos(n))

    def s_Nonlocal(self, n: Any) -> ast.stmt:
        return self.at(ast.Nonlocal(names=[x.name.value for x in n.names]), self.cpos(n))

    def s_Del(self, n: Any) -> ast.stmt:
        t = n.target
        if isinstance(t, self.cst.Tuple) and not t.lpar:
            targets = [self.expr(e.value, ast.Del()) for e in t.elements]
        else:
            targets = [self.expr(t, ast.Del())]
        return self.at(ast.Delete(targets=targets), self.cpos(n))

    def s_Assign(self, n: Any) -> ast.stmt:
        targets = [self.expr(t.target, ast.Store()) for t in n.targets]
        return self.at(
            _mk(ast.Assign, targets=targets, value=self.expr(n.value), type_comment=None), self.cpos(n)
        )

    def s_AugAssign(self, n: Any) -> ast.stmt:
        op = _AUG_OPS[type(n.operator).__name__]()
        node = _mk(ast.AugAssign, target=self.expr(n.target, ast.Store()), op=op, value=self.expr(n.value))
        return self.at(node, self.cpos(n))

    def s_AnnAssign(self, n: Any) -> ast.stmt:
        simple = int(isinstance(n.target, self.cst.Name) and not n.target.lpar)
        node = _mk(
            ast.AnnAssign,
            target=self.expr(n.target, ast.Store()),
            annotation=self.expr(n.annotation.annotation),
            value=self.opt(n.value),
            simple=simple,
        )
        return self.at(node, self.cpos(n))

    def dotted(self, node: Any) -> str:
        if isinstance(node, self.cst.Name):
            return str(node.value)
        return self.dotted(node.value) + "." + str(node.attr.value)

    def alias(self, a: Any) -> ast.alias:
        asname = None if a.asname is None else a.asname.name.value
        return self.at(ast.alias(name=self.dotted(a.name), asname=asname), self.cpos(a))

    def s_Import(self, n: Any) -> ast.stmt:
        return self.at(ast.Import(names=[self.alias(a) for a in n.names]), self.cpos(n))

    def s_ImportFrom(self, n: Any) -> ast.stmt:
        if isinstance(n.names, self.cst.ImportStar):
            names = [self.at(ast.alias(name="*", asname=None), self.cpos(n.names))]
        else:
            names = [self.alias(a) for a in n.names]
        module = None if n.module is None else self.dotted(n.module)
        level = sum(len(d.value) if hasattr(d, "value") else 1 for d in n.relative)
        return self.at(ast.ImportFrom(module=module, names=names, level=level), self.cpos(n))

    s_LazyImport = s_Import
    s_LazyImportFrom = s_ImportFrom

    def s_TypeAlias(self, n: Any) -> ast.stmt:
        pos = self.cpos(n)
        name = self.at(ast.Name(id=n.name.value, ctx=ast.Store()), self.cpos(n.name))
        value = self.expr(n.value)
        if _HAS_TYPE_ALIAS:
            alias: ast.stmt = _mk(
                _AST.TypeAlias, name=name, type_params=self.type_params(n.type_parameters), value=value
            )
            return self.at(alias, pos)
        return self.at(_mk(ast.Assign, targets=[name], value=value, type_comment=None), pos)

    # ---- compound statements -------------------------------------------------------------------

    def orelse(self, node: Any) -> list[ast.stmt]:
        if node is None:
            return []
        if isinstance(node, self.cst.If):
            return [self.s_If(node)]
        return self.suite(node.body)

    def s_If(self, n: Any) -> ast.stmt:
        node = ast.If(test=self.expr(n.test), body=self.suite(n.body), orelse=self.orelse(n.orelse))
        return self.at(node, self.cpos(n))

    def s_While(self, n: Any) -> ast.stmt:
        node = ast.While(test=self.expr(n.test), body=self.suite(n.body), orelse=self.orelse(n.orelse))
        return self.at(node, self.cpos(n))

    def s_For(self, n: Any) -> ast.stmt:
        cls: type[ast.For] | type[ast.AsyncFor] = ast.AsyncFor if n.asynchronous else ast.For
        node = _mk(
            cls,
            target=self.expr(n.target, ast.Store()),
            iter=self.expr(n.iter),
            body=self.suite(n.body),
            orelse=self.orelse(n.orelse),
            type_comment=None,
        )
        return self.at(node, self.cpos(n))

    def s_With(self, n: Any) -> ast.stmt:
        items = []
        for it in n.items:
            var = None if it.asname is None else self.expr(it.asname.name, ast.Store())
            items.append(ast.withitem(context_expr=self.expr(it.item), optional_vars=var))
        cls: type[ast.With] | type[ast.AsyncWith] = ast.AsyncWith if n.asynchronous else ast.With
        return self.at(_mk(cls, items=items, body=self.suite(n.body), type_comment=None), self.cpos(n))

    def handler(self, h: Any) -> ast.excepthandler:
        name = None if h.name is None else h.name.name.value
        node = ast.ExceptHandler(type=self.opt(h.type), name=name, body=self.suite(h.body))
        return self.at(node, self.cpos(h))

    def s_Try(self, n: Any, cls: Any = ast.Try) -> ast.stmt:
        node = cls(
            body=self.suite(n.body),
            handlers=[self.handler(h) for h in n.handlers],
            orelse=self.orelse(n.orelse),
            finalbody=[] if n.finalbody is None else self.suite(n.finalbody.body),
        )
        result: ast.stmt = self.at(node, self.cpos(n))
        return result

    def s_TryStar(self, n: Any) -> ast.stmt:
        return self.s_Try(n, getattr(ast, "TryStar", ast.Try))

    def decorators(self, n: Any) -> list[ast.expr]:
        return [self.expr(d.decorator) for d in n.decorators]

    def s_FunctionDef(self, n: Any) -> ast.stmt:
        cls: type[ast.FunctionDef] | type[ast.AsyncFunctionDef] = (
            ast.AsyncFunctionDef if n.asynchronous else ast.FunctionDef
        )
        returns = None if n.returns is None else self.expr(n.returns.annotation)
        node = _mk(
            cls,
            name=n.name.value,
            args=self.parameters(n.params, annotations=True),
            body=self.suite(n.body),
            decorator_list=self.decorators(n),
            returns=returns,
            type_comment=None,
            type_params=self.type_params(n.type_parameters),
        )
        return self.at(node, self.cpos(n))

    def s_ClassDef(self, n: Any) -> ast.stmt:
        bases: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for a in list(n.bases) + list(n.keywords):
            self.call_arg(a, bases, keywords)
        node = _mk(
            ast.ClassDef,
            name=n.name.value,
            bases=bases,
            keywords=keywords,
            body=self.suite(n.body),
            decorator_list=self.decorators(n),
            type_params=self.type_params(n.type_parameters),
        )
        return self.at(node, self.cpos(n))

    def type_params(self, tp: Any) -> list[Any]:
        if tp is None or not _HAS_TYPE_PARAMS:
            return []
        out = []
        for p in tp.params:
            inner = p.param
            start = self.cpos(p)
            end = self.paren_end(inner.name)
            default = None
            if p.default is not None:
                default = self.expr(p.default)
                end = self.paren_end(p.default)
                if p.star:  # ``*Ts = *tuple[int, ...]``: the default is starred
                    eq = self.cpos(p.equal)
                    sl, sc = self.rel(self.skip_ws(self.abs(eq[2], eq[3])))
                    default = self.at(ast.Starred(value=default, ctx=ast.Load()), (sl, sc, *end))
            name = inner.name.value
            if isinstance(inner, self.cst.TypeVar):
                bound = None
                if inner.bound is not None:
                    bound = self.expr(inner.bound)
                    if p.default is None:
                        end = self.paren_end(inner.bound)
                node: Any = _mk(_AST.TypeVar, name=name, bound=bound, default_value=default)
            elif isinstance(inner, self.cst.TypeVarTuple):
                node = _mk(_AST.TypeVarTuple, name=name, default_value=default)
            else:
                node = _mk(_AST.ParamSpec, name=name, default_value=default)
            out.append(self.at(node, (start[0], start[1], *end)))
        return out

    # ---- match ---------------------------------------------------------------------------------

    def s_Match(self, n: Any) -> ast.stmt:
        cases = []
        for c in n.cases:
            guard = None if c.guard is None else self.expr(c.guard)
            cases.append(
                ast.match_case(pattern=self.pattern(c.pattern), guard=guard, body=self.suite(c.body))
            )
        return self.at(ast.Match(subject=self.expr(n.subject), cases=cases), self.cpos(n))

    def pattern(self, p: Any) -> ast.pattern:
        cst = self.cst
        pos = self.cpos(p)
        if isinstance(p, cst.MatchValue):
            return self.at(ast.MatchValue(value=self.expr(p.value)), pos)
        if isinstance(p, cst.MatchSingleton):
            return self.at(ast.MatchSingleton(value=_SINGLETONS[p.value.value]), pos)
        if isinstance(p, (cst.MatchList, cst.MatchTuple)):
            pats = [
                self.pattern(e.value if isinstance(e, cst.MatchSequenceElement) else e) for e in p.patterns
            ]
            if isinstance(p, cst.MatchTuple):
                pos = self.paren_pos(p)
            return self.at(ast.MatchSequence(patterns=pats), pos)
        if isinstance(p, cst.MatchStar):
            name = None if p.name is None else p.name.value
            return self.at(ast.MatchStar(name=name), pos)
        if isinstance(p, cst.MatchMapping):
            keys = [self.expr(e.key) for e in p.elements]
            pats = [self.pattern(e.pattern) for e in p.elements]
            rest = None if p.rest is None else p.rest.value
            return self.at(ast.MatchMapping(keys=keys, patterns=pats, rest=rest), pos)
        if isinstance(p, cst.MatchClass):
            return self.at(
                ast.MatchClass(
                    cls=self.expr(p.cls),
                    patterns=[self.pattern(e.value) for e in p.patterns],
                    kwd_attrs=[k.key.value for k in p.kwds],
                    kwd_patterns=[self.pattern(k.pattern) for k in p.kwds],
                ),
                pos,
            )
        if isinstance(p, cst.MatchAs):
            sub = None if p.pattern is None else self.pattern(p.pattern)
            name = None if p.name is None else p.name.value
            return self.at(ast.MatchAs(pattern=sub, name=name), pos)
        if isinstance(p, cst.MatchOr):
            return self.at(ast.MatchOr(patterns=[self.pattern(e.pattern) for e in p.patterns]), pos)
        raise SyntaxError(f"unsupported pattern {type(p).__name__}")

    # ---- parameters and arguments --------------------------------------------------------------

    def arg(self, p: Any, annotations: bool) -> ast.arg:
        ann = None
        end = self.cpos(p.name)
        if annotations and p.annotation is not None:
            ann = self.expr(p.annotation.annotation)
            end = self.cpos(p.annotation.annotation)
        node = _mk(ast.arg, arg=p.name.value, annotation=ann, type_comment=None)
        return self.at(node, self.span(self.cpos(p.name), end))

    def parameters(self, ps: Any, annotations: bool) -> ast.arguments:
        cst = self.cst
        posonly = [self.arg(p, annotations) for p in ps.posonly_params]
        args = [self.arg(p, annotations) for p in ps.params]
        defaults = [
            self.expr(p.default) for p in list(ps.posonly_params) + list(ps.params) if p.default is not None
        ]
        vararg = None
        if isinstance(ps.star_arg, cst.Param):
            vararg = self.arg(ps.star_arg, annotations)
        kwonly = [self.arg(p, annotations) for p in ps.kwonly_params]
        kw_defaults = [None if p.default is None else self.expr(p.default) for p in ps.kwonly_params]
        kwarg = None if ps.star_kwarg is None else self.arg(ps.star_kwarg, annotations)
        return ast.arguments(
            posonlyargs=posonly,
            args=args,
            vararg=vararg,
            kwonlyargs=kwonly,
            kw_defaults=kw_defaults,
            kwarg=kwarg,
            defaults=defaults,
        )

    def call_arg(self, a: Any, args: list[ast.expr], keywords: list[ast.keyword]) -> None:
        if a.keyword is not None:
            keywords.append(self.at(ast.keyword(arg=a.keyword.value, value=self.expr(a.value)), self.cpos(a)))
        elif a.star == "**":
            keywords.append(self.at(ast.keyword(arg=None, value=self.expr(a.value)), self.cpos(a)))
        elif a.star == "*":
            args.append(self.at(ast.Starred(value=self.expr(a.value), ctx=ast.Load()), self.cpos(a)))
        else:
            args.append(self.expr(a.value))

    # ---- expressions ---------------------------------------------------------------------------

    def e_Name(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        pos = self.cpos(n)
        if n.value in _NAME_CONSTANTS:
            return self.at(ast.Constant(value=_NAME_CONSTANTS[n.value], kind=None), pos)
        return self.at(ast.Name(id=n.value, ctx=ctx), pos)

    def e_Ellipsis(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        return self.at(ast.Constant(value=..., kind=None), self.cpos(n))

    def _num(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        try:
            value = _number(n.value)
        except ValueError as exc:
            raise SyntaxError(f"invalid number literal: {exc}") from None
        return self.at(ast.Constant(value=value, kind=None), self.cpos(n))

    e_Integer = e_Float = e_Imaginary = _num

    def e_SimpleString(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        kind = "u" if n.prefix.lower() == "u" else None
        return self.at(ast.Constant(value=_literal(n.value), kind=kind), self.cpos(n))

    def e_Attribute(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.Attribute(value=self.expr(n.value), attr=n.attr.value, ctx=ctx)
        return self.at(node, self.cpos(n))

    def e_Subscript(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        elems = n.slice
        if len(elems) == 1 and isinstance(elems[0].comma, self.cst.MaybeSentinel):
            sl = self.slice_elem(elems[0].slice)
            if isinstance(sl, ast.Starred):
                # ``x[*a]`` (3.11+): the slice is a one-element tuple spanning the starred item
                sl = self.at(ast.Tuple(elts=[sl], ctx=ast.Load()), self.cpos(elems[0].slice))
        else:
            parts = [self.slice_elem(e.slice) for e in elems]
            first = self.cpos(elems[0].slice)
            last = (
                self.cpos(elems[-1].comma)
                if not isinstance(elems[-1].comma, self.cst.MaybeSentinel)
                else None
            )
            end = last if last is not None else self.cpos(elems[-1].slice)
            sl = self.at(ast.Tuple(elts=parts, ctx=ast.Load()), self.span(first, end))
        return self.at(ast.Subscript(value=self.expr(n.value), slice=sl, ctx=ctx), self.cpos(n))

    def slice_elem(self, s: Any) -> ast.expr:
        if isinstance(s, self.cst.Slice):
            node = ast.Slice(lower=self.opt(s.lower), upper=self.opt(s.upper), step=self.opt(s.step))
            return self.at(node, self.cpos(s))
        if s.star is not None:
            return self.at(ast.Starred(value=self.expr(s.value), ctx=ast.Load()), self.cpos(s))
        return self.expr(s.value)

    def e_Call(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        args: list[ast.expr] = []
        keywords: list[ast.keyword] = []
        for a in n.args:
            self.call_arg(a, args, keywords)
        if (
            len(n.args) == 1
            and isinstance(n.args[0].value, self.cst.GeneratorExp)
            and not n.args[0].value.lpar
            and isinstance(args[0], ast.GeneratorExp)
        ):
            # the generator expression owns the call's parentheses
            lp = self.skip_ws(self.abs(*self.paren_end(n.func)))
            line, col = self.rel(lp)
            cpos = self.cpos(n)
            self.at(args[0], (line, col, cpos[2], cpos[3]))
        return self.at(ast.Call(func=self.expr(n.func), args=args, keywords=keywords), self.cpos(n))

    def paren_end(self, node: Any) -> tuple[int, int]:
        p = self.cpos(node.rpar[-1]) if getattr(node, "rpar", None) else self.cpos(node)
        return p[2], p[3]

    def e_BinaryOperation(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        op = _BIN_OPS[type(n.operator).__name__]()
        node = ast.BinOp(left=self.expr(n.left), op=op, right=self.expr(n.right))
        return self.at(node, self.cpos(n))

    def e_BooleanOperation(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        opname = type(n.operator).__name__
        values: list[ast.expr] = []

        def collect(x: Any) -> None:
            if (
                isinstance(x, self.cst.BooleanOperation)
                and not x.lpar
                and type(x.operator).__name__ == opname
            ):
                collect(x.left)
                collect(x.right)
            else:
                values.append(self.expr(x))

        collect(n.left)
        collect(n.right)
        op: ast.boolop = ast.And() if opname == "And" else ast.Or()
        return self.at(ast.BoolOp(op=op, values=values), self.cpos(n))

    def e_UnaryOperation(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        op = _UNARY_OPS[type(n.operator).__name__]()
        return self.at(ast.UnaryOp(op=op, operand=self.expr(n.expression)), self.cpos(n))

    def e_Comparison(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        ops = [_CMP_OPS[type(c.operator).__name__]() for c in n.comparisons]
        comps = [self.expr(c.comparator) for c in n.comparisons]
        return self.at(ast.Compare(left=self.expr(n.left), ops=ops, comparators=comps), self.cpos(n))

    def e_IfExp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.IfExp(test=self.expr(n.test), body=self.expr(n.body), orelse=self.expr(n.orelse))
        return self.at(node, self.cpos(n))

    def e_Lambda(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.Lambda(args=self.parameters(n.params, annotations=False), body=self.expr(n.body))
        return self.at(node, self.cpos(n))

    def e_NamedExpr(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = _mk(ast.NamedExpr, target=self.expr(n.target, ast.Store()), value=self.expr(n.value))
        return self.at(node, self.cpos(n))

    def e_Await(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        return self.at(ast.Await(value=self.expr(n.expression)), self.cpos(n))

    def e_Yield(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        if isinstance(n.value, self.cst.From):
            return self.at(ast.YieldFrom(value=self.expr(n.value.item)), self.cpos(n))
        return self.at(ast.Yield(value=self.opt(n.value)), self.cpos(n))

    def elements(self, elems: Sequence[Any], ctx: ast.expr_context) -> list[ast.expr]:
        out: list[ast.expr] = []
        for e in elems:
            if isinstance(e, self.cst.StarredElement):
                out.append(self.at(ast.Starred(value=self.expr(e.value, ctx), ctx=ctx), self.cpos(e)))
            else:
                out.append(self.expr(e.value, ctx))
        return out

    def e_StarredElement(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        # ``*args: *Ts`` (PEP 646) annotations
        return self.at(ast.Starred(value=self.expr(n.value, ctx), ctx=ctx), self.cpos(n))

    def e_Tuple(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        pos = self.paren_pos(n)
        if not n.lpar and n.elements and not isinstance(n.elements[-1].comma, self.cst.MaybeSentinel):
            c = self.cpos(n.elements[-1].comma)
            pos = (pos[0], pos[1], c[2], c[3])
        return self.at(ast.Tuple(elts=self.elements(n.elements, ctx), ctx=ctx), pos)

    def e_List(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        return self.at(ast.List(elts=self.elements(n.elements, ctx), ctx=ctx), self.cpos(n))

    def e_Set(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        return self.at(ast.Set(elts=self.elements(n.elements, ast.Load())), self.cpos(n))

    def e_Dict(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        keys: list[ast.expr | None] = []
        values: list[ast.expr] = []
        for e in n.elements:
            if isinstance(e, self.cst.StarredDictElement):
                keys.append(None)
            else:
                keys.append(self.expr(e.key))
            values.append(self.expr(e.value))
        return self.at(ast.Dict(keys=keys, values=values), self.cpos(n))

    def comprehensions(self, comp: Any) -> list[ast.comprehension]:
        out = []
        while comp is not None:
            out.append(
                ast.comprehension(
                    target=self.expr(comp.target, ast.Store()),
                    iter=self.expr(comp.iter),
                    ifs=[self.expr(i.test) for i in comp.ifs],
                    is_async=int(comp.asynchronous is not None),
                )
            )
            comp = comp.inner_for_in
        return out

    def e_ListComp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.ListComp(elt=self.expr(n.elt), generators=self.comprehensions(n.for_in))
        return self.at(node, self.cpos(n))

    def e_SetComp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.SetComp(elt=self.expr(n.elt), generators=self.comprehensions(n.for_in))
        return self.at(node, self.cpos(n))

    def e_GeneratorExp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.GeneratorExp(elt=self.expr(n.elt), generators=self.comprehensions(n.for_in))
        return self.at(node, self.paren_pos(n))

    def e_DictComp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        node = ast.DictComp(
            key=self.expr(n.key), value=self.expr(n.value), generators=self.comprehensions(n.for_in)
        )
        return self.at(node, self.cpos(n))

    def e_StarredDictComp(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        # PEP 798 ``{**d for d in ds}``: as in 3.15's ast, a DictComp whose key is the unpacked
        # mapping and whose value is None.
        node = _mk(ast.DictComp, key=self.expr(n.value), value=None, generators=self.comprehensions(n.for_in))
        return self.at(node, self.cpos(n))

    # ---- strings -------------------------------------------------------------------------------

    def e_ConcatenatedString(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        pieces: list[Any] = []

        def flatten(x: Any) -> None:
            if isinstance(x, self.cst.ConcatenatedString):
                flatten(x.left)
                flatten(x.right)
            else:
                pieces.append(x)

        flatten(n)
        return self.strings(pieces, self.cpos(n))

    def e_FormattedString(self, n: Any, ctx: ast.expr_context) -> ast.expr:
        return self.strings([n], self.cpos(n))

    e_TemplatedString = e_FormattedString

    def strings(self, pieces: Sequence[Any], pos: Pos) -> ast.expr:
        cst = self.cst
        kinds = set()
        for p in pieces:
            if isinstance(p, cst.SimpleString):
                kinds.add("b" if "b" in p.prefix.lower() else "s")
            else:
                kinds.add("s")
        if len(kinds) > 1:
            raise _syntax_error("cannot mix bytes and nonbytes literals", "<unknown>", pos[0], pos[1])
        if all(isinstance(p, cst.SimpleString) for p in pieces):
            value = _literal(pieces[0].value)
            for p in pieces[1:]:
                value = value + _literal(p.value)
            kind = "u" if pieces[0].prefix.lower() == "u" else None
            return self.at(ast.Constant(value=value, kind=kind), pos)
        template = False
        for p in pieces:
            ppos = self.cpos(p)
            off = self.abs(ppos[0], ppos[1])
            if isinstance(p, cst.TemplatedString):
                template = True
            elif isinstance(p, cst.FormattedString) and (off + p.prefix.lower().index("f")) in self.templates:
                template = True
                self.templates_seen.add(off + p.prefix.lower().index("f"))
        values: list[ast.expr] = []
        add_text, flush = self._literal_run(values)

        for p in pieces:
            ppos = self.cpos(p)
            if isinstance(p, cst.SimpleString):
                add_text(_literal(p.value), (ppos[0], ppos[1]), (ppos[2], ppos[3]))
                continue
            raw = "r" in p.prefix.lower()
            for part in p.parts:
                self.fstring_part(part, raw, template, values, add_text, flush)
        flush()
        if template and _HAS_TEMPLATES:
            tstr: ast.expr = _AST.TemplateStr(values=values)
            return self.at(tstr, pos)
        return self.at(ast.JoinedStr(values=values), pos)

    def fstring_part(
        self,
        part: Any,
        raw: bool,
        template: bool,
        values: list[ast.expr],
        add_text: Callable[[str, tuple[int, int], tuple[int, int]], None],
        flush: Callable[[], None],
    ) -> None:
        cst = self.cst
        ppos = self.cpos(part)
        if isinstance(part, (cst.FormattedStringText, cst.TemplatedStringText)):
            add_text(_decode_text(part.value, raw), (ppos[0], ppos[1]), (ppos[2], ppos[3]))
            return
        expr = self.expr(part.expression)
        conversion = -1 if part.conversion is None else ord(part.conversion)
        debug_text = None
        if part.equal is not None:
            start = self.abs(ppos[0], ppos[1]) + 1
            eq = self.cpos(part.equal)
            end = self.abs(eq[2], eq[3]) + len(part.equal.whitespace_after.value)
            debug_text = self.source[start:end]
            add_text(debug_text, self.rel(start), self.rel(end))
            if conversion == -1 and part.format_spec is None:
                conversion = ord("r")
        if template and _HAS_TEMPLATES:
            flush()
            # ``str`` is the source text from after "{" to the end of the expression: leading
            # whitespace kept, whitespace before "=", "!", ":" or "}" not (CPython 3.14's behaviour)
            estart = self.abs(ppos[0], ppos[1]) + 1
            eend = self.abs(*self.paren_end(part.expression))
            node: ast.expr = _mk(
                _AST.Interpolation,
                value=expr,
                str=self.source[estart:eend],
                conversion=conversion,
                format_spec=self.format_spec(part, raw, template),
            )
            values.append(self.at(node, ppos))
            return
        flush()
        node = ast.FormattedValue(
            value=expr, conversion=conversion, format_spec=self.format_spec(part, raw, template)
        )
        values.append(self.at(node, ppos))

    def _literal_run(
        self, values: list[ast.expr]
    ) -> tuple[Callable[[str, tuple[int, int], tuple[int, int]], None], Callable[[], None]]:
        """``add_text``/``flush`` closures that merge adjacent literal pieces into one ``Constant``
        appended to ``values`` (CPython joins them), spanning from the first piece to the last."""
        pending: list[Any] = []  # [text, start pos, end pos]

        def add_text(text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
            if pending:
                pending[0] += text
                pending[2] = end
            else:
                pending.extend([text, start, end])

        def flush() -> None:
            if pending:
                if pending[0]:
                    values.append(
                        self.at(ast.Constant(value=pending[0], kind=None), (*pending[1], *pending[2]))
                    )
                pending.clear()

        return add_text, flush

    def format_spec(self, part: Any, raw: bool, template: bool) -> ast.expr | None:
        if part.format_spec is None:
            return None
        values: list[ast.expr] = []
        add_text, flush = self._literal_run(values)

        for sp in part.format_spec:
            self.fstring_part(sp, raw, False, values, add_text, flush)
        flush()
        # the spec spans from the ":" to the closing "}" of the replacement field
        ppos = self.cpos(part)
        if part.format_spec:
            first = self.cpos(part.format_spec[0])
            colon = self.abs(first[0], first[1]) - 1
        else:
            colon = self.abs(ppos[2], ppos[3]) - 2
        colon = self.source.rfind(":", 0, colon + 1)
        sl, sc = self.rel(colon)
        return self.at(ast.JoinedStr(values=values), (sl, sc, ppos[2], ppos[3] - 1))


_NAME_CONSTANTS: dict[str, Any] = {"True": True, "False": False, "None": None}
_SINGLETONS: dict[str, Any] = {"True": True, "False": False, "None": None}

_BIN_OPS: dict[str, Callable[[], ast.operator]] = {
    "Add": ast.Add,
    "Subtract": ast.Sub,
    "Multiply": ast.Mult,
    "Divide": ast.Div,
    "FloorDivide": ast.FloorDiv,
    "Modulo": ast.Mod,
    "Power": ast.Pow,
    "LeftShift": ast.LShift,
    "RightShift": ast.RShift,
    "BitOr": ast.BitOr,
    "BitAnd": ast.BitAnd,
    "BitXor": ast.BitXor,
    "MatrixMultiply": ast.MatMult,
}
_AUG_OPS: dict[str, Callable[[], ast.operator]] = {k + "Assign": v for k, v in _BIN_OPS.items()}
_UNARY_OPS: dict[str, Callable[[], ast.unaryop]] = {
    "Not": ast.Not,
    "Minus": ast.USub,
    "Plus": ast.UAdd,
    "BitInvert": ast.Invert,
}
_CMP_OPS: dict[str, Callable[[], ast.cmpop]] = {
    "Equal": ast.Eq,
    "NotEqual": ast.NotEq,
    "LessThan": ast.Lt,
    "LessThanEqual": ast.LtE,
    "GreaterThan": ast.Gt,
    "GreaterThanEqual": ast.GtE,
    "Is": ast.Is,
    "IsNot": ast.IsNot,
    "In": ast.In,
    "NotIn": ast.NotIn,
}


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------


def _convert(source: str, filename: str, templates: list[int]) -> ast.Module:
    """Parse and convert. Template strings are handed to libcst as f-strings (the ``t`` prefix
    replaced by ``f``, same length so positions are unchanged): libcst 1.9 cannot parse implicitly
    concatenated t-strings (``t"a" t"b"`` raises an internal error). The converter turns the pieces
    at the recorded offsets back into templates; if the token scan that found them disagrees with
    libcst, the original text is parsed instead."""
    import libcst
    from libcst.metadata import MetadataWrapper, PositionProvider

    def run(text: str, marks: set[int]) -> tuple[ast.Module, bool]:
        try:
            module = libcst.parse_module(text)
        except libcst.ParserSyntaxError as exc:
            msg = str(getattr(exc, "message", "") or "invalid syntax").strip().splitlines()[0]
            raise _syntax_error(msg, filename, exc.raw_line, exc.raw_column) from None
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        conv = _Converter(libcst, source, positions, marks)
        tree = conv.module(wrapper.module)
        return tree, conv.templates_seen == marks

    marks = {i for i in templates if source[i] in "tT"}
    if marks:
        chars = list(source)
        for i in marks:
            chars[i] = "f" if source[i] == "t" else "F"
        try:
            tree, consistent = run("".join(chars), marks)
            if consistent:
                return tree
        except SyntaxError:
            pass
    return run(source, set())[0]


def parse_fallback(source: str, filename: str = "<unknown>") -> ast.Module:
    """Parse ``source`` with libcst and convert it to the running interpreter's ``ast``.

    Raises ``SyntaxError`` (never anything else) when the source is invalid for every Python version,
    too deeply nested, or cannot be converted."""
    if not isinstance(source, str):
        raise _syntax_error("source must be text", filename)
    if "\0" in source:
        raise _syntax_error("source code cannot contain null bytes", filename)
    try:
        templates = _check_nesting(source, filename)
    except SyntaxError:
        raise
    except Exception as exc:  # pragma: no cover - defensive
        raise _syntax_error(f"cannot scan source: {exc}", filename) from None

    result: list[Any] = []

    def run() -> None:
        try:
            result.append(_convert(source, filename, templates))
        except SyntaxError as exc:
            exc.filename = filename
            if exc.lineno is None:
                exc.lineno = 1
            result.append(exc)
        except RecursionError:
            result.append(_syntax_error("too deeply nested to parse (recursion limit)", filename))
        except MemoryError:
            result.append(_syntax_error("too large to parse (out of memory)", filename))
        except BaseException as exc:  # libcst internals: turn into a clear SyntaxError
            result.append(_syntax_error(f"cannot parse: {type(exc).__name__}: {exc}", filename))

    thread: threading.Thread | None = None
    with _stack_lock:
        old = threading.stack_size()
        try:
            threading.stack_size(_STACK_SIZE)
            thread = threading.Thread(target=run, name="pyward-fallback-parse", daemon=True)
            thread.start()  # the stack size applies when the OS thread is created
        except (ValueError, RuntimeError):  # no big stacks or no threads here: parse in this thread
            thread = None
        finally:
            threading.stack_size(old)
    if thread is None:
        run()
    else:
        thread.join()
    if not result:  # pragma: no cover - thread died without reporting
        raise _syntax_error("cannot parse: internal error", filename)
    out = result[0]
    if isinstance(out, SyntaxError):
        raise out
    assert isinstance(out, ast.Module)
    return out
