"""Django and Jinja2 template audit: CSRF tokens in POST forms, escaping turned off, ``{% debug %}``.

A small tolerant tokenizer splits a template into text, ``{{ }}`` variables, ``{% %}`` tags and
``{# #}`` comments (Jinja's ``-`` whitespace control included) and finds HTML ``<form>`` start and
end tags in the text. Problems (an unclosed delimiter, ``{% endautoescape %}`` without an opener, an
unclosed ``{% autoescape %}``) are reported as the diagnostic ``PWX020`` and the rest of the file
is still analysed; nothing raises.

CSRF (``PWC701``): a ``<form method="post">`` must contain a token: ``{% csrf_token %}``, a variable
mentioning ``csrf`` (``{{ csrf_input }}``, ``{{ csrf_token() }}``, ``{{ form.csrf_token }}``),
``{{ form.hidden_tag() }}``, or a hidden ``<input name="...csrf...">``. Forms whose ``action`` is an
absolute URL are not checked (another site's form cannot use our token). The project phase follows
``{% include %}`` inside a form (the included template provides the token) and ``{% block %}``
inside a form (a template extending this one fills the block with the token). Anything pyward
cannot follow — a non-constant include, a Jinja macro call or ``{% call %}``, an unknown custom
tag such as ``{% crispy form %}`` that may render the token — makes the form unknown, not reported.

Escaping (``PWC702``/``PWC703``): ``|safe``/``|safeseq`` on a variable (not on a string constant,
a ``_("...")`` translation, or a value already passed through an escaping filter), and variables
printed inside ``{% autoescape off %}``/``{% autoescape false %}``. ``{% filter safe %}`` is not
reported: Django rejects it ("Use the autoescape tag"), and in Jinja the block's content was
already escaped before ``safe`` marks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.frameworks.webcommon import app_group, emit, imports_any, in_group, rules_by_code
from pyward.model import FileKind, Finding, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule
    from pyward.settings import Settings

FORM_CSRF = "PWC701"
MARK_SAFE = "PWC702"
AUTOESCAPE_OFF = "PWC703"
DEBUG_TAG = "PWC704"
PARSE_PROBLEM = "PWX020"

#: Tags that never render a CSRF token (Django and Jinja builtins); anything else inside a form is
#: a custom tag that might.
KNOWN_TAGS = frozenset(
    ["if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "trans", "endtrans", "blocktrans", "endblocktrans", "blocktranslate", "endblocktranslate", "translate", "plural", "pluralize", "url", "static", "load", "comment", "endcomment", "spaceless", "endspaceless", "cycle", "firstof", "now", "verbatim", "endverbatim", "widthratio", "ifchanged", "endifchanged", "regroup", "templatetag", "lorem", "filter", "endfilter", "autoescape", "endautoescape", "set", "endset", "raw", "endraw", "do", "break", "continue", "include", "block", "endblock", "extends", "macro", "endmacro", "import", "from", "localize", "endlocalize", "timezone", "endtimezone", "get_current_language", "get_available_languages", "language", "endlanguage", "querystring", "debug", "resetcycle", "localtime", "endlocaltime", "get_current_timezone", "get_static_prefix", "get_media_prefix"]
)
ESCAPING_FILTERS = frozenset(
    {"escape", "e", "force_escape", "escapejs", "tojson", "json_script", "urlencode", "int", "float",
     "length", "count", "wordcount", "filesizeformat", "date", "time"}
)
RENDERED_VALUES = re.compile(r"^(block\.super|super\(\)|caller\(.*\)|self\.\w+\(\)|varargs|kwargs)$")
_CONSTANT = re.compile(r"""^(?:"[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|true|false|none|True|False|None)$""")
_TRANSLATION = re.compile(r"""^(?:_|gettext|ngettext|pgettext|trans)\s*\(\s*(?:"[^"]*"|'[^']*')""")
_ATTR_RE = re.compile(r"""([a-zA-Z_:@][-a-zA-Z0-9_:.@]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_TEMPLATE_OPEN_RE = re.compile(r"\{\{|\{%")
_OPEN_RE = re.compile(r"\{\{|\{%|\{#|<form\b|</form\s*>|<input\b|<!--", re.I)


@dataclass(frozen=True)
class Token:
    kind: str  # var | tag | form | endform | input
    content: str
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0


@dataclass
class FormInfo:
    span: Span
    action: str | None
    has_token: bool = False
    opaque: bool = False
    includes: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


@dataclass
class TemplateData:
    path: str
    extends: str | None = None
    includes: list[str] = field(default_factory=list)
    #: Token anywhere in the file (for included templates).
    provides_token: bool = False
    #: block name -> the block's content provides a token (or may: opaque).
    block_tokens: dict[str, bool] = field(default_factory=dict)
    forms: list[FormInfo] = field(default_factory=list)


@dataclass(frozen=True)
class PythonFacts:
    """What the CSRF check needs to know about the application code next to the templates."""

    group: str
    flask: bool
    django: bool
    #: Cookie sessions: flask.session, Flask-Login, Flask-Session, or a secret key is set.
    sessions: bool


def tokenize(text: str) -> tuple[list[Token], list[tuple[int, int, str]]]:
    """Tokens and problems ``(line, col, message)``; never raises."""
    tokens: list[Token] = []
    problems: list[tuple[int, int, str]] = []
    # (position, line) of the last answer of ``where``: positions asked for only grow, so each
    # newline is counted once, and only up to the last token.
    last = [0, 1]

    def where(pos: int) -> tuple[int, int]:
        """1-based line and 0-based column of ``pos``."""
        last_pos, last_line = last
        if pos >= last_pos:
            line = last_line + text.count("\n", last_pos, pos)
        else:
            line = 1 + text.count("\n", 0, pos)
        last[0], last[1] = pos, line
        return line, pos - (text.rfind("\n", 0, pos) + 1)

    pos = 0
    length = len(text)
    while pos < length:
        m = _OPEN_RE.search(text, pos)
        if m is None:
            break
        start = m.start()
        opener = m.group(0).lower()
        line, col = where(start)
        if opener in ("{{", "{%", "{#"):
            closer = {"{{": "}}", "{%": "%}", "{#": "#}"}[opener]
            end = text.find(closer, start + 2)
            if opener != "{#" and end >= 0:
                # another '{{'/'{%' before the closer: this one was never closed
                inner_open = _TEMPLATE_OPEN_RE.search(text, start + 2, end)
                if inner_open is not None:
                    end = -1
            if end < 0:
                problems.append((line, col, f"'{opener}' is never closed with '{closer}'"))
                pos = start + 2
                continue
            content = text[start + 2 : end].strip("-+").strip()
            eline, ecol = where(end + 2)
            if opener == "{{":
                tokens.append(Token("var", content, line, col, eline, ecol))
            elif opener == "{%":
                tokens.append(Token("tag", content, line, col, eline, ecol))
            pos = end + 2
        elif opener == "<!--":
            end = text.find("-->", start + 4)
            # Template tags inside HTML comments still run; only skip HTML forms in them.
            comment_end = length if end < 0 else end + 3
            inner = text[start + 4 : comment_end]
            if "{{" in inner or "{%" in inner:
                # the template tokens inside, from the comment's text; its HTML forms stay inert
                nested, nested_problems = tokenize(inner)
                for t in nested:
                    if t.kind in ("var", "tag"):
                        nl = line + t.line - 1
                        tokens.append(Token(t.kind, t.content, nl, t.col, nl, t.end_col))
                problems.extend((line + pl - 1, pc, msg) for pl, pc, msg in nested_problems)
            pos = comment_end
        elif opener == "</form":
            end = text.find(">", start)
            tokens.append(Token("endform", "", line, col))
            pos = length if end < 0 else end + 1
        else:  # <form or <input: attributes up to '>' outside quotes and template delimiters
            end = _tag_end(text, start)
            content = text[start + len(opener) : end]
            kind = "form" if opener == "<form" else "input"
            eline, ecol = where(end)
            tokens.append(Token(kind, content, line, col, eline, ecol))
            pos = end + 1
    return tokens, problems


def _token_span(path: str, tok: Token) -> Span:
    return Span(path, tok.line, tok.col, tok.end_line or tok.line, tok.end_col or tok.col)


def _tag_end(text: str, start: int) -> int:
    i = start
    quote = ""
    length = len(text)
    while i < length:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif text.startswith(("{{", "{%"), i):
            close = text.find("}}" if text[i + 1] == "{" else "%}", i + 2)
            i = length if close < 0 else close + 2
            continue
        elif ch in ("'", '"'):
            quote = ch
        elif ch == ">":
            return i
        i += 1
    return length


def attributes(content: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    cleaned = re.sub(r"\{%.*?%\}", " ", content, flags=re.S)
    for m in _ATTR_RE.finditer(cleaned):
        value = m.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs.setdefault(m.group(1).lower(), value)
    return attrs


def split_filters(expr: str) -> list[str]:
    """``a|b:"x|y"|c(1)`` -> ``["a", "b:\\"x|y\\"", "c(1)"]`` (quotes and brackets respected)."""
    parts: list[str] = []
    depth = 0
    quote = ""
    buf: list[str] = []
    i = 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "|" and depth == 0 and not expr.startswith("||", i):
            parts.append("".join(buf).strip())
            buf = []
            i += 1
            continue
        buf.append(ch)
        i += 1
    parts.append("".join(buf).strip())
    return parts


_FILTER_NAME_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)")
_TAG_NAME_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(.*)", re.S)
_CONST_NAME_RE = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)')""")


