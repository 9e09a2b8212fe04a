"""Flask application audit: secret key, debug mode, session cookies, CSRF, security headers, CORS.

Per file (:meth:`FlaskAnalysis.analyze_python`) the analysis records *facts*: every Flask
configuration assignment (``app.config["KEY"] = v``, ``config.update``/``from_mapping``,
``app.secret_key``/``app.debug``, upper-case attributes of classes and modules), the classes with
their bases, the ``from_object``/``from_pyfile`` loads, routes with their methods and decorators,
CSRF/Talisman set-up. Local patterns that need no other file (``app.run(debug=True)``,
``WERKZEUG_DEBUG_PIN=off``, Flask-CORS and Talisman options) are reported there directly.

The project phase (:meth:`FlaskAnalysis.analyze_project`) decides which classes and modules are
configuration (loaded by ``from_object`` — directly, through a ``{"name": Class}`` map, or by
dotted string — or a class named ``*Config``/``*Settings`` that sets Flask keys), which role each
has from its name (``Development``/``Local`` and ``Testing`` configurations are not reported for
production-only settings; ``Production``/``Live``/``Staging`` get the missing-setting checks), and
reports the configuration values, CSRF coverage of state-changing routes and missing security
headers.

``.flaskenv``/``.env`` files (``FileKind.CONFIG``) are read for ``FLASK_DEBUG``/``FLASK_ENV`` and
``WERKZEUG_DEBUG_PIN``.

Behaviour modelled (Flask 2.3/3.x, Werkzeug 3.x, Flask-WTF 1.x, Flask-CORS 4-6, Flask-Talisman 1.x):

- ``flask run`` never calls ``app.run()``; ``app.run(debug=True)`` matters only when the module is
  executed, so under ``if __name__ == "__main__":`` it is reported at low severity.
- Flask's ``get_debug_flag``: ``FLASK_DEBUG`` set to anything but ``""``, ``0``, ``false``, ``no``.
- Werkzeug disables the debugger PIN when ``WERKZEUG_DEBUG_PIN`` is exactly ``off``.
- Flask-CORS's default ``origins`` is ``"*"``; with ``supports_credentials=True`` and the default
  ``send_wildcard=False`` it answers with the request's ``Origin`` and
  ``Access-Control-Allow-Credentials: true``. Origins containing regex characters (``*``, ``\\``,
  ``]``, and in 6.x also ``? $ ^ [ ( )``) are regular expressions matched with ``re.match``
  (start-anchored only, case-insensitive). Checked against flask-cors 6.0.2.
- Flask-Talisman sets ``SESSION_COOKIE_SECURE`` (``session_cookie_secure=True`` by default).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.frameworks.webcommon import (
    Val,
    app_group,
    breadth_first,
    const_str_list,
    emit,
    evaluate,
    flask_cors_is_regex,
    imports_any,
    is_test_path,
    permissive_origin_probe,
    rules_by_code,
    under_main_guard,
    weak_secret_reason,
)
from pyward.model import Confidence, FileKind, Finding, Severity, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule
    from pyward.settings import Settings

# Codes (one rule module each under pyward/rules/config/).
WEAK_SECRET = "PWC601"
HARDCODED_SECRET = "PWC602"
DEBUG_ENABLED = "PWC603"
DEBUG_ENV = "PWC604"
DEBUG_PIN_OFF = "PWC605"
NOT_AUTOESCAPED = "PWC606"
SESSION_SECURE = "PWC610"
SESSION_HTTPONLY = "PWC611"
SESSION_SAMESITE = "PWC612"
CSRF_MISSING = "PWC630"
CSRF_DISABLED = "PWC631"
CSRF_EXEMPT = "PWC632"
NO_HEADERS = "PWC640"
TALISMAN_WEAK = "PWC641"
CORS_CREDENTIALS = "PWC645"
CORS_REGEX = "PWC646"

RENDER_TEMPLATE = frozenset(
    {
        "flask.render_template",
        "flask.templating.render_template",
        "flask.stream_template",
        "flask.templating.stream_template",
    }
)
#: Flask.select_jinja_autoescape: only these file names are rendered with autoescaping.
AUTOESCAPED_SUFFIXES = (".html", ".htm", ".xml", ".xhtml", ".svg")
#: Template names that hold HTML but that Flask does not autoescape (``.txt``/``.md`` are text).
HTML_TEMPLATE_SUFFIXES = (".jinja", ".jinja2", ".j2", ".jhtml", ".djhtml", ".tmpl", ".tpl", ".html5")
FLASK_CLASSES = frozenset({"flask.Flask", "flask.app.Flask"})
CSRF_PROTECTORS = frozenset(
    {
        "flask_wtf.CSRFProtect",
        "flask_wtf.csrf.CSRFProtect",
        "flask_wtf.CsrfProtect",
        "flask_wtf.csrf.CsrfProtect",
        "flask_seasurf.SeaSurf",
    }
)
FLASK_FORM_BASES = frozenset({"flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm"})
TALISMAN = frozenset({"flask_talisman.Talisman", "flask_talisman.talisman.Talisman"})
CORS_EXT = frozenset({"flask_cors.CORS", "flask_cors.extension.CORS"})
CORS_DECORATOR = frozenset({"flask_cors.cross_origin", "flask_cors.decorator.cross_origin"})
RUN_SIMPLE = frozenset({"werkzeug.serving.run_simple", "werkzeug.run_simple"})
METHOD_VIEWS = frozenset({"flask.views.MethodView", "flask.MethodView"})
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = frozenset({"strict-transport-security", "content-security-policy", "x-frame-options"})
#: Keys that make a class or module look like Flask configuration.
FLASK_KEYS = frozenset(
    {
        "SECRET_KEY",
        "DEBUG",
        "TESTING",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "WTF_CSRF_ENABLED",
        "PERMANENT_SESSION_LIFETIME",
        "SQLALCHEMY_DATABASE_URI",
        "SERVER_NAME",
        "PREFERRED_URL_SCHEME",
    }
)
SECRET_KEYS = frozenset({"SECRET_KEY", "WTF_CSRF_SECRET_KEY"})
REPORTED_KEYS = frozenset(
    {
        "SECRET_KEY",
        "WTF_CSRF_SECRET_KEY",
        "REMEMBER_COOKIE_SECURE",
        "REMEMBER_COOKIE_HTTPONLY",
        "REMEMBER_COOKIE_SAMESITE",
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "WTF_CSRF_ENABLED",
    }
)

_TEST_NAME = re.compile(r"test", re.I)
_DEV_NAME = re.compile(r"dev|local|debug", re.I)
_PROD_NAME = re.compile(r"prod|live|deploy|stag|release", re.I)
_CONFIG_NAME = re.compile(r"config|settings", re.I)


def _cookie_of(key: str) -> str:
    return "Flask-Login remember-me cookie" if key.startswith("REMEMBER_") else "session cookie"


def role_of(name: str) -> str:
    """``test``, ``development``, ``production`` or ``base`` from a class or module name."""
    if _TEST_NAME.search(name):
        return "test"
    if _DEV_NAME.search(name):
        return "development"
    if _PROD_NAME.search(name):
        return "production"
    return "base"


# --------------------------------------------------------------------------------------------
# facts


@dataclass(frozen=True)
class ConfigAssign:
    key: str
    val: Val
    span: Span
    #: ``app`` (app.config / app attribute), ``class`` or ``module``.
    owner_kind: str
    #: Class qualname or module name ("" for app).
    owner: str
    #: For ``app``: a later ``from_pyfile``/``from_envvar``/``from_prefixed_env`` may override it.
    may_be_overridden: bool = False
    #: For ``app``: inside ``if test_config``/``if app.testing``-like code.
    in_test_branch: bool = False


@dataclass(frozen=True)
class ClassFact:
    qualname: str
    name: str
    bases: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class RouteFact:
    span: Span
    function: str
    methods: tuple[str, ...]
    #: The view calls ``validate_on_submit``/``validate`` or names a class (qualnames in ``names``).
    validates_form: bool
    names: tuple[str, ...]
    #: Qualified names / variable names of ``@X.exempt`` decorators.
    exempt_by: tuple[str, ...]
    exempt_span: Span | None


@dataclass
class FlaskFileData:
    path: str
    module: str
    is_test: bool
    uses_flask: bool
    assigns: list[ConfigAssign] = field(default_factory=list)
    classes: list[ClassFact] = field(default_factory=list)
    #: (kind, target): kind ``name`` (qualname of class/module), ``string`` (dotted), ``map``
    #: (qualname of a dict of classes), ``pyfile`` (file name).
    loads: list[tuple[str, str]] = field(default_factory=list)
    maps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    routes: list[RouteFact] = field(default_factory=list)
    #: "module.var" of CSRFProtect()/SeaSurf() instances, and their variable names.
    csrf_instances: list[str] = field(default_factory=list)
    #: CSRFProtect(app) or instance.init_app(...) seen here.
    csrf_bound: bool = False
    csrf_unbound_names: list[str] = field(default_factory=list)
    init_app_names: list[str] = field(default_factory=list)
    sessions: bool = False
    talisman: bool = False
    header_constants: bool = False
    apps: list[Span] = field(default_factory=list)
    #: ``render_template("page.jinja2")``: (span, template name).
    unescaped_renders: list[tuple[Span, str]] = field(default_factory=list)
    #: The app changes Flask's autoescape selection (``jinja_env.autoescape``, ``select_autoescape``,
    #: an overridden ``select_jinja_autoescape``, ``jinja_options``).
    autoescape_override: bool = False
    #: ``X.run(debug=True)`` in a file that does not import Flask (``app = create_app()``): reported
    #: when the project uses Flask.
    pending: list[Finding] = field(default_factory=list)


def _config_receiver(node: ast.expr) -> bool:
    """``X.config`` (Flask's config object)."""
    return isinstance(node, ast.Attribute) and node.attr == "config"


def _str_key(ctx: FileContext, node: ast.expr) -> str | None:
    value = ctx.const_value(node, None)
    return value if isinstance(value, str) else None


def _methods_of(ctx: FileContext, deco: ast.Call, attr: str) -> tuple[str, ...] | None:
    if attr in ("post", "put", "patch", "delete", "get"):
        return (attr.upper(),)
    node = ctx.keyword(deco, "methods")
    if node is None:
        return ("GET",)
    value = ctx.const_value(node, None)
    items = const_str_list(value) if not isinstance(value, str) else None
    if items is None:
        return None
    return tuple(m.upper() for m in items)


class FlaskAnalysis(Analysis):
    name: ClassVar[str] = "flask"
    text_kinds: ClassVar[frozenset[FileKind]] = frozenset({FileKind.CONFIG})

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.enabled = rules_by_code(rules)

    # ----------------------------------------------------------------------------------------
    # per file: Python

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        uses_flask = imports_any(
            ctx, ("flask", "flask_wtf", "flask_cors", "flask_talisman", "flask_login", "werkzeug")
        )
        data = FlaskFileData(ctx.path, ctx.module, is_test_path(ctx.path), uses_flask)
        out: list[Finding] = []
        if not uses_flask:
            if not imports_any(ctx, ("fastapi", "starlette", "uvicorn", "hypercorn", "django", "aiohttp")):
                collector = _Collector(ctx, data, self.enabled, data.pending)
                # The ``.run`` attributes from the file's index (not a walk of the whole tree): the
                # order of the calls only decides the order of ``pending``, which the report sorts.
                for attribute in ctx.attributes_named(("run",)):
                    node = ctx.parent(attribute)
                    if isinstance(node, ast.Call) and node.func is attribute:
                        collector.run_call(node)
            if not self._maybe_config_module(ctx):
                return PerFileOutput(data=data)
        _Collector(ctx, data, self.enabled, out).run()
        return PerFileOutput(tuple(out), data)

    @staticmethod
    def _maybe_config_module(ctx: FileContext) -> bool:
        """A module without Flask imports can still hold config classes or values."""
        for stmt in ctx.tree.body:
            targets: list[ast.expr]
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets
            elif isinstance(stmt, ast.AnnAssign):
                targets = [stmt.target]
            elif isinstance(stmt, ast.ClassDef):
                targets = [t for sub in stmt.body if isinstance(sub, ast.Assign) for t in sub.targets]
            else:
                continue
            for t in targets:
                if isinstance(t, ast.Name) and t.id in FLASK_KEYS:
                    return True
        return False

    # ----------------------------------------------------------------------------------------
    # per file: .flaskenv / .env

    def analyze_text(self, path: str, abspath: str, kind: FileKind, text: str) -> PerFileOutput:
        out: list[Finding] = []
        name = path.rsplit("/", 1)[-1]
        if name == ".flaskenv":
            severity = Severity.MEDIUM
            where = ".flaskenv (loaded by `flask run` and usually committed)"
        elif re.search(r"\.(example|sample|template|dist|tpl)$", name, re.I):
            severity = Severity.LOW
            where = f"{name} (an example file that is copied to configure deployments)"
        elif re.search(r"prod|live", name, re.I):
            severity = Severity.HIGH
            where = f"{name} (a production environment file)"
        else:
            severity = Severity.LOW
            where = f"{name} (loaded by `flask run` when python-dotenv is installed)"
        for lineno, raw in enumerate(text.splitlines(), 1):
            parsed = _env_line(raw)
            if parsed is None:
                continue
            key, value = parsed
            span = Span(path, lineno, 0, lineno, len(raw))
            if key == "FLASK_DEBUG" and value.strip() and value.strip().lower() not in ("0", "false", "no"):
                emit(
                    self.enabled, out, DEBUG_ENV, span,
                    f"FLASK_DEBUG={value} in {where} turns on the debugger and reloader for `flask run`",
                    severity=severity,
                )
            elif key == "FLASK_ENV" and value.strip().lower() == "development":
                emit(
                    self.enabled, out, DEBUG_ENV, span,
                    f"FLASK_ENV=development in {where} turns on debug mode (Flask < 2.3)",
                    severity=severity,
                )
            elif key == "WERKZEUG_DEBUG_PIN" and value == "off":
                emit(
                    self.enabled, out, DEBUG_PIN_OFF, span,
                    f"WERKZEUG_DEBUG_PIN=off in {name} disables the debugger PIN: anyone reaching the "
                    "debugger can run code",
                )
        return PerFileOutput(tuple(out))

    # ----------------------------------------------------------------------------------------
    # project

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        files: list[FlaskFileData] = [
            d for f in project.files if isinstance(d := f.data.get(self.name), FlaskFileData)
        ]
        if not any(f.uses_flask for f in files):
            return []
        pending = [finding for f in files for finding in f.pending]
        return pending + _ProjectCheck(files, self.enabled).run()


def _env_line(raw: str) -> tuple[str, str] | None:
    line = raw.strip()
    if not line or line.startswith("#") or "=" not in line:
        return None
    if line.startswith("export "):
        line = line[len("export ") :].strip()
    key, _, value = line.partition("=")
    key = key.strip()
    value = value.strip()
    if value[:1] in ("'", '"'):
        quote = value[0]
        end = value.find(quote, 1)
        value = value[1:end] if end > 0 else value[1:]
    else:
        value = value.split(" #", 1)[0].strip()
    return key, value


# --------------------------------------------------------------------------------------------
# per-file collection


#: The node types whose facts _Collector.run keeps in ast.walk order, and their handler.
_ORDERED_HANDLERS: dict[type[ast.AST], str] = {
    ast.Assign: "assign",
    ast.AnnAssign: "assign",
    ast.Call: "call",
    ast.ClassDef: "class",
    ast.FunctionDef: "function",
    ast.AsyncFunctionDef: "function",
}


class _Collector:
    def __init__(
        self, ctx: FileContext, data: FlaskFileData, enabled: dict[str, type[Rule]], out: list[Finding]
    ) -> None:
        self.ctx = ctx
        self.data = data
        self.enabled = enabled
        self.out = out
        self.talisman_vars: set[str] = set()
        self.fastapi_vars: set[str] = set()
        #: function node id -> lines of config loaders that may override earlier values
        self.loader_lines: dict[int, list[int]] = {}

    def run(self) -> None:
        ctx = self.ctx
        # Variables bound to FastAPI/Starlette apps or Talisman instances (for `.debug` / init_app).
        for node in ctx.semantic.nodes_by_type.get(ast.Assign, ()):
            assert isinstance(node, ast.Assign)
            if isinstance(node.value, ast.Call):
                callee = ctx.call_name(node.value) or ""
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        if callee in TALISMAN:
                            self.talisman_vars.add(t.id)
                        if callee.startswith(("fastapi.", "starlette.")):
                            self.fastapi_vars.add(t.id)
        pending_app_assigns: list[tuple[ConfigAssign, ast.AST]] = []
        # ast.walk order: the facts these handlers collect are kept in order.
        ordered = _ORDERED_HANDLERS
        for node in breadth_first(ctx.tree, leaves=False):  # every handled type has children
            kind = ordered.get(node.__class__)
            if kind is None:
                continue
            if kind == "assign":
                self._assign(node, pending_app_assigns)  # type: ignore[arg-type]
            elif kind == "call":
                self._call(node, pending_app_assigns)  # type: ignore[arg-type]
            elif kind == "class":
                self._class(node)  # type: ignore[arg-type]
            else:
                self._function(node)  # type: ignore[arg-type]
        # Flags only (no order): from the semantic model's index.
        index = ctx.semantic.nodes_by_type
        for node in index.get(ast.Constant, ()):
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str) and value.strip().lower() in SECURITY_HEADERS:
                self.data.header_constants = True
                break
        for node in (*index.get(ast.Import, ()), *index.get(ast.ImportFrom, ())):
            assert isinstance(node, (ast.Import, ast.ImportFrom))
            names = {a.name for a in node.names}
            mod = node.module if isinstance(node, ast.ImportFrom) else None
            if mod in ("flask_login", "flask_session") or (mod == "flask" and "session" in names):
                self.data.sessions = True
            if any(n in ("flask_login", "flask_session") for n in names):
                self.data.sessions = True
        for assign, node in pending_app_assigns:
            func = self._enclosing_function(node)
            lines = self.loader_lines.get(id(func), []) if func is not None else []
            later = any(line > assign.span.line for line in lines)
            in_test = self._in_test_branch(node)
            self.data.assigns.append(
                ConfigAssign(
                    assign.key, assign.val, assign.span, "app", "", may_be_overridden=later,
                    in_test_branch=in_test,
                )
            )
            if assign.key == "SECRET_KEY":
                self.data.sessions = True

    # helpers ---------------------------------------------------------------------------------
    def _enclosing_function(self, node: ast.AST) -> ast.AST | None:
        for anc in self.ctx.semantic.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return anc
        return None

    def _in_test_branch(self, node: ast.AST) -> bool:
        """Inside ``if app.testing:`` / ``if test_config:`` (body), or the ``else`` of
        ``if test_config is None:`` / ``if not testing:``."""
        child = node
        for anc in self.ctx.semantic.ancestors(node):
            # ``on_path``: the child of ``anc`` that holds ``node`` (or is it).
            on_path, child = child, anc
            if not isinstance(anc, ast.If):
                continue
            test = anc.test
            negated = False
            if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                test, negated = test.operand, True
            elif (
                isinstance(test, ast.Compare)
                and len(test.ops) == 1
                and isinstance(test.ops[0], (ast.Is, ast.IsNot))
                and isinstance(test.comparators[0], ast.Constant)
                and test.comparators[0].value is None
            ):
                negated = isinstance(test.ops[0], ast.Is)
                test = test.left
            if not isinstance(test, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
                continue
            try:
                text = ast.unparse(test).lower()
            except Exception:  # pragma: no cover
                continue
            if "test" not in text:
                continue
            branch = anc.orelse if negated else anc.body
            if any(on_path is stmt for stmt in branch):
                return True
        return False

    def _add_app_assign(
        self, key: str, value: ast.expr, anchor: ast.AST, pending: list[tuple[ConfigAssign, ast.AST]]
    ) -> None:
        if key not in REPORTED_KEYS:
            return
        pending.append((ConfigAssign(key, evaluate(self.ctx, value), self.ctx.span(anchor), "app", ""), anchor))

    # assignments -----------------------------------------------------------------------------
    def _assign(self, node: ast.Assign | ast.AnnAssign, pending: list[tuple[ConfigAssign, ast.AST]]) -> None:
        ctx = self.ctx
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        parent = ctx.parent(node)
        for target in targets:
            if isinstance(target, ast.Subscript):
                if _config_receiver(target.value):
                    key = _str_key(ctx, target.slice)
                    if key:
                        self._add_app_assign(key, value, node, pending)
                elif (
                    ctx.qualname(target.value) == "os.environ"
                    and _str_key(ctx, target.slice) == "WERKZEUG_DEBUG_PIN"
                ):
                    self._pin(value, node)
            elif isinstance(target, ast.Attribute) and self.data.uses_flask:
                receiver = target.value
                if isinstance(receiver, ast.Name) and receiver.id in self.fastapi_vars:
                    continue
                if target.attr in ("autoescape", "jinja_options"):
                    self.data.autoescape_override = True
                if target.attr == "secret_key":
                    self._add_app_assign("SECRET_KEY", value, node, pending)
                elif target.attr == "debug":
                    self._app_debug(value, node)
            elif isinstance(target, ast.Name):
                if isinstance(parent, ast.ClassDef) and target.id.isupper() and target.id in REPORTED_KEYS:
                    qual = f"{ctx.module}.{parent.name}"
                    self.data.assigns.append(
                        ConfigAssign(target.id, evaluate(ctx, value), ctx.span(node), "class", qual)
                    )
                elif parent is ctx.tree:
                    if target.id in REPORTED_KEYS:
                        self.data.assigns.append(
                            ConfigAssign(target.id, evaluate(ctx, value), ctx.span(node), "module", ctx.module)
                        )
                    if isinstance(value, ast.Dict):
                        classes = []
                        for v in value.values:
                            q = ctx.qualname(v) if v is not None else None
                            if q:
                                classes.append(q)
                        if classes:
                            self.data.maps[f"{ctx.module}.{target.id}"] = tuple(classes)
                    if isinstance(value, ast.Call) and (ctx.call_name(value) or "") in CSRF_PROTECTORS:
                        self.data.csrf_instances.append(f"{ctx.module}.{target.id}")
                        self.data.csrf_instances.append(target.id)
                        if not value.args and not value.keywords:
                            self.data.csrf_unbound_names.append(target.id)

    def _pin(self, value: ast.expr, node: ast.AST) -> None:
        val = evaluate(self.ctx, value)
        if val.known and val.value == "off":
            emit(
                self.enabled, self.out, DEBUG_PIN_OFF, self.ctx.span(node),
                "WERKZEUG_DEBUG_PIN is set to 'off': the Werkzeug debugger runs without a PIN",
            )

    def _app_debug(self, value: ast.expr, node: ast.AST) -> None:
        val = evaluate(self.ctx, value)
        if not (val.known and val.value):
            return
        guarded = under_main_guard(self.ctx, node)
        emit(
            self.enabled, self.out, DEBUG_ENABLED, self.ctx.span(node),
            f"app.debug is set to {val.value!r}{val.origin}"
            + (" (only when run as a script)" if guarded else ""),
            severity=Severity.LOW if guarded else Severity.MEDIUM,
        )

    # calls -----------------------------------------------------------------------------------
    def _call(self, call: ast.Call, pending: list[tuple[ConfigAssign, ast.AST]]) -> None:
        ctx = self.ctx
        func = call.func
        callee = ctx.call_name(call) or ""
        if isinstance(func, ast.Attribute):
            attr = func.attr
            if _config_receiver(func.value):
                if attr in ("update", "from_mapping"):
                    for kw in call.keywords:
                        if kw.arg:
                            self._add_app_assign(kw.arg, kw.value, kw.value, pending)
                    for arg in call.args:
                        if isinstance(arg, ast.Dict):
                            for k, v in zip(arg.keys, arg.values, strict=True):
                                key = _str_key(ctx, k) if k is not None else None
                                if key:
                                    self._add_app_assign(key, v, v, pending)
                elif attr == "from_object" and call.args:
                    self._load(call.args[0])
                elif attr == "from_pyfile" and call.args:
                    name = ctx.const_value(call.args[0], None)
                    if isinstance(name, str):
                        self.data.loads.append(("pyfile", name))
                    self._loader(call)
                elif attr in ("from_envvar", "from_prefixed_env", "from_file"):
                    self._loader(call)
            if attr == "run" and self.data.uses_flask:
                self.run_call(call)
            elif attr == "init_app":
                if isinstance(func.value, ast.Name):
                    self.data.init_app_names.append(func.value.id)
                    if func.value.id in self.talisman_vars:
                        self._talisman(call)
            elif (
                attr == "setdefault"
                and ctx.qualname(func.value) == "os.environ"
                and len(call.args) == 2
                and _str_key(ctx, call.args[0]) == "WERKZEUG_DEBUG_PIN"
            ):
                self._pin(call.args[1], call)
        if callee in RUN_SIMPLE:
            self._run(call, "use_debugger")
        elif callee == "os.putenv" and len(call.args) == 2:
            if _str_key(ctx, call.args[0]) == "WERKZEUG_DEBUG_PIN":
                self._pin(call.args[1], call)
        elif callee in CSRF_PROTECTORS:
            if call.args or call.keywords:
                self.data.csrf_bound = True
            else:
                parent = ctx.parent(call)
                if not isinstance(parent, ast.Assign):
                    self.data.csrf_unbound_names.append("")
        elif callee in TALISMAN:
            self.data.talisman = True
            self._talisman(call)
        elif callee in CORS_EXT or callee in CORS_DECORATOR:
            self._cors(call, callee in CORS_DECORATOR)
        elif callee in FLASK_CLASSES:
            self.data.apps.append(ctx.span(call))
        elif callee in RENDER_TEMPLATE and call.args:
            names = const_str_list(ctx.const_value(call.args[0], None)) or []
            if names and all(
                n.lower().endswith(HTML_TEMPLATE_SUFFIXES) and not n.lower().endswith(AUTOESCAPED_SUFFIXES)
                for n in names
            ):
                self.data.unescaped_renders.append((ctx.span(call), names[0]))
        elif callee == "jinja2.select_autoescape" or callee.endswith(".select_autoescape"):
            self.data.autoescape_override = True

    def run_call(self, call: ast.Call) -> None:
        """``X.run(debug=True)`` / ``X.run(use_debugger=True)`` (not uvicorn/hypercorn)."""
        callee = self.ctx.call_name(call) or ""
        if callee.startswith(("uvicorn", "hypercorn", "asyncio", "trio", "anyio", "subprocess")):
            return
        self._run(call, "debug")
        self._run(call, "use_debugger")

    def _loader(self, call: ast.Call) -> None:
        func = self._enclosing_function(call)
        self.loader_lines.setdefault(id(func), []).append(call.lineno)

    def _load(self, arg: ast.expr) -> None:
        ctx = self.ctx
        if isinstance(arg, ast.Name) and arg.id == "__name__":
            self.data.loads.append(("name", ctx.module))
            return
        value = ctx.const_value(arg, None)
        if isinstance(value, str):
            self.data.loads.append(("string", value))
            return
        if isinstance(arg, ast.Subscript):
            q = ctx.qualname(arg.value)
            if q is None and isinstance(arg.value, ast.Name):
                q = f"{ctx.module}.{arg.value.id}"
            if q:
                self.data.loads.append(("map", q))
            return
        q = ctx.qualname(arg)
        if q is None and isinstance(arg, ast.Name):
            q = f"{ctx.module}.{arg.id}"
        if q:
            self.data.loads.append(("name", q))

    def _run(self, call: ast.Call, keyword: str) -> None:
        node = self.ctx.keyword(call, keyword)
        if node is None:
            return
        val = evaluate(self.ctx, node)
        if not (val.known and val.value):
            return
        guarded = under_main_guard(self.ctx, call)
        what = "debug mode" if keyword == "debug" else "the interactive debugger"
        if guarded:
            message = (
                f"{keyword}={val.value!r}{val.origin} turns on {what} when this file is run as a script "
                "(`flask run` and WSGI servers ignore it)"
            )
        else:
            message = (
                f"{keyword}={val.value!r}{val.origin} turns on {what} for the development server, "
                "which runs whenever this code is executed"
            )
        emit(
            self.enabled, self.out, DEBUG_ENABLED, self.ctx.span(call), message,
            severity=Severity.LOW if guarded else Severity.HIGH,
        )

    def _talisman(self, call: ast.Call) -> None:
        weak: list[str] = []
        for kw in call.keywords:
            if kw.arg is None:
                continue
            val = evaluate(self.ctx, kw.value)
            if not val.known:
                continue
            v = val.value
            if (kw.arg in (
                "force_https",
                "strict_transport_security",
                "session_cookie_secure",
                "session_cookie_http_only",
                "x_content_type_options",
            ) and not v) or (kw.arg in ("content_security_policy", "frame_options") and not v):
                weak.append(f"{kw.arg}={v!r}")
            elif kw.arg == "content_security_policy_report_only" and v:
                weak.append(f"{kw.arg}={v!r} (the policy is not enforced)")
            elif kw.arg == "strict_transport_security_max_age" and isinstance(v, int) and v < 31536000:
                weak.append(f"{kw.arg}={v!r} (under a year)")
        if weak:
            emit(
                self.enabled, self.out, TALISMAN_WEAK, self.ctx.span(call),
                "Talisman is configured with weakened protection: " + ", ".join(weak),
            )

    def _cors(self, call: ast.Call, decorator: bool) -> None:
        ctx = self.ctx
        top: dict[str, Val] = {}
        for kw in call.keywords:
            if kw.arg:
                top[kw.arg] = evaluate(ctx, kw.value)
        if any(kw.arg is None for kw in call.keywords):
            return
        resources: list[dict[str, Val]] = []
        res = top.get("resources")
        res_node = ctx.keyword(call, "resources")
        if isinstance(res_node, ast.Dict):
            for v in res_node.values:
                if isinstance(v, ast.Dict):
                    opts: dict[str, Val] = {}
                    for k2, v2 in zip(v.keys, v.values, strict=True):
                        key = _str_key(ctx, k2) if k2 is not None else None
                        if key:
                            opts[key] = evaluate(ctx, v2)
                    resources.append(opts)
                else:
                    resources.append({})
        elif res is None or res.known:
            resources.append({})
        else:
            return
        for opts in resources:
            merged = {**top, **opts}
            self._cors_options(call, merged)

    def _cors_options(self, call: ast.Call, opts: dict[str, Val]) -> None:
        creds = opts.get("supports_credentials", Val(True, False))
        origins = opts.get("origins", Val(True, "*"))
        if not origins.known:
            return
        listed = const_str_list(origins.value)
        if listed is None:
            return
        has_creds = creds.known and bool(creds.value)
        span = self.ctx.span(call)
        if has_creds:
            if "*" in listed or ".*" in listed:
                default = "origins" not in opts
                emit(
                    self.enabled, self.out, CORS_CREDENTIALS, span,
                    "Flask-CORS with supports_credentials=True and "
                    + ("the default origins='*'" if default else "origins='*'")
                    + ": every site's Origin is echoed back with Access-Control-Allow-Credentials, "
                    "so any site can make authenticated requests and read the responses",
                )
                return
            for origin in listed:
                if flask_cors_is_regex(origin):
                    probe = permissive_origin_probe(origin, fullmatch=False)
                    if probe is not None and probe in ("https://evil.invalid", "http://evil.invalid", "null"):
                        emit(
                            self.enabled, self.out, CORS_CREDENTIALS, span,
                            f"Flask-CORS with supports_credentials=True and origin regex {origin!r}, which "
                            f"accepts any origin (e.g. {probe})",
                        )
                        return
        for origin in listed:
            if origin in ("*", ".*") or not flask_cors_is_regex(origin):
                continue
            probe = permissive_origin_probe(origin, fullmatch=False)
            if probe is None or (has_creds and probe in ("https://evil.invalid", "http://evil.invalid", "null")):
                continue
            emit(
                self.enabled, self.out, CORS_REGEX, span,
                f"Flask-CORS origin regex {origin!r} also accepts {probe!r} (Flask-CORS matches regexes "
                "with re.match, anchored only at the start)",
                severity=Severity.MEDIUM if has_creds else Severity.LOW,
            )

    # classes and functions -------------------------------------------------------------------
    def _class(self, node: ast.ClassDef) -> None:
        ctx = self.ctx
        if ctx.parent(node) is not ctx.tree:
            return
        bases: list[str] = []
        for b in node.bases:
            q = ctx.qualname(b)
            if q is None and isinstance(b, ast.Name):
                q = f"{ctx.module}.{b.id}"
            if q:
                bases.append(q)
        self.data.classes.append(
            ClassFact(f"{ctx.module}.{node.name}", node.name, tuple(bases), ctx.span(node))
        )
        self._method_view(node, bases)

    def _view_body(self, node: ast.AST) -> tuple[bool, set[str]]:
        """Whether a view validates a Flask-WTF form, and the names it calls."""
        ctx = self.ctx
        validates = False
        names: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                if isinstance(sub.func, ast.Attribute) and sub.func.attr == "validate_on_submit":
                    validates = True
                q = ctx.call_name(sub)
                if q is None and isinstance(sub.func, ast.Name):
                    q = f"{ctx.module}.{sub.func.id}"
                if q:
                    names.add(q)
        return validates, names

    def _method_view(self, node: ast.ClassDef, bases: list[str]) -> None:
        """``class V(MethodView)``: its ``post``/``put``/``patch``/``delete`` methods are views."""
        if not any(b in METHOD_VIEWS for b in bases):
            return
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name.upper() in STATE_CHANGING:
                validates, names = self._view_body(stmt)
                self.data.routes.append(
                    RouteFact(
                        self.ctx.span(stmt), f"{node.name}.{stmt.name}", (stmt.name.upper(),), validates,
                        tuple(sorted(names)), (), None,
                    )
                )

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        ctx = self.ctx
        if node.name == "select_jinja_autoescape":
            self.data.autoescape_override = True
        methods: set[str] = set()
        route_deco: ast.Call | None = None
        exempt: list[str] = []
        exempt_span: Span | None = None
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute):
                attr = deco.func.attr
                if attr in ("route", "post", "put", "patch", "delete", "get"):
                    found = _methods_of(ctx, deco, attr)
                    if found is None:
                        return
                    methods.update(found)
                    route_deco = route_deco or deco
            elif isinstance(deco, ast.Attribute) and deco.attr == "exempt":
                q = ctx.qualname(deco.value)
                if isinstance(deco.value, ast.Name):
                    exempt.append(deco.value.id)
                    exempt.append(q or f"{ctx.module}.{deco.value.id}")
                elif q:
                    exempt.append(q)
                exempt_span = ctx.span(deco)
        if route_deco is None:
            return
        validates, names = self._view_body(node)
        self.data.routes.append(
            RouteFact(
                ctx.span(route_deco), node.name, tuple(sorted(methods)), validates, tuple(sorted(names)),
                tuple(exempt), exempt_span,
            )
        )