def _filter_name(part: str) -> str:
    m = _FILTER_NAME_RE.match(part)
    return m.group(1) if m else ""


def _tag_name(content: str) -> tuple[str, str]:
    m = _TAG_NAME_RE.match(content)
    return (m.group(1), m.group(2).strip()) if m else ("", "")


def _const_name(arg: str) -> str | None:
    m = _CONST_NAME_RE.match(arg)
    if not m:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)


def _var_provides_token(content: str) -> bool:
    low = content.lower()
    return "csrf" in low or "hidden_tag" in low


def _is_constant_value(base: str) -> bool:
    return bool(_CONSTANT.match(base.strip()) or _TRANSLATION.match(base.strip()))


def _is_external(action: str | None) -> bool:
    if not action or "{{" in action or "{%" in action:
        return False
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", action.strip(), re.I))


class TemplateAnalysis(Analysis):
    name: ClassVar[str] = "templates"
    text_kinds: ClassVar[frozenset[FileKind]] = frozenset({FileKind.TEMPLATE})

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.enabled = rules_by_code(rules)

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        """Only whether the app uses Flask or Django and cookie sessions (for ``PWC701``)."""
        if FORM_CSRF not in self.enabled:
            return PerFileOutput()
        flask = imports_any(ctx, ("flask", "flask_wtf", "flask_login"))
        django = imports_any(ctx, ("django",))
        if not flask and not django:
            return PerFileOutput()
        sessions = imports_any(ctx, ("flask.session", "flask_login", "flask_session", "flask_wtf")) or (
            "secret_key" in ctx.source or "SECRET_KEY" in ctx.source
        )
        return PerFileOutput(data=PythonFacts(app_group(ctx.path, ctx.module), flask, django, sessions))

    def analyze_text(self, path: str, abspath: str, kind: FileKind, text: str) -> PerFileOutput:
        out: list[Finding] = []
        data = TemplateData(path)
        tokens, problems = tokenize(text)
        escape_stack: list[tuple[bool, int]] = []  # (autoescape on?, line)
        block_stack: list[tuple[str, bool]] = []  # (name, has token so far)
        open_form: FormInfo | None = None

        def mark_token() -> None:
            data.provides_token = True
            if open_form is not None:
                open_form.has_token = True
            for i, (bname, _) in enumerate(block_stack):
                block_stack[i] = (bname, True)

        for tok in tokens:
            if tok.kind == "form":
                attrs = attributes(tok.content)
                method = attrs.get("method", "get").strip().lower()
                if "{{" in method or "{%" in method or method != "post":
                    open_form = None
                    continue
                action = attrs.get("action")
                if _is_external(action):
                    open_form = None
                    continue
                open_form = FormInfo(Span(path, tok.line, tok.col), action)
                data.forms.append(open_form)
            elif tok.kind == "endform":
                open_form = None
            elif tok.kind == "input":
                attrs = attributes(tok.content)
                if "csrf" in attrs.get("name", "").lower():
                    mark_token()
            elif tok.kind == "var":
                if _var_provides_token(tok.content):
                    mark_token()
                    continue
                parts = split_filters(tok.content)
                base = parts[0]
                if "(" in base and not _is_constant_value(base) and open_form is not None:
                    # a macro or helper call inside a form may render the token
                    open_form.opaque = True
                self._variable(tok, path, parts, escape_stack, out)
            elif tok.kind == "tag":
                name, args = _tag_name(tok.content)
                if name == "csrf_token":
                    mark_token()
                elif name == "debug":
                    emit(
                        self.enabled, out, DEBUG_TAG, _token_span(path, tok),
                        "{% debug %} prints the whole template context and the imported modules",
                    )
                elif name == "autoescape":
                    state = args.split()[0].lower() if args.split() else ""
                    escape_stack.append((state not in ("off", "false"), tok.line))
                elif name == "endautoescape":
                    if escape_stack:
                        escape_stack.pop()
                    else:
                        problems.append((tok.line, tok.col, "{% endautoescape %} without {% autoescape %}"))
                elif name == "include":
                    target = _const_name(args)
                    if target is None:
                        if open_form is not None:
                            open_form.opaque = True
                    else:
                        data.includes.append(target)
                        if open_form is not None:
                            open_form.includes.append(target)
                elif name == "extends":
                    target = _const_name(args)
                    if target is not None:
                        data.extends = target
                elif name == "block":
                    bname = args.split()[0] if args.split() else ""
                    block_stack.append((bname, False))
                    if open_form is not None:
                        open_form.blocks.append(bname)
                elif name == "endblock":
                    if block_stack:
                        bname, has = block_stack.pop()
                        data.block_tokens[bname] = data.block_tokens.get(bname, False) or has
                elif (name == "call" and open_form is not None) or (name and name not in KNOWN_TAGS and not name.startswith("end") and open_form is not None):
                    open_form.opaque = True
        for bname, has in block_stack:
            data.block_tokens[bname] = data.block_tokens.get(bname, False) or has
        for _state, line in escape_stack:
            problems.append((line, 0, "{% autoescape %} is never closed with {% endautoescape %}"))
        for line, col, message in problems:
            emit(self.enabled, out, PARSE_PROBLEM, Span(path, line, col), f"template not fully understood: {message}")
        return PerFileOutput(tuple(out), data)

    def _variable(
        self,
        tok: Token,
        path: str,
        parts: list[str],
        escape_stack: list[tuple[bool, int]],
        out: list[Finding],
    ) -> None:
        base = parts[0].strip()
        filters = [_filter_name(p) for p in parts[1:]]
        if not base or _is_constant_value(base) or RENDERED_VALUES.match(base):
            return
        marked = [f for f in filters if f in ("safe", "safeseq")]
        if marked:
            before = filters[: filters.index(marked[0])]
            if any(f in ESCAPING_FILTERS for f in before):
                return
            emit(
                self.enabled, out, MARK_SAFE, _token_span(path, tok),
                f"'{{{{ {tok.content} }}}}' marks {base!r} as safe HTML: it is printed without escaping",
            )
            return
        if escape_stack and not escape_stack[-1][0]:
            if any(f in ESCAPING_FILTERS for f in filters):
                return
            emit(
                self.enabled, out, AUTOESCAPE_OFF, _token_span(path, tok),
                f"{base!r} is printed without escaping (autoescape turned off at line {escape_stack[-1][1]})",
            )

    # ----------------------------------------------------------------------------------------
    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        if FORM_CSRF not in self.enabled:
            return []
        templates = [d for f in project.files if isinstance(d := f.data.get(self.name), TemplateData)]
        python = [d for f in project.files if isinstance(d := f.data.get(self.name), PythonFacts)]
        groups: dict[str, list[PythonFacts]] = {}
        for facts in python:
            groups.setdefault(facts.group, []).append(facts)
        resolver = _Resolver(templates)
        out: list[Finding] = []
        for t in templates:
            owners = [g for g in groups if in_group(t.path, g)]
            if owners:
                members = groups[max(owners, key=len)]
                if (
                    any(m.flask for m in members)
                    and not any(m.django for m in members)
                    and not any(m.sessions for m in members)
                ):
                    continue  # a Flask app without cookie sessions: nothing for CSRF to protect
            for form in t.forms:
                if form.has_token or form.opaque:
                    continue
                state = resolver.form_state(t, form)
                if state is None:
                    continue  # could not follow an include/block: unknown
                if state:
                    continue
                emit(
                    self.enabled, out, FORM_CSRF, form.span,
                    "POST form without a CSRF token ({% csrf_token %}, {{ csrf_input }}, "
                    "{{ form.hidden_tag() }} or {{ csrf_token() }})",
                )
        return out


class _Resolver:
    def __init__(self, templates: list[TemplateData]) -> None:
        self.templates = templates

    def lookup(self, name: str) -> list[TemplateData]:
        name = name.lstrip("./")
        return [t for t in self.templates if t.path == name or t.path.endswith("/" + name)]

    def provides(self, t: TemplateData, seen: set[str]) -> bool | None:
        """Whether template ``t`` (with what it includes) renders a token; None when unknown."""
        if t.path in seen:
            return False
        seen.add(t.path)
        if t.provides_token:
            return True
        unknown = False
        for inc in t.includes:
            found = self.lookup(inc)
            if not found:
                unknown = True
                continue
            for other in found:
                got = self.provides(other, seen)
                if got:
                    return True
                if got is None:
                    unknown = True
        return None if unknown else False

    def children(self, t: TemplateData) -> Iterator[TemplateData]:
        seen: set[str] = {t.path}
        frontier = [t]
        while frontier:
            parent = frontier.pop()
            for other in self.templates:
                if other.path in seen or other.extends is None:
                    continue
                if any(p.path == parent.path for p in self.lookup(other.extends)):
                    seen.add(other.path)
                    frontier.append(other)
                    yield other

    def form_state(self, t: TemplateData, form: FormInfo) -> bool | None:
        unknown = False
        for inc in form.includes:
            found = self.lookup(inc)
            if not found:
                unknown = True
            for other in found:
                got = self.provides(other, set())
                if got:
                    return True
                if got is None:
                    unknown = True
        if form.blocks:
            for child in self.children(t):
                for b in form.blocks:
                    if child.block_tokens.get(b):
                        return True
        return None if unknown else False