# --------------------------------------------------------------------------------------------
# project phase


class _ProjectCheck:
    def __init__(self, files: list[FlaskFileData], enabled: dict[str, type[Rule]]) -> None:
        self.files = files
        self.enabled = enabled
        self.out: list[Finding] = []
        self.classes: dict[str, ClassFact] = {c.qualname: c for f in files for c in f.classes}
        self.class_file: dict[str, FlaskFileData] = {c.qualname: f for f in files for c in f.classes}
        self.maps: dict[str, tuple[str, ...]] = {k: v for f in files for k, v in f.maps.items()}

    def group(self, f: FlaskFileData) -> str:
        return app_group(f.path, f.module)

    def groups(self) -> dict[str, list[FlaskFileData]]:
        out: dict[str, list[FlaskFileData]] = {}
        for f in self.files:
            out.setdefault(self.group(f), []).append(f)
        return out

    def run(self) -> list[Finding]:
        loaded_classes, loaded_modules = self._loaded()
        self._config_values(loaded_classes, loaded_modules)
        self._production_missing(loaded_classes)
        self._csrf()
        self._headers()
        self._autoescape()
        return self.out

    def _autoescape(self) -> None:
        for members in self.groups().values():
            if any(f.autoescape_override for f in members):
                continue
            for f in members:
                for span, name in f.unescaped_renders:
                    emit(
                        self.enabled, self.out, NOT_AUTOESCAPED, span,
                        f"Flask renders {name!r} without autoescaping: it only escapes templates ending in "
                        ".html, .htm, .xml, .xhtml or .svg, so every variable in it is inserted as raw HTML",
                    )

    # which classes/modules are configuration -----------------------------------------------
    def _resolve_class(self, name: str) -> str | None:
        if name in self.classes:
            return name
        # `from .config import Config` resolved relative to a package; match by suffix.
        tail = "." + name.rsplit(".", 1)[-1]
        matches = [q for q in self.classes if q.endswith(tail) and name.endswith(q.split(".", 1)[-1])]
        return matches[0] if len(matches) == 1 else None

    def _loaded(self) -> tuple[set[str], set[str]]:
        classes: set[str] = set()
        modules: set[str] = set()
        all_modules = {f.module: f for f in self.files}
        for f in self.files:
            for kind, target in f.loads:
                if kind == "map":
                    for q in self.maps.get(target, ()):
                        c = self._resolve_class(q)
                        if c:
                            classes.add(c)
                elif kind in ("name", "string"):
                    c = self._resolve_class(target)
                    if c:
                        classes.add(c)
                    elif target in all_modules:
                        modules.add(target)
                    else:
                        for m in all_modules:
                            if m.endswith("." + target):
                                modules.add(m)
                elif kind == "pyfile":
                    base = target.rsplit("/", 1)[-1]
                    for other in self.files:
                        if other.path.rsplit("/", 1)[-1] == base:
                            modules.add(other.module)
        # bases of loaded classes hold configuration too
        stack = list(classes)
        while stack:
            q = stack.pop()
            for b in self.classes[q].bases:
                rb = self._resolve_class(b)
                if rb and rb not in classes:
                    classes.add(rb)
                    stack.append(rb)
        return classes, modules

    def _is_config_class(self, qual: str, loaded: set[str]) -> bool:
        if qual in loaded:
            return True
        fact = self.classes.get(qual)
        return fact is not None and bool(_CONFIG_NAME.search(fact.name))

    def _class_role(self, qual: str) -> str:
        fact = self.classes.get(qual)
        return role_of(fact.name) if fact else "base"

    # configuration values ------------------------------------------------------------------
    def _config_values(self, loaded_classes: set[str], loaded_modules: set[str]) -> None:
        for f in self.files:
            if f.is_test:
                continue
            for a in f.assigns:
                if a.owner_kind == "class":
                    if not self._is_config_class(a.owner, loaded_classes):
                        continue
                    role = self._class_role(a.owner)
                    where = f"in {a.owner.rsplit('.', 1)[-1]}"
                elif a.owner_kind == "module":
                    if a.owner not in loaded_modules:
                        continue
                    role = role_of(a.owner.rsplit(".", 1)[-1])
                    where = f"in configuration module {a.owner}"
                else:
                    if not f.uses_flask:
                        continue
                    role = "test" if a.in_test_branch else "base"
                    where = ""
                if role in ("test", "development"):
                    continue
                self._value(a, where)

    def _value(self, a: ConfigAssign, where: str) -> None:
        val = a.val
        if not val.known:
            return
        v = val.value
        suffix = f" {where}" if where else ""
        confidence = Confidence.MEDIUM if a.may_be_overridden else None
        later = (
            " (a configuration file or environment loaded later may override it)" if a.may_be_overridden else ""
        )
        if a.key in SECRET_KEYS:
            if v is None:
                return
            signs = (
                "session cookies and other signed data"
                if a.key == "SECRET_KEY"
                else "Flask-WTF CSRF tokens"
            )
            reason = weak_secret_reason(v)
            if reason is not None:
                emit(
                    self.enabled, self.out, WEAK_SECRET, a.span,
                    f"{a.key}{val.origin}{suffix} {reason}: {signs} can be forged{later}",
                    confidence=confidence,
                )
            elif isinstance(v, (str, bytes)):
                emit(
                    self.enabled, self.out, HARDCODED_SECRET, a.span,
                    f"{a.key}{val.origin}{suffix} is written in the source code{later}",
                    confidence=confidence,
                )
        elif a.key == "DEBUG":
            if v:
                trap = ""
                if val.env and val.yields_string and isinstance(v, str):
                    trap = f"; the string {v!r} is truthy, and so is any value the variable is set to"
                emit(
                    self.enabled, self.out, DEBUG_ENABLED, a.span,
                    f"DEBUG is {v!r}{val.origin}{suffix}{trap}",
                    severity=Severity.MEDIUM, confidence=confidence,
                )
        elif a.key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
            if not v:
                emit(
                    self.enabled, self.out, SESSION_SECURE, a.span,
                    f"{a.key} is {v!r}{val.origin}{suffix}: the {_cookie_of(a.key)} is also sent over plain "
                    "HTTP",
                    confidence=confidence,
                )
        elif a.key in ("SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"):
            if not v:
                emit(
                    self.enabled, self.out, SESSION_HTTPONLY, a.span,
                    f"{a.key} is {v!r}{val.origin}{suffix}: scripts can read the {_cookie_of(a.key)}",
                    confidence=confidence,
                )
        elif a.key in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
            if isinstance(v, str) and v.strip().lower() == "none":
                emit(
                    self.enabled, self.out, SESSION_SAMESITE, a.span,
                    f"{a.key} is 'None'{val.origin}{suffix}: the {_cookie_of(a.key)} is sent with "
                    "cross-site requests",
                    confidence=confidence,
                )
        elif a.key == "WTF_CSRF_ENABLED" and not v:
            emit(
                self.enabled, self.out, CSRF_DISABLED, a.span,
                f"WTF_CSRF_ENABLED is {v!r}{val.origin}{suffix}: Flask-WTF forms and CSRFProtect stop "
                "checking CSRF tokens",
                confidence=confidence,
            )

    def _class_attrs(self, qual: str) -> dict[str, ConfigAssign]:
        """Configuration attributes of a class including its project bases (nearest wins)."""
        attrs: dict[str, ConfigAssign] = {}
        seen: set[str] = set()
        order: list[str] = []
        stack = [qual]
        while stack:
            q = stack.pop(0)
            if q in seen:
                continue
            seen.add(q)
            order.append(q)
            fact = self.classes.get(q)
            if fact:
                for b in fact.bases:
                    rb = self._resolve_class(b)
                    if rb:
                        stack.append(rb)
        by_owner: dict[str, list[ConfigAssign]] = {}
        for f in self.files:
            for a in f.assigns:
                if a.owner_kind == "class":
                    by_owner.setdefault(a.owner, []).append(a)
        for q in reversed(order):
            for a in by_owner.get(q, []):
                attrs[a.key] = a
        return attrs

    def _production_missing(self, loaded_classes: set[str]) -> None:
        if "PWC610" not in self.enabled:
            return
        groups = self.groups()
        settled: set[str] = set()
        for key, members in groups.items():
            # Talisman sets SESSION_COOKIE_SECURE (True unless weakened, reported by PWC641); a
            # value set on the app directly is reported above when False.
            if any(f.talisman for f in members) or any(
                a.owner_kind == "app" and a.key == "SESSION_COOKIE_SECURE"
                for f in members
                if not f.is_test
                for a in f.assigns
            ):
                settled.add(key)
        for qual, fact in self.classes.items():
            owner_file = self.class_file[qual]
            if owner_file.is_test or self.group(owner_file) in settled:
                continue
            if not self._is_config_class(qual, loaded_classes):
                continue
            if role_of(fact.name) != "production":
                continue
            attrs = self._class_attrs(qual)
            if "SESSION_COOKIE_SECURE" in attrs:
                continue
            emit(
                self.enabled, self.out, SESSION_SECURE, fact.span,
                f"production configuration {fact.name} does not set SESSION_COOKIE_SECURE = True (Flask's "
                "default is False): the session cookie is also sent over plain HTTP",
                confidence=Confidence.MEDIUM,
            )

    # CSRF ------------------------------------------------------------------------------------
    def _csrf(self) -> None:
        form_classes = self._form_classes()
        for members in self.groups().values():
            self._csrf_group(members, form_classes)

    def _csrf_group(self, members: list[FlaskFileData], form_classes: set[str]) -> None:
        instances = {i for f in self.files for i in f.csrf_instances}
        init_names = {n for f in members for n in f.init_app_names}
        protected = any(f.csrf_bound for f in members) or any(
            n and n in init_names for f in members for n in f.csrf_unbound_names
        )
        sessions = any(f.sessions for f in members) or any(
            a.key == "SECRET_KEY" for f in members for a in f.assigns
        )
        for f in members:
            if f.is_test or not f.uses_flask:
                continue
            for r in f.routes:
                changing = sorted(set(r.methods) & STATE_CHANGING)
                if not changing:
                    continue
                if r.exempt_by and any(e in instances for e in r.exempt_by) and r.exempt_span is not None:
                    emit(
                        self.enabled, self.out, CSRF_EXEMPT, r.exempt_span,
                        f"view {r.function} handles {', '.join(changing)} and is exempt from CSRF protection",
                    )
                    continue
                if protected or not sessions:
                    continue
                if r.validates_form or any(n in form_classes for n in r.names):
                    continue
                emit(
                    self.enabled, self.out, CSRF_MISSING, r.span,
                    f"view {r.function} handles {', '.join(changing)} with cookie-based sessions, and the "
                    "project neither sets up CSRFProtect nor validates a Flask-WTF form here",
                )

    def _form_classes(self) -> set[str]:
        forms: set[str] = set()
        changed = True
        while changed:
            changed = False
            for q, fact in self.classes.items():
                if q in forms:
                    continue
                for b in fact.bases:
                    rb = self._resolve_class(b) or b
                    if b in FLASK_FORM_BASES or rb in forms:
                        forms.add(q)
                        changed = True
                        break
        return forms

    # security headers ------------------------------------------------------------------------
    def _headers(self) -> None:
        for members in self.groups().values():
            self._headers_group(members)

    def _headers_group(self, members: list[FlaskFileData]) -> None:
        if any(f.talisman or f.header_constants for f in members):
            return
        for f in members:
            if f.is_test:
                continue
            for span in f.apps:
                emit(
                    self.enabled, self.out, NO_HEADERS, span,
                    "no Flask-Talisman and no code setting Strict-Transport-Security, Content-Security-Policy "
                    "or X-Frame-Options for this Flask app",
                )

