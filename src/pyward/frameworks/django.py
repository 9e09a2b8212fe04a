"""Django: the settings in effect, their values, and the views exempted from CSRF protection.

Everything here is static: the project is never imported.

Per file (:meth:`DjangoAnalysis.analyze_python`) a :class:`DjangoFileFacts` is collected: where
``DJANGO_SETTINGS_MODULE`` is set (``os.environ.setdefault`` or assignment, in ``manage.py``,
``wsgi.py``, ``asgi.py`` or elsewhere), the top-level statements of modules that look like
settings (kept as ``ast`` nodes, resolved lazily), classes and their bases (middleware subclasses,
class-based views), function views with what they do, and ``csrf_exempt`` usages.

Per project (:meth:`DjangoAnalysis.analyze_project`):

1. **Which modules are settings, and what role each has.** A module pointed at by
   ``DJANGO_SETTINGS_MODULE`` from ``wsgi.py``/``asgi.py`` is *production*; otherwise the last part
   of its name decides (``prod``, ``production``, ``live``, ``staging``, ``deploy`` → production;
   ``dev``, ``development``, ``local``, ``test``, ``tests``, ``testing``, ``ci`` → development); a
   module only star-imported by other settings modules is a *base* (checked through the modules
   that import it); any other settings module (``settings.py`` in effect from ``manage.py``, or a
   lone ``settings.py``) is *in effect* and fully checked. Every settings module gets an info
   finding (PWC599) that says what it was judged and why.
2. **Values.** Each checked module is interpreted statement by statement (:class:`_Interpreter`):
   ``from .base import *`` chains are followed (later assignments override earlier ones),
   ``+=``/``.append``/``.extend``/``.insert``/``.remove`` and subscript assignments change
   lists and dicts, top-level ``if`` takes the branch its condition decides (and makes the values
   that differ between branches unknown otherwise), ``try: from .local import * except
   ImportError:`` runs the handler when the module is not in the project (and says so: a missing
   setting might come from it), django-split-settings ``include()``/``optional()`` runs the
   included files in order (a file chosen at run time, ``environments/{env}.py``, runs as one
   branch per candidate file). Environment reads are judged by
   :mod:`pyward.frameworks.envvalues` with every variable unset (``"X" in os.environ`` is
   False). A statement that can set arbitrary globals (``globals().update(...)``, ``exec``,
   ``namespace.update_globals()``) makes every setting assigned before it, and every setting
   left unassigned, unknown: nothing is reported about values pyward cannot see.
3. **Rules.** Each rule (:class:`pyward.rules.config.base.DjangoSettingsRule`) sees one
   :class:`SettingsView` per checked module; findings point at the assignment (possibly in a base
   module) or at line 1 of the checked module when a setting is missing, and say which module(s).
   The same finding reached from several modules is reported once, naming all of them.
"""

from __future__ import annotations

import ast
import copy
import fnmatch
import operator
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.frameworks.envvalues import (
    UNKNOWN,
    CsvCast,
    EnvRead,
    environ_membership,
    environ_scheme,
    read_env_call,
    read_env_subscript,
)
from pyward.frameworks.webcommon import breadth_first
from pyward.model import Confidence, Finding, Fix, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule

__all__ = [
    "DJANGO_CHECK_MAP",
    "DJANGO_DEFAULTS",
    "Binding",
    "DjangoAnalysis",
    "DjangoFileFacts",
    "SettingsView",
    "secret_key_problem",
]

# --------------------------------------------------------------------------------------------
# Django facts

#: ``manage.py check --deploy`` ids (Django 5.2 security checks) -> pyward code.
DJANGO_CHECK_MAP: dict[str, str] = {
    "security.W001": "PWC501",
    "security.W002": "PWC503",
    "security.W003": "PWC502",
    "security.W004": "PWC504",
    "security.W005": "PWC505",
    "security.W006": "PWC507",
    "security.W008": "PWC508",
    "security.W009": "PWC509",
    "security.W010": "PWC511",
    "security.W011": "PWC511",
    "security.W012": "PWC511",
    "security.W013": "PWC512",
    "security.W014": "PWC512",
    "security.W015": "PWC512",
    "security.W016": "PWC513",
    "security.W018": "PWC514",
    "security.W019": "PWC515",
    "security.W020": "PWC516",
    "security.W021": "PWC506",
    "security.W022": "PWC517",
    "security.E023": "PWC518",
    "security.E024": "PWC519",
    "security.W025": "PWC510",
    "security.E101": "PWC520",
    "security.E102": "PWC520",
    # Django 6.0+
    "security.E026": "PWC521",
    "security.W027": "PWC522",
}

#: Django's global defaults for the settings the rules read (django/conf/global_settings.py).
DJANGO_DEFAULTS: dict[str, Any] = {
    "DEBUG": False,
    "ALLOWED_HOSTS": [],
    "SECRET_KEY": "",
    "SECRET_KEY_FALLBACKS": [],
    "MIDDLEWARE": [],
    "INSTALLED_APPS": [],
    "SECURE_HSTS_SECONDS": 0,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
    "SECURE_HSTS_PRELOAD": False,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_SSL_REDIRECT": False,
    "SECURE_REFERRER_POLICY": "same-origin",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
    "SECURE_PROXY_SSL_HEADER": None,
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SECURE": False,
    "CSRF_COOKIE_SAMESITE": "Lax",
    "CSRF_USE_SESSIONS": False,
    "CSRF_TRUSTED_ORIGINS": [],
    "CSRF_FAILURE_VIEW": "django.views.csrf.csrf_failure",
    "X_FRAME_OPTIONS": "DENY",
    "AUTH_PASSWORD_VALIDATORS": [],
    "PASSWORD_HASHERS": [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ],
    # django-cors-headers
    "CORS_ALLOW_ALL_ORIGINS": False,
    "CORS_ORIGIN_ALLOW_ALL": False,
    "CORS_ALLOW_CREDENTIALS": False,
    "LANGUAGE_COOKIE_SAMESITE": None,
    "SECURE_CSP": {},
    "SECURE_CSP_REPORT_ONLY": {},
    "TEMPLATES": [],
    "LANGUAGE_COOKIE_SECURE": False,
}

#: Settings whose assignment makes a module look like Django settings.
CORE_SETTINGS = frozenset(
    {
        "INSTALLED_APPS",
        "MIDDLEWARE",
        "ROOT_URLCONF",
        "WSGI_APPLICATION",
        "ASGI_APPLICATION",
        "ALLOWED_HOSTS",
        "DATABASES",
        "AUTH_PASSWORD_VALIDATORS",
        "TEMPLATES",
        "AUTH_USER_MODEL",
    }
)

_PROD_WORDS = frozenset({"prod", "production", "live", "staging", "stage", "deploy", "deployment", "release"})
_DEV_WORDS = frozenset(
    {"dev", "development", "local", "test", "tests", "testing", "ci", "debug", "docker_dev", "sandbox"}
)

CSRF_EXEMPT = "django.views.decorators.csrf.csrf_exempt"
METHOD_DECORATOR = "django.utils.decorators.method_decorator"
_UNSAFE_METHODS = ("post", "put", "patch", "delete")
#: Django's generic views that accept POST (django.views.generic.edit and the re-exports).
DJANGO_POST_VIEWS = frozenset(
    f"django.views.generic{mod}.{name}"
    for mod in ("", ".edit")
    for name in (
        "CreateView",
        "UpdateView",
        "DeleteView",
        "FormView",
        "BaseCreateView",
        "BaseUpdateView",
        "BaseDeleteView",
        "BaseFormView",
        "ProcessFormView",
        "DeletionMixin",
    )
) | frozenset(
    {
        "django.contrib.auth.views.LoginView",
        "django.contrib.auth.views.LogoutView",
        "django.contrib.auth.views.PasswordChangeView",
        "django.contrib.auth.views.PasswordResetView",
        "django.contrib.auth.views.PasswordResetConfirmView",
        # GraphQL endpoints: mutations arrive as POST (and cookie sessions authenticate them)
        "graphene_django.views.GraphQLView",
        "strawberry.django.views.GraphQLView",
        "strawberry.django.views.AsyncGraphQLView",
        "ariadne_django.views.GraphQLView",
        "ariadne_django.views.GraphQLAsyncView",
    }
)

#: ``django.utils.csp.CSP`` members (Django 6.0+), a ``StrEnum``: their string values.
CSP_CONSTANTS: dict[str, str] = {
    "NONE": "'none'",
    "REPORT_SAMPLE": "'report-sample'",
    "SELF": "'self'",
    "STRICT_DYNAMIC": "'strict-dynamic'",
    "UNSAFE_EVAL": "'unsafe-eval'",
    "UNSAFE_HASHES": "'unsafe-hashes'",
    "UNSAFE_INLINE": "'unsafe-inline'",
    "WASM_UNSAFE_EVAL": "'wasm-unsafe-eval'",
    "NONCE": "<CSP_NONCE_SENTINEL>",
    "HEADER_ENFORCE": "Content-Security-Policy",
    "HEADER_REPORT_ONLY": "Content-Security-Policy-Report-Only",
}

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE = 5
SECRET_KEY_INSECURE_PREFIX = "django-insecure-"


def secret_key_problem(key: Any) -> str | None:
    """Why Django's ``check --deploy`` would reject ``key`` (W009/W025), or None when it passes."""
    if not isinstance(key, str):
        return "is not a string"
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"starts with '{SECRET_KEY_INSECURE_PREFIX}' (generated by startproject for development)"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is {len(key)} characters long (fewer than {SECRET_KEY_MIN_LENGTH})"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE:
        return f"has {len(set(key))} distinct characters (fewer than {SECRET_KEY_MIN_UNIQUE})"
    return None


# --------------------------------------------------------------------------------------------
# per-file facts


@dataclass(frozen=True)
class Pointer:
    """``DJANGO_SETTINGS_MODULE`` set to ``target`` in a file."""

    target: str
    path: str
    line: int
    #: ``wsgi``, ``asgi``, ``manage`` or ``other`` (from the file name).
    origin: str
    #: True for ``os.environ.setdefault`` (a default the environment can override).
    default_only: bool


@dataclass(frozen=True)
class FunctionInfo:
    name: str
    line: int
    #: Positional parameter names, and those without a default.
    positional: tuple[str, ...]
    required: tuple[str, ...]
    kwonly: tuple[str, ...]
    kwonly_required: tuple[str, ...]
    has_varargs: bool
    has_kwargs: bool
    #: Why the view changes state ("handles request.POST"), "" when nothing shows it does.
    writes: str
    #: Restricted to safe methods by ``require_GET``/``require_safe``.
    read_only: bool


@dataclass(frozen=True)
class ClassInfo:
    name: str
    line: int
    bases: tuple[str, ...]
    #: Unsafe-method handlers it defines (``post``, ``put``...).
    handlers: tuple[str, ...]
    #: Its ``dispatch`` reads POST data or compares ``request.method`` to an unsafe method.
    dispatch_writes: str
    #: csrf_exempt applied to its dispatch (method_decorator on the class or on dispatch).
    exempt_line: int = 0


@dataclass(frozen=True)
class ExemptUse:
    """One ``csrf_exempt`` application. ``target`` is a qualified name of a view function or class."""

    target: str
    line: int
    col: int
    end_line: int
    end_col: int
    form: str  # decorator | call | method_decorator


@dataclass
class DjangoFileFacts:
    path: str
    module: str
    is_package: bool
    pointers: list[Pointer] = field(default_factory=list)
    #: Top-level statements when the module may be settings (None otherwise).
    statements: list[ast.stmt] | None = None
    #: Known setting names assigned at top level.
    setting_names: frozenset[str] = frozenset()
    #: ``from X import *`` targets (absolute).
    star_imports: tuple[str, ...] = ()
    #: django-split-settings ``include(...)`` calls: (line, col) -> (pattern, optional, exact), the
    #: patterns resolved against the module's folder; parts computed at run time are ``*``
    #: (``exact`` False), so ``environments/{0}.py`` matches every environment file.
    includes: dict[tuple[int, int], tuple[tuple[str, bool, bool], ...]] = field(default_factory=dict)
    #: (line, col) of an ``ImportFrom`` -> its absolute module.
    import_targets: dict[tuple[int, int], str] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    functions: dict[str, FunctionInfo] = field(default_factory=dict)
    #: Names bound at module level by anything (for "can CSRF_FAILURE_VIEW be imported").
    top_names: frozenset[str] = frozenset()
    exempts: list[ExemptUse] = field(default_factory=list)


_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _file_origin(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name == "wsgi.py":
        return "wsgi"
    if name == "asgi.py":
        return "asgi"
    if name == "manage.py":
        return "manage"
    return "other"


def _const_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _collect_pointers(ctx: FileContext) -> list[Pointer]:
    found: list[Pointer] = []
    origin = _file_origin(ctx.path)
    for node in ctx.semantic.nodes_by_type.get(ast.Call, []):
        assert isinstance(node, ast.Call)
        if (
            len(node.args) >= 2
            and _const_str(node.args[0]) == "DJANGO_SETTINGS_MODULE"
            and ctx.call_name(node) == "os.environ.setdefault"
        ):
            target = _const_str(node.args[1])
            if target:
                found.append(Pointer(target, ctx.path, node.lineno, origin, True))
    for node in ctx.semantic.nodes_by_type.get(ast.Assign, []):
        assert isinstance(node, ast.Assign)
        for tgt in node.targets:
            if (
                isinstance(tgt, ast.Subscript)
                and ctx.qualname(tgt.value) == "os.environ"
                and _const_str(tgt.slice) == "DJANGO_SETTINGS_MODULE"
            ):
                target = _const_str(node.value)
                if target:
                    found.append(Pointer(target, ctx.path, node.lineno, origin, False))
    return found


def _assigned_names(stmt: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    names: list[str] = []
    for t in targets:
        if isinstance(t, ast.Name):  # the common case, without a walk
            names.append(t.id)
            continue
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                names.append(n.id)
    return names


def _walk_top(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, including those nested in if/try blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _walk_top(stmt.body)
            yield from _walk_top(stmt.orelse)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            yield from _walk_top(stmt.body)  # type: ignore[attr-defined]
            for h in stmt.handlers:  # type: ignore[attr-defined]
                yield from _walk_top(h.body)
            yield from _walk_top(stmt.orelse)  # type: ignore[attr-defined]
            yield from _walk_top(stmt.finalbody)  # type: ignore[attr-defined]


def _is_request_data(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute) and node.attr in ("POST", "FILES", "body", "data"):
        base = node.value
        if isinstance(base, ast.Name) and base.id in ("request", "req"):
            return f"reads request.{node.attr}"
        if (
            isinstance(base, ast.Attribute)
            and base.attr == "request"
            and isinstance(base.value, ast.Name)
            and base.value.id == "self"
        ):
            return f"reads self.request.{node.attr}"
    return ""


def _compares_unsafe_method(node: ast.AST) -> str:
    if not isinstance(node, ast.Compare):
        return ""
    parts = [node.left, *node.comparators]
    has_method = any(isinstance(p, ast.Attribute) and p.attr == "method" for p in parts)
    if not has_method:
        return ""
    for p in parts:
        for c in ast.walk(p):
            s = _const_str(c)
            if s and s.upper() in ("POST", "PUT", "PATCH", "DELETE"):
                return f"handles {s.upper()} requests"
    return ""


_WRITE_ANY = frozenset(
    {"save", "delete", "set_password", "bulk_create", "bulk_update", "asave", "adelete", "abulk_create",
     "abulk_update", "aset_password"}
)
_WRITE_QS = frozenset(
    {"create", "update", "get_or_create", "update_or_create", "acreate", "aupdate", "aget_or_create",
     "aupdate_or_create"}
)


def _receiver_is_queryset(node: ast.expr) -> bool:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and n.attr in ("objects", "filter", "exclude", "all", "select_for_update"):
            return True
    return False


#: Every reason :func:`_writes` gives starts at an attribute with one of these names
#: (``request.POST``, ``x.method == "POST"``, ``obj.save()``...).
_WRITE_TRIGGERS = frozenset({"POST", "FILES", "body", "data", "method"}) | _WRITE_ANY | _WRITE_QS


def _may_write(ctx: FileContext, func: ast.AST) -> bool:
    """Whether ``func`` has one of :data:`_WRITE_TRIGGERS` anywhere inside (else :func:`_writes`
    finds nothing). The functions that do are found once per file from the semantic model's index
    of attributes, instead of walking every function."""
    marked: set[int] | None = ctx.__dict__.get("_django_may_write")
    if marked is None:
        marked = set()
        semantic = ctx.semantic
        function_types = (ast.FunctionDef, ast.AsyncFunctionDef)
        for node in semantic.nodes_by_type.get(ast.Attribute, ()):
            if node.attr not in _WRITE_TRIGGERS:  # type: ignore[attr-defined]
                continue
            for anc in semantic.ancestors(node):
                if isinstance(anc, function_types):
                    if id(anc) in marked:
                        break  # its enclosing functions are marked already
                    marked.add(id(anc))
        ctx.__dict__["_django_may_write"] = marked
    return id(func) in marked


def _writes(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Why the function changes server state (a reason), or ''."""
    if not _may_write(ctx, func):
        return ""
    # ast.walk order (the first reason found is reported); every node tested below has children.
    for node in breadth_first(func, leaves=False):
        if node is func:
            continue
        if isinstance(node, ast.Attribute):
            reason = _is_request_data(node)
            if reason:
                return reason
        elif isinstance(node, ast.Compare):
            reason = _compares_unsafe_method(node)
            if reason:
                return reason
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in _WRITE_ANY or (attr in _WRITE_QS and _receiver_is_queryset(node.func.value)):
                return f"calls .{attr}()"
    return ""


def _decorator_names(ctx: FileContext, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[str]:
    names: list[str] = []
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        names.append(ctx.qualname(target) or "")
    return names


def _method_restriction(ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, bool]:
    """(reason the decorators allow unsafe methods, decorators restrict to safe methods)."""
    for dec in func.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = ctx.qualname(target) or ""
        short = name.rsplit(".", 1)[-1]
        if short in ("require_GET", "require_safe"):
            return "", True
        if short == "require_POST":
            return "accepts only POST (require_POST)", False
        if name.startswith("rest_framework."):
            # DRF views are csrf_exempt by construction; SessionAuthentication enforces CSRF itself.
            return "", True
        if short == "require_http_methods" and isinstance(dec, ast.Call) and dec.args:
            methods = ctx.const_value(dec.args[0], None)
            if isinstance(methods, (list, tuple, set, frozenset)):
                unsafe = sorted({str(m).upper() for m in methods} & {"POST", "PUT", "PATCH", "DELETE"})
                if unsafe:
                    return f"accepts {', '.join(unsafe)} ({short})", False
                return "", True
    return "", False


def _function_info(
    ctx: FileContext, func: ast.FunctionDef | ast.AsyncFunctionDef, inspect_body: bool
) -> FunctionInfo:
    a = func.args
    positional = [p.arg for p in [*a.posonlyargs, *a.args]]
    n_defaults = len(a.defaults)
    required = positional[: len(positional) - n_defaults] if n_defaults else positional
    kwonly = [p.arg for p in a.kwonlyargs]
    kw_required = [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is None]
    allowed, read_only = _method_restriction(ctx, func)
    writes = "" if read_only or not inspect_body else (allowed or _writes(ctx, func))
    return FunctionInfo(
        func.name,
        func.lineno,
        tuple(positional),
        tuple(required),
        tuple(kwonly),
        tuple(kw_required),
        a.vararg is not None,
        a.kwarg is not None,
        writes,
        read_only,
    )


def _is_csrf_exempt(ctx: FileContext, node: ast.AST) -> bool:
    return ctx.qualname(node) == CSRF_EXEMPT


def _method_decorator_exempts(ctx: FileContext, dec: ast.expr) -> tuple[bool, str | None]:
    """For ``method_decorator(csrf_exempt[, name=...])``: (applies csrf_exempt, name= value)."""
    if not (isinstance(dec, ast.Call) and ctx.qualname(dec.func) == METHOD_DECORATOR and dec.args):
        return False, None
    first = dec.args[0]
    items = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]
    if not any(_is_csrf_exempt(ctx, i) for i in items):
        return False, None
    name_node = ctx.keyword(dec, "name")
    if name_node is None and len(dec.args) > 1:
        name_node = dec.args[1]
    return True, _const_str(name_node) if name_node is not None else None


def _span_tuple(node: ast.AST) -> tuple[int, int, int, int]:
    line = getattr(node, "lineno", 1)
    return (
        line,
        getattr(node, "col_offset", 0),
        getattr(node, "end_lineno", None) or line,
        getattr(node, "end_col_offset", None) or 0,
    )


def _view_target(ctx: FileContext, arg: ast.expr) -> str | None:
    """The view a ``csrf_exempt(arg)`` call exempts: a function, or the class of ``X.as_view()``."""
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "as_view":
        return ctx.qualname(arg.func.value)
    return ctx.qualname(arg)


def _collect_views(
    ctx: FileContext, facts: DjangoFileFacts, *, mentions_django: bool, exempt_possible: bool, keep_functions: bool
) -> None:
    """``mentions_django``/``exempt_possible``: the source contains ``django``/``csrf_exempt``."""
    module = ctx.module
    # Only modules that mention Django can hold views worth judging (the body scan is the cost).
    inspect_body = mentions_django or exempt_possible
    for stmt in ctx.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if keep_functions:
                facts.functions[stmt.name] = _function_info(ctx, stmt, inspect_body)
            if not exempt_possible:
                continue
            for dec in stmt.decorator_list:
                if _is_csrf_exempt(ctx, dec):
                    facts.exempts.append(ExemptUse(f"{module}.{stmt.name}", *_span_tuple(dec), "decorator"))
        elif isinstance(stmt, ast.ClassDef):
            bases = tuple(ctx.qualname(b) or "" for b in stmt.bases)
            handlers: list[str] = []
            dispatch_writes = ""
            exempt_line = 0
            exempt_node: ast.AST | None = None
            for dec in stmt.decorator_list if exempt_possible else []:
                applies, name = _method_decorator_exempts(ctx, dec)
                if applies and name == "dispatch":
                    exempt_line, exempt_node = dec.lineno, dec
            for item in stmt.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                if item.name in _UNSAFE_METHODS:
                    handlers.append(item.name)
                if item.name == "dispatch" and inspect_body:
                    dispatch_writes = _writes(ctx, item)
                    for dec in item.decorator_list if exempt_possible else []:
                        applies, _ = _method_decorator_exempts(ctx, dec)
                        if applies or _is_csrf_exempt(ctx, dec):
                            exempt_line, exempt_node = dec.lineno, dec
            facts.classes[stmt.name] = ClassInfo(
                stmt.name, stmt.lineno, bases, tuple(handlers), dispatch_writes, exempt_line
            )
            if exempt_node is not None:
                facts.exempts.append(
                    ExemptUse(f"{module}.{stmt.name}", *_span_tuple(exempt_node), "method_decorator")
                )
    if not exempt_possible:
        return
    decorators: set[int] = set()
    for node in ctx.semantic.nodes_by_type.get(ast.FunctionDef, []) + ctx.semantic.nodes_by_type.get(
        ast.AsyncFunctionDef, []
    ) + ctx.semantic.nodes_by_type.get(ast.ClassDef, []):
        for dec in node.decorator_list:  # type: ignore[attr-defined]
            decorators.add(id(dec))
    for node in ctx.semantic.nodes_by_type.get(ast.Call, []):
        assert isinstance(node, ast.Call)
        if id(node) in decorators or not node.args or not _is_csrf_exempt(ctx, node.func):
            continue
        target = _view_target(ctx, node.args[0])
        if target:
            facts.exempts.append(ExemptUse(target, *_span_tuple(node), "call"))


def _pattern(node: ast.expr, ctx: FileContext, depth: int = 0) -> tuple[str, bool] | None:
    """A file pattern for an include argument: (pattern, exact); unknown parts become ``*``."""
    if depth > 10:
        return None
    value = ctx.const_value(node, None)
    if isinstance(value, str):
        return value, True
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        for item in node.values:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                parts.append(item.value)
            else:
                inner = ctx.const_value(item.value, None) if isinstance(item, ast.FormattedValue) else None
                parts.append(str(inner) if isinstance(inner, (str, int)) else "*")
        return "".join(parts), False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        left = ctx.const_value(node.left, None)
        if isinstance(left, str):
            return re.sub(r"%[-#0 +]*\d*(?:\.\d+)?[sdrif]", "*", left), False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left_p, right_p = _pattern(node.left, ctx, depth + 1), _pattern(node.right, ctx, depth + 1)
        lp = left_p[0] if left_p else "*"
        rp = right_p[0] if right_p else "*"
        return lp + rp, bool(left_p and right_p and left_p[1] and right_p[1])
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(ctx.const_value(node.func.value, None), str)
    ):
        return re.sub(r"\{[^{}]*\}", "*", ctx.const_value(node.func.value)), False
    return None


def _include_entries(ctx: FileContext, call: ast.Call, directory: str) -> Iterator[tuple[str, bool, bool]]:
    args: list[ast.expr] = []
    for arg in call.args:
        if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.Name):
            bound = _module_sequence(ctx, arg.value.id)
            args.extend(bound)
        elif not isinstance(arg, ast.Starred):
            args.append(arg)
    for arg in args:
        optional = False
        if isinstance(arg, ast.Call) and arg.args and ctx.call_name(arg) in SPLIT_SETTINGS_OPTIONAL:
            optional, arg = True, arg.args[0]
        found = _pattern(arg, ctx)
        if found is None:
            yield "*", optional, False
            continue
        pattern, exact = found
        full = posixpath.normpath(posixpath.join(directory, pattern)) if directory else posixpath.normpath(pattern)
        yield full, optional, exact


def _module_sequence(ctx: FileContext, name: str) -> list[ast.expr]:
    """The elements of a module-level ``NAME = (...)``/``[...]`` literal (last assignment)."""
    elements: list[ast.expr] = []
    for stmt in ctx.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == name
            and isinstance(stmt.value, (ast.Tuple, ast.List))
        ):
            elements = list(stmt.value.elts)
    return elements


def _include_calls(ctx: FileContext) -> dict[tuple[int, int], tuple[tuple[str, bool, bool], ...]]:
    """django-split-settings ``include(...)`` calls at module level, with their file patterns."""
    directory = ctx.path.rsplit("/", 1)[0] if "/" in ctx.path else ""
    found: dict[tuple[int, int], tuple[tuple[str, bool, bool], ...]] = {}
    for stmt in _walk_top(ctx.tree.body):
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            if ctx.call_name(call) in SPLIT_SETTINGS_INCLUDE:
                found[(call.lineno, call.col_offset)] = tuple(_include_entries(ctx, call, directory))
    return found


def collect_facts(ctx: FileContext) -> DjangoFileFacts:
    """The per-file Django facts of one module."""
    facts = DjangoFileFacts(ctx.path, ctx.module, ctx.abspath.endswith("__init__.py"))
    if "DJANGO_SETTINGS_MODULE" in ctx.source:
        facts.pointers = _collect_pointers(ctx)
    names: set[str] = set()
    top: set[str] = set()
    stars: list[str] = []
    for stmt in _walk_top(ctx.tree.body):
        for n in _assigned_names(stmt):
            top.add(n)
            if n in DJANGO_DEFAULTS or n in CORE_SETTINGS:
                names.add(n)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            top.add(stmt.name)
        elif isinstance(stmt, ast.Import):
            top.update((a.asname or a.name.split(".")[0]) for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom):
            target = ctx.semantic.resolve_relative(stmt.module, stmt.level)
            facts.import_targets[(stmt.lineno, stmt.col_offset)] = target
            for alias in stmt.names:
                if alias.name == "*":
                    stars.append(target)
                else:
                    top.add(alias.asname or alias.name)
    facts.setting_names = frozenset(names)
    facts.star_imports = tuple(stars)
    facts.top_names = frozenset(top)
    if "split_settings" in ctx.source:
        facts.includes = _include_calls(ctx)
    # Keep the statements (the bulk of the facts) only for modules that can be settings.
    settings_path = "settings" in ctx.path.lower() or "settings" in ctx.module.lower()
    if (
        (names & CORE_SETTINGS)
        or facts.includes
        or (settings_path and (names or stars))
        or (stars and names)
    ):
        facts.statements = list(ctx.tree.body)
    # Function signatures serve CSRF_FAILURE_VIEW and csrf_exempt targets only; names defined at
    # top level only the CSRF_FAILURE_VIEW check: neither is kept (nor computed) for other modules.
    mentions_django = "django" in ctx.source
    exempt_possible = "csrf_exempt" in ctx.source
    keep = facts.statements is not None or mentions_django or exempt_possible
    _collect_views(
        ctx, facts, mentions_django=mentions_django, exempt_possible=exempt_possible, keep_functions=keep
    )
    if not keep:
        facts.functions = {}
        facts.top_names = frozenset()
    return facts


# --------------------------------------------------------------------------------------------
# the settings interpreter


@dataclass(frozen=True)
class Ref:
    """An imported module, function or class outside the settings being interpreted."""

    qualname: str


@dataclass(frozen=True)
class EnvObject:
    """A django-environ ``Env`` (with its scheme) or a python-decouple config object."""

    library: str  # environ | decouple
    scheme: tuple[tuple[str, tuple[Any, ...]], ...] = ()


@dataclass(frozen=True)
class Bound:
    obj: Any
    attr: str


@dataclass(frozen=True)
class Binding:
    """The value a name has, and where it was (last) assigned."""

    value: Any
    module: str
    path: str
    line: int
    col: int = 0
    end_line: int = 0
    end_col: int = 0
    #: The environment read the assigned expression is, if it is one.
    env: EnvRead | None = None
    #: The statement depends on a condition pyward could not decide.
    conditional: bool = False

    @property
    def span(self) -> Span:
        return Span(self.path, self.line, self.col, self.end_line or self.line, self.end_col or None)


_BUILTIN_VALUES: dict[str, Any] = {
    "bool": bool,
    "int": int,
    "str": str,
    "float": float,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "set": set,
    "frozenset": frozenset,
    "len": len,
}
_SAFE_STR_METHODS = frozenset(
    {"lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "startswith", "endswith", "replace",
     "join", "format", "casefold", "title", "capitalize"}
)
_SAFE_DICT_METHODS = frozenset({"get", "copy", "keys", "values", "items"})
_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Mod: operator.mod,
    ast.BitOr: operator.or_,
    ast.FloorDiv: operator.floordiv,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_CMPOPS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_MAX_SIZE = 100_000


def _size_ok(value: Any) -> bool:
    try:
        return not isinstance(value, (str, bytes, list, tuple)) or len(value) <= _MAX_SIZE
    except TypeError:
        return True


class _ImportFailed(Exception):
    pass


class _Evaluator:
    """Evaluates expressions of one module against the current bindings."""

    def __init__(self, env: dict[str, Binding]) -> None:
        self.env = env
        self.reads: dict[int, EnvRead] = {}
        self.depth = 0

    def __call__(self, node: ast.expr | None) -> Any:
        if node is None:
            return UNKNOWN
        self.depth += 1
        try:
            if self.depth > 60:
                return UNKNOWN
            return self._eval(node)
        except RecursionError:
            return UNKNOWN
        finally:
            self.depth -= 1

    def _eval(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            b = self.env.get(node.id)
            if b is not None:
                return b.value
            return _BUILTIN_VALUES.get(node.id, UNKNOWN)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items: list[Any] = []
            for e in node.elts:
                if isinstance(e, ast.Starred):
                    inner = self(e.value)
                    if not isinstance(inner, (list, tuple, set, frozenset)):
                        return UNKNOWN
                    items.extend(inner)
                else:
                    v = self(e)
                    if v is UNKNOWN:
                        return UNKNOWN
                    items.append(v)
            if isinstance(node, ast.Tuple):
                return tuple(items)
            if isinstance(node, ast.Set):
                try:
                    return set(items)
                except TypeError:
                    return UNKNOWN
            return items
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for k, v in zip(node.keys, node.values, strict=True):
                if k is None:
                    inner = self(v)
                    if not isinstance(inner, dict):
                        return UNKNOWN
                    out.update(inner)
                    continue
                kv, vv = self(k), self(v)
                if kv is UNKNOWN:
                    return UNKNOWN
                try:
                    out[kv] = vv
                except TypeError:
                    return UNKNOWN
            return out
        if isinstance(node, ast.JoinedStr):
            parts: list[str] = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                elif isinstance(value, ast.FormattedValue):
                    inner = self(value.value)
                    if inner is UNKNOWN or value.format_spec is not None or isinstance(inner, (Ref, Bound)):
                        return UNKNOWN
                    if value.conversion == 114:
                        parts.append(repr(inner))
                    elif value.conversion == 97:
                        parts.append(ascii(inner))
                    else:
                        parts.append(str(inner))
                else:
                    return UNKNOWN
            return "".join(parts)
        if isinstance(node, ast.Attribute):
            base = self(node.value)
            if isinstance(base, Ref):
                if base.qualname == "django.utils.csp.CSP" and node.attr in CSP_CONSTANTS:
                    return CSP_CONSTANTS[node.attr]
                return Ref(f"{base.qualname}.{node.attr}")
            if base is UNKNOWN:
                return UNKNOWN
            return Bound(base, node.attr)
        if isinstance(node, ast.Subscript):
            base = self(node.value)
            if isinstance(base, Ref):
                read = read_env_subscript(base.qualname, node, self)
                if read is not None:
                    self.reads[id(node)] = read
                    return read.value
                return UNKNOWN
            index = self(node.slice) if not isinstance(node.slice, ast.Slice) else self._slice(node.slice)
            if base is UNKNOWN or index is UNKNOWN or isinstance(base, (Bound, EnvObject)):
                return UNKNOWN
            try:
                return base[index]
            except Exception:
                return UNKNOWN
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.BinOp):
            left, right = self(node.left), self(node.right)
            fn = _BINOPS.get(type(node.op))
            if fn is None or left is UNKNOWN or right is UNKNOWN:
                return UNKNOWN
            numbers = all(isinstance(x, (int, float)) for x in (left, right))
            small = (isinstance(left, int) and left < 1000) or (isinstance(right, int) and right < 1000)
            if isinstance(node.op, (ast.Mult, ast.Pow)) and not numbers and (
                isinstance(node.op, ast.Pow) or not small
            ):
                return UNKNOWN
            if isinstance(node.op, ast.Pow) and isinstance(right, int) and right > 64:
                return UNKNOWN
            try:
                result = fn(left, right)
            except Exception:
                return UNKNOWN
            return result if _size_ok(result) else UNKNOWN
        if isinstance(node, ast.UnaryOp):
            v = self(node.operand)
            if v is UNKNOWN:
                return UNKNOWN
            try:
                if isinstance(node.op, ast.Not):
                    return not v
                if isinstance(node.op, ast.USub):
                    return -v
                if isinstance(node.op, ast.UAdd):
                    return +v
            except Exception:
                return UNKNOWN
            return UNKNOWN
        if isinstance(node, ast.BoolOp):
            outcome: Any = UNKNOWN
            for i, value_node in enumerate(node.values):
                outcome = self(value_node)
                if outcome is UNKNOWN or isinstance(outcome, (Ref, Bound, EnvObject)):
                    return UNKNOWN
                last = i == len(node.values) - 1
                if not last and (bool(outcome) if isinstance(node.op, ast.Or) else not outcome):
                    return outcome
            return outcome
        if isinstance(node, ast.Compare):
            membership = self._environ_membership(node)
            if membership is not None:
                return membership
            left = self(node.left)
            for op, comp in zip(node.ops, node.comparators, strict=True):
                right = self(comp)
                if left is UNKNOWN or right is UNKNOWN or isinstance(left, (Ref, Bound)) or isinstance(right, (Ref, Bound)):
                    return UNKNOWN
                try:
                    ok = _CMPOPS[type(op)](left, right)
                except Exception:
                    return UNKNOWN
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            test = self(node.test)
            if test is UNKNOWN or isinstance(test, (Ref, Bound)):
                a, b = self(node.body), self(node.orelse)
                return a if a is not UNKNOWN and _same(a, b) else UNKNOWN
            return self(node.body) if test else self(node.orelse)
        return UNKNOWN

    def _environ_membership(self, node: ast.Compare) -> bool | None:
        """``"X" in os.environ``: False, as for every read judged with the variable unset."""
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.In, ast.NotIn)):
            return None
        container = self(node.comparators[0])
        if not isinstance(container, Ref):
            return None
        return environ_membership(container.qualname, self(node.left), isinstance(node.ops[0], ast.NotIn))

    def _slice(self, node: ast.Slice) -> Any:
        parts = [self(p) if p is not None else None for p in (node.lower, node.upper, node.step)]
        if any(p is UNKNOWN for p in parts):
            return UNKNOWN
        return slice(*parts)

    def _args(self, call: ast.Call) -> tuple[list[Any], dict[str, Any]] | None:
        args: list[Any] = []
        for a in call.args:
            if isinstance(a, ast.Starred):
                return None
            v = self(a)
            if v is UNKNOWN:
                return None
            args.append(v)
        kwargs: dict[str, Any] = {}
        for kw in call.keywords:
            if kw.arg is None:
                return None
            v = self(kw.value)
            if v is UNKNOWN:
                return None
            kwargs[kw.arg] = v
        return args, kwargs

    def _call(self, node: ast.Call) -> Any:
        callee = self(node.func)
        read: EnvRead | None = None
        if isinstance(callee, Ref):
            q = _normalise(callee.qualname)
            if q in ("environ.Env", "environ.FileAwareEnv"):
                scheme = environ_scheme(node, self)
                return EnvObject("environ", tuple(sorted(scheme.items())))
            if q in ("decouple.AutoConfig", "decouple.Config"):
                return EnvObject("decouple")
            if q == "decouple.Csv":
                cast_node = _arg_node(node, 0, "cast")
                delim_node = _arg_node(node, 1, "delimiter")
                post_node = _arg_node(node, 3, "post_process")
                cast = self(cast_node) if cast_node is not None else str
                delim = self(delim_node) if delim_node is not None else ","
                post = self(post_node) if post_node is not None else list
                if cast is UNKNOWN or not isinstance(delim, str):
                    return UNKNOWN
                return CsvCast(cast, delim, post)
            read = read_env_call(q, node, self)
        elif isinstance(callee, EnvObject):
            if callee.library == "environ":
                read = read_env_call("environ.Env", node, self, dict(callee.scheme))
            else:
                read = read_env_call("decouple.config", node, self)
        elif isinstance(callee, Bound):
            obj = callee.obj
            if isinstance(obj, EnvObject):
                if obj.library == "environ":
                    read = read_env_call(f"environ.Env.{callee.attr}", node, self, dict(obj.scheme))
                elif callee.attr in ("get", "__call__"):
                    read = read_env_call("decouple.config", node, self)
                if read is None:
                    return UNKNOWN
            elif (isinstance(obj, str) and callee.attr in _SAFE_STR_METHODS) or (
                isinstance(obj, dict) and callee.attr in _SAFE_DICT_METHODS
            ):
                parsed = self._args(node)
                if parsed is None:
                    return UNKNOWN
                try:
                    result = getattr(obj, callee.attr)(*parsed[0], **parsed[1])
                except Exception:
                    return UNKNOWN
                if isinstance(result, (type({}.keys()), type({}.values()), type({}.items()))):
                    result = list(result)
                return result if _size_ok(result) else UNKNOWN
            else:
                return UNKNOWN
        elif callee in (bool, int, str, float, list, tuple, set, frozenset, dict, len):
            parsed = self._args(node)
            if parsed is None or any(isinstance(a, (Ref, Bound, EnvObject)) for a in parsed[0]):
                return UNKNOWN
            try:
                result = callee(*parsed[0], **parsed[1])
            except Exception:
                return UNKNOWN
            return result if _size_ok(result) else UNKNOWN
        if read is not None:
            self.reads[id(node)] = read
            return read.value
        return UNKNOWN


def _where(b: Binding) -> tuple[str, int, int]:
    return (b.module, b.line, b.col)


def _arg_node(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """The argument expression for a parameter, by keyword or position."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def _normalise(qualname: str) -> str:
    if qualname.startswith("environ.environ."):
        return "environ." + qualname[len("environ.environ.") :]
    if qualname.startswith("decouple.decouple."):
        return "decouple." + qualname[len("decouple.decouple.") :]
    return qualname


def _same(a: Any, b: Any) -> bool:
    if a is UNKNOWN or b is UNKNOWN:
        return False
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


@dataclass
class ModuleResult:
    """The bindings a settings module ends with, and the modules it star-imported (transitively)."""

    bindings: dict[str, Binding]
    imported: tuple[str, ...]
    #: ``__all__`` when known, restricting ``import *``.
    exports: tuple[str, ...] | None = None
    #: Modules imported under ``try``/``except ImportError`` that are not in the project
    #: (``local.py`` kept out of version control): whatever they set is not seen.
    unseen: tuple[str, ...] = ()


class _Interpreter:
    """Interprets settings modules (memoised), following imports between project modules."""

    def __init__(self, index: _ModuleIndex) -> None:
        self.index = index
        self.memo: dict[str, ModuleResult] = {}
        self.running: set[str] = set()
        #: Inside a ``try`` body a failing import runs the handler; elsewhere it is ignored.
        self.try_depth = 0

    def run(self, module: str) -> ModuleResult | None:
        if module in self.memo:
            return self.memo[module]
        facts = self.index.by_module.get(module)
        if facts is None or facts.statements is None or module in self.running:
            return None
        self.running.add(module)
        outer_try_depth, self.try_depth = self.try_depth, 0  # a module's own try blocks only
        try:
            env: dict[str, Binding] = {}
            imported: list[str] = []
            self._block(facts, facts.statements, env, imported, conditional=False)
            all_names = env.get("__all__")
            exports = None
            if all_names is not None and isinstance(all_names.value, (list, tuple)):
                exports = tuple(str(x) for x in all_names.value)
            seen = tuple(dict.fromkeys(m for m in imported if not m.startswith("?")))
            unseen = tuple(dict.fromkeys(m[1:] for m in imported if m.startswith("?")))
            result = ModuleResult(env, seen, exports, unseen)
        finally:
            self.running.discard(module)
            self.try_depth = outer_try_depth
        self.memo[module] = result
        return result

    # statements --------------------------------------------------------------------------
    def _block(
        self,
        facts: DjangoFileFacts,
        body: Sequence[ast.stmt],
        env: dict[str, Binding],
        imported: list[str],
        conditional: bool,
    ) -> None:
        for stmt in body:
            self._stmt(facts, stmt, env, imported, conditional)

    def _bind(
        self, facts: DjangoFileFacts, env: dict[str, Binding], name: str, value: Any, node: ast.AST,
        read: EnvRead | None, conditional: bool,
    ) -> None:
        line, col, end_line, end_col = _span_tuple(node)
        env[name] = Binding(value, facts.module, facts.path, line, col, end_line, end_col, read, conditional)

    def _stmt(
        self,
        facts: DjangoFileFacts,
        stmt: ast.stmt,
        env: dict[str, Binding],
        imported: list[str],
        conditional: bool,
    ) -> None:
        ev = _Evaluator(env)
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _touches_globals(stmt):
            # globals().update(...), exec(...), namespace.update_globals(): any setting may be set
            # here, those assigned before included.
            for name, previous in list(env.items()):
                if _UPPER.match(name):
                    env[name] = replace(previous, value=UNKNOWN, env=None)
            self._bind(facts, env, DYNAMIC, True, stmt, None, conditional)
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            value_node = stmt.value
            if value_node is None:
                return
            value = ev(value_node)
            read = ev.reads.get(id(value_node))
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                self._assign(facts, env, target, value, stmt, read, conditional, ev)
        elif isinstance(stmt, ast.AugAssign):
            if isinstance(stmt.target, ast.Name):
                old = env.get(stmt.target.id)
                right = ev(stmt.value)
                fn = _BINOPS.get(type(stmt.op))
                new: Any = UNKNOWN
                if old is not None and old.value is not UNKNOWN and right is not UNKNOWN and fn is not None:
                    try:
                        if isinstance(old.value, list) and isinstance(stmt.op, ast.Add):
                            new = [*old.value, *right]
                        else:
                            new = fn(old.value, right)
                    except Exception:
                        new = UNKNOWN
                if old is not None:
                    env[stmt.target.id] = replace(old, value=new, conditional=old.conditional or conditional)
                else:
                    self._bind(facts, env, stmt.target.id, UNKNOWN, stmt, None, conditional)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            callee = ev(stmt.value.func)
            if isinstance(callee, Ref) and callee.qualname in SPLIT_SETTINGS_INCLUDE:
                self._split_settings_include(facts, stmt.value, env, imported, conditional, ev)
            else:
                self._mutating_call(stmt.value, env, ev, conditional)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    self._bind(facts, env, alias.asname, Ref(alias.name), stmt, None, conditional)
                else:
                    top = alias.name.split(".")[0]
                    self._bind(facts, env, top, Ref(top), stmt, None, conditional)
        elif isinstance(stmt, ast.ImportFrom):
            source = facts.import_targets.get((stmt.lineno, stmt.col_offset), stmt.module or "")
            self._import_from(facts, stmt, source, env, imported, conditional)
        elif isinstance(stmt, ast.If):
            test = ev(stmt.test)
            if test is UNKNOWN or isinstance(test, (Ref, Bound, EnvObject)):
                self._branches([(facts, stmt.body), (facts, stmt.orelse)], env, imported)
            else:
                self._block(facts, stmt.body if test else stmt.orelse, env, imported, conditional)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            try_stmt: Any = stmt
            snapshot = dict(env)
            self.try_depth += 1
            try:
                self._block(facts, try_stmt.body, env, imported, conditional)
            except _ImportFailed as failed:
                self.try_depth -= 1
                imported.append("?" + str(failed.args[0]))
                handled = False
                for handler in try_stmt.handlers:
                    names = []
                    if handler.type is None:
                        names = ["Exception"]
                    else:
                        nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                        names = [n.id if isinstance(n, ast.Name) else getattr(n, "attr", "") for n in nodes]
                    if set(names) & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}:
                        env.clear()
                        env.update(snapshot)  # the failing import stops the body at its start: approximate
                        self._block(facts, handler.body, env, imported, conditional)
                        handled = True
                        break
                if not handled:
                    raise
            else:
                self.try_depth -= 1
                self._block(facts, try_stmt.orelse, env, imported, conditional)
            self._block(facts, try_stmt.finalbody, env, imported, conditional)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self._bind(facts, env, stmt.name, UNKNOWN, stmt, None, conditional)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)):
            # Loops and with-blocks: whatever they assign becomes unknown.
            for inner in ast.walk(stmt):
                if isinstance(inner, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                    for name in _assigned_names(inner):
                        self._bind(facts, env, name, UNKNOWN, inner, None, True)
                elif (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and isinstance(inner.func.value, ast.Name)
                    and inner.func.attr in ("append", "extend", "insert", "remove", "update", "pop", "clear")
                ):
                    old = env.get(inner.func.value.id)
                    if old is not None:
                        env[inner.func.value.id] = replace(old, value=UNKNOWN, conditional=True)

    def _branches(
        self,
        bodies: list[tuple[DjangoFileFacts, list[ast.stmt]]],
        env: dict[str, Binding],
        imported: list[str],
    ) -> None:
        """Run each branch on a copy; names whose value differs between branches become unknown."""
        results: list[dict[str, Binding]] = []
        for facts, body in bodies:
            branch = {k: replace(v, value=copy.deepcopy(v.value)) for k, v in env.items()}
            try:
                self._block(facts, body, branch, imported, conditional=True)
            except _ImportFailed:
                branch = {k: replace(v, value=copy.deepcopy(v.value)) for k, v in env.items()}
            results.append(branch)
        names: set[str] = set()
        for r in results:
            names.update(r)
        for name in sorted(names):
            versions = [r.get(name) for r in results]
            first = versions[0]
            if first is not None and all(v is not None and _same(first.value, v.value) for v in versions):
                env[name] = first
                continue
            before = env.get(name)
            changed = [v for v in versions if v is not None and (before is None or _where(v) != _where(before))]
            chosen = changed[0] if changed else next(v for v in versions if v is not None)
            env[name] = replace(chosen, value=UNKNOWN, conditional=True, env=None)

    def _assign(
        self,
        facts: DjangoFileFacts,
        env: dict[str, Binding],
        target: ast.expr,
        value: Any,
        stmt: ast.stmt,
        read: EnvRead | None,
        conditional: bool,
        ev: _Evaluator,
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(facts, env, target.id, value, stmt, read, conditional)
        elif isinstance(target, (ast.Tuple, ast.List)):
            values: list[Any] | None = None
            if isinstance(value, (list, tuple)) and len(value) == len(target.elts):
                values = list(value)
            for i, elt in enumerate(target.elts):
                inner = values[i] if values is not None else UNKNOWN
                if isinstance(elt, ast.Starred):
                    elt, inner = elt.value, UNKNOWN
                self._assign(facts, env, elt, inner, stmt, None, conditional, ev)
        elif isinstance(target, ast.Subscript):
            root = target
            while isinstance(root, ast.Subscript):
                root = root.value  # type: ignore[assignment]
            if isinstance(root, ast.Name) and root.id in env:
                old = env[root.id]
                container = ev(target.value)
                index = ev(target.slice)
                if isinstance(container, (dict, list)) and index is not UNKNOWN:
                    try:
                        container[index] = value
                        return
                    except Exception:
                        pass
                env[root.id] = replace(old, value=UNKNOWN)

    def _split_settings_include(
        self,
        facts: DjangoFileFacts,
        call: ast.Call,
        env: dict[str, Binding],
        imported: list[str],
        conditional: bool,
        ev: _Evaluator,
    ) -> None:
        """django-split-settings ``include(...)``: each file runs in this module's globals, in
        order (a glob's matches sorted). A pattern computed at run time (``environments/{env}.py``)
        may pick any matching file: each is run as a branch, and what differs becomes unknown."""
        entries = facts.includes.get((call.lineno, call.col_offset))
        if entries is None:
            self._bind(facts, env, DYNAMIC, True, call, None, conditional)
            return
        for pattern, optional, exact in entries:
            matches = [
                self.index.by_path[p]
                for p in sorted(self.index.by_path)
                if p != facts.path and fnmatch.fnmatchcase(p, pattern)
            ]
            runnable = [m for m in matches if m.statements is not None and m.module not in self.running]
            if not matches:
                if optional:
                    imported.append("?" + pattern)
                else:
                    self._bind(facts, env, DYNAMIC, True, call, None, conditional)
                continue
            for m in runnable:
                imported.append(m.module)
            self.running.update(m.module for m in runnable)
            outer_try_depth, self.try_depth = self.try_depth, 0
            try:
                if exact:
                    for m in runnable:
                        assert m.statements is not None
                        self._block(m, m.statements, env, imported, conditional)
                else:
                    branches = [(m, list(m.statements or [])) for m in runnable]
                    if optional:
                        branches.append((facts, []))
                    self._branches(branches, env, imported)
            finally:
                self.running.difference_update(m.module for m in runnable)
                self.try_depth = outer_try_depth

    def _mutating_call(self, call: ast.Call, env: dict[str, Binding], ev: _Evaluator, conditional: bool) -> None:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        root = func.value
        while isinstance(root, (ast.Subscript, ast.Attribute)):
            root = root.value
        if not isinstance(root, ast.Name) or root.id not in env:
            return
        old = env[root.id]
        obj = ev(func.value)
        method = func.attr
        if isinstance(obj, list) and method in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"):
            parsed = ev._args(call)
            if parsed is not None:
                try:
                    getattr(obj, method)(*parsed[0], **parsed[1])
                    if conditional:
                        env[root.id] = replace(old, conditional=True)
                    return
                except Exception:
                    pass
            env[root.id] = replace(old, value=UNKNOWN)
        elif isinstance(obj, dict) and method in ("update", "setdefault", "pop", "clear"):
            parsed = ev._args(call)
            if parsed is not None:
                try:
                    getattr(obj, method)(*parsed[0], **parsed[1])
                    return
                except Exception:
                    pass
            env[root.id] = replace(old, value=UNKNOWN)

    def _import_from(
        self,
        facts: DjangoFileFacts,
        stmt: ast.ImportFrom,
        target: str,
        env: dict[str, Binding],
        imported: list[str],
        conditional: bool,
    ) -> None:
        found = self.index.find(target)
        result = self.run(found.module) if found is not None else None
        star = any(a.name == "*" for a in stmt.names)
        if found is None and self.try_depth > 0 and (star or _looks_local(target, facts.module)):
            raise _ImportFailed(target)
        if result is None:
            if star:
                return
            for alias in stmt.names:
                local = alias.asname or alias.name
                sub = self.index.find(f"{target}.{alias.name}")
                sub_result = self.run(sub.module) if sub is not None else None
                if sub_result is not None:
                    imported.append(sub.module if sub else "")
                self._bind(facts, env, local, Ref(f"{target}.{alias.name}"), stmt, None, conditional)
            return
        assert found is not None
        imported.append(found.module)
        imported.extend(result.imported)
        imported.extend("?" + m for m in result.unseen)
        if star:
            names = list(result.exports) if result.exports is not None else [
                n for n in result.bindings if not n.startswith("_")
            ]
            if DYNAMIC in result.bindings:
                names.append(DYNAMIC)  # what the module set dynamically is exported too
            for name in names:
                b = result.bindings.get(name)
                if b is not None:
                    env[name] = replace(
                        b, value=copy.deepcopy(b.value), conditional=b.conditional or conditional
                    )
            return
        for alias in stmt.names:
            local = alias.asname or alias.name
            b = result.bindings.get(alias.name)
            if b is not None:
                env[local] = replace(b, value=copy.deepcopy(b.value), conditional=b.conditional or conditional)
            else:
                self._bind(facts, env, local, Ref(f"{target}.{alias.name}"), stmt, None, conditional)


SPLIT_SETTINGS_INCLUDE = frozenset({"split_settings.tools.include"})
SPLIT_SETTINGS_OPTIONAL = frozenset({"split_settings.tools.optional"})

#: Bound when a statement may set module globals pyward cannot see (the settings it does not
#: bind are then unknown rather than Django's defaults).
DYNAMIC = "__pyward_dynamic_globals__"


def _touches_globals(stmt: ast.stmt) -> bool:
    for node in ast.walk(stmt):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and (
            func.id in ("globals", "exec") or (func.id in ("vars", "locals", "setattr") and node.args)
        ):
            return True
        if isinstance(func, ast.Attribute) and "globals" in func.attr.lower():
            return True
    return False


def _looks_local(target: str, module: str) -> bool:
    """An import of a module of the same top-level package as ``module`` (``.local_settings``)."""
    return target.split(".", 1)[0] == module.split(".", 1)[0]


# --------------------------------------------------------------------------------------------
# module index and roles


class _ModuleIndex:
    """Finds project modules by dotted name, tolerating a missing source root in module names."""

    def __init__(self, facts: Iterable[DjangoFileFacts]) -> None:
        self.by_path: dict[str, DjangoFileFacts] = {}
        self.by_module: dict[str, DjangoFileFacts] = {}
        self.by_suffix: dict[str, list[DjangoFileFacts]] = {}
        for f in facts:
            self.by_path[f.path] = f
            self.by_module.setdefault(f.module, f)
            path = f.path[:-3] if f.path.endswith(".py") else f.path
            parts = path.split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for i in range(len(parts)):
                self.by_suffix.setdefault(".".join(parts[i:]), []).append(f)

    def find(self, dotted: str) -> DjangoFileFacts | None:
        if not dotted:
            return None
        exact = self.by_module.get(dotted)
        if exact is not None:
            return exact
        candidates = self.by_suffix.get(dotted, [])
        if not candidates:
            return None
        return sorted(candidates, key=lambda f: (f.path.count("/"), f.path))[0]


@dataclass(frozen=True)
class Role:
    kind: str  # production | development | in-effect | base
    reason: str

    @property
    def checked(self) -> bool:
        return self.kind in ("production", "in-effect")


def _name_words(module: str) -> list[str]:
    last = module.rsplit(".", 1)[-1]
    return [w for w in re.split(r"[_\-]", last.lower()) if w]


#: Directories (packages or plain folders) whose settings are for tests, examples or development.
_DEV_DIRS = frozenset(
    {
        "test", "tests", "testing", "testproject", "test_project", "testapp", "test_app", "testsite",
        "example", "examples", "example_project", "demo", "demos", "sample", "samples", "sandbox",
        "docs", "dev", "development", "local", "ci", "fixtures",
    }
)


def name_role(module: str, path: str = "") -> tuple[str, str] | None:
    """(``production``/``development``, why) from a module's name and folders, else None.

    The last part of the module name decides (``settings_dev``, ``prod``, ``local``); a settings
    module inside a ``tests``/``example``/``demo``/``sandbox`` folder is development too.
    """
    words = _name_words(module)
    last = module.rsplit(".", 1)[-1].lower()
    if last in _DEV_WORDS or any(w in _DEV_WORDS for w in words):
        return "development", "its name says development/test"
    folders = [*module.lower().split(".")[:-1], *path.lower().split("/")[:-1]]
    dev_folder = next((f for f in folders if f in _DEV_DIRS), None)
    if dev_folder is not None:
        return "development", f"it lives in a `{dev_folder}` folder (tests/examples)"
    if last in _PROD_WORDS or any(w in _PROD_WORDS for w in words):
        return "production", "its name says production"
    return None


# --------------------------------------------------------------------------------------------
# what rules see


class SettingsView:
    """The settings in effect for one checked module, with where each value came from."""

    def __init__(
        self,
        module: str,
        path: str,
        role: Role,
        bindings: dict[str, Binding],
        chain: tuple[str, ...],
        index: _ModuleIndex,
    ) -> None:
        self.module = module
        self.path = path
        self.role = role
        self.bindings = bindings
        self.chain = chain
        self._index = index

    # values -------------------------------------------------------------------------------
    def binding(self, name: str) -> Binding | None:
        return self.bindings.get(name)

    def is_set(self, name: str) -> bool:
        return name in self.bindings

    @property
    def dynamic(self) -> bool:
        """The settings run code that may set any global (``globals().update(...)``)."""
        return DYNAMIC in self.bindings

    def value(self, name: str) -> Any:
        """The setting's value: assigned, else Django's default (UNKNOWN if neither is known, or
        when the module sets globals dynamically)."""
        b = self.bindings.get(name)
        if b is not None:
            return b.value
        if self.dynamic:
            return UNKNOWN
        return copy.deepcopy(DJANGO_DEFAULTS.get(name, UNKNOWN))

    def known(self, name: str) -> bool:
        v = self.value(name)
        return v is not UNKNOWN and not isinstance(v, (Ref, Bound, EnvObject))

    def span(self, name: str) -> Span:
        """The assignment of ``name``, or line 1 of the checked module when it is not set."""
        b = self.bindings.get(name)
        return b.span if b is not None else Span(self.path, 1)

    def where(self, name: str) -> str:
        b = self.bindings.get(name)
        if b is None:
            modules = " or the modules it imports" if len(self.chain) > 1 else ""
            return f"not set in `{self.module}`{modules} (Django's default applies)"
        if b.module != self.module:
            return f"set in `{b.module}` line {b.line}"
        return f"line {b.line}"

    # lists --------------------------------------------------------------------------------
    def list_value(self, name: str) -> list[Any] | None:
        v = self.value(name)
        if isinstance(v, (list, tuple)):
            return list(v)
        return None

    def middleware_present(self, dotted: str) -> bool | None:
        """Whether MIDDLEWARE holds ``dotted`` or a project subclass of it (None: unknown)."""
        items = self.list_value("MIDDLEWARE")
        if items is None:
            return None
        if any(not isinstance(i, str) for i in items):
            return None if dotted not in items else True
        return any(i == dotted or self.is_subclass(i, dotted) for i in items)

    def middleware_exact(self, dotted: str) -> bool | None:
        items = self.list_value("MIDDLEWARE")
        return None if items is None else dotted in items

    def is_subclass(self, dotted: str, base: str, depth: int = 0) -> bool:
        """Whether the class ``dotted`` (a project class) derives from ``base``."""
        if depth > 20 or "." not in dotted:
            return False
        module, _, name = dotted.rpartition(".")
        facts = self._index.find(module)
        if facts is None:
            return False
        info = facts.classes.get(name)
        if info is None:
            return False
        for b in info.bases:
            if not b:
                continue
            if b == base or self.is_subclass(b, base, depth + 1):
                return True
        return False

    def function(self, dotted: str) -> tuple[str, FunctionInfo | None, bool]:
        """Resolve ``module.func``: (status, info, module in project). Status: found/missing/unknown."""
        if "." not in dotted:
            return "unknown", None, False
        module, _, name = dotted.rpartition(".")
        facts = self._index.find(module)
        if facts is None:
            return "unknown", None, False
        if name in facts.functions:
            return "found", facts.functions[name], True
        if name in facts.classes or name in facts.top_names:
            return "unknown", None, True
        return "missing", None, True


# --------------------------------------------------------------------------------------------
# the analysis


@dataclass
class _Settings:
    module: str
    facts: DjangoFileFacts
    role: Role
    imported_by: list[str] = field(default_factory=list)
    #: Optional imports (``try: from .local import *``) of modules not in the project.
    unseen: tuple[str, ...] = ()
    #: The settings set globals dynamically (``globals().update(...)``).
    dynamic: bool = False


class DjangoAnalysis(Analysis):
    """Django settings and CSRF-exemption audit (rules PWC501-PWC599)."""

    name: ClassVar[str] = "django"

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        return PerFileOutput(data=collect_facts(ctx))

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        facts = [
            f.data.get(self.name)
            for f in project.files
            if isinstance(f.data.get(self.name), DjangoFileFacts)
        ]
        all_facts: list[DjangoFileFacts] = [f for f in facts if f is not None]
        index = _ModuleIndex(all_facts)
        settings = resolve_settings(all_facts, index)
        interp = _Interpreter(index)
        from pyward.rules.config.base import DjangoRule

        rules = [r() for r in self.rules if issubclass(r, DjangoRule)]
        merged: dict[tuple[str, str, int, int], tuple[Finding, list[str]]] = {}
        order: list[tuple[str, str, int, int]] = []
        for module in sorted(settings):
            entry = settings[module]
            result = interp.run(module)
            if result is None:
                continue
            entry.unseen = result.unseen
            entry.dynamic = DYNAMIC in result.bindings
            chain = (module, *result.imported)
            view = SettingsView(module, entry.facts.path, entry.role, result.bindings, chain, index)
            for rule in rules:
                if rule.production_only and not entry.role.checked:
                    continue
                for finding in rule.check_settings(view):
                    if result.unseen and finding.span.path == entry.facts.path and finding.span.line == 1:
                        # A missing setting may come from a module kept out of the tree.
                        unseen = ", ".join(f"`{m}`" for m in result.unseen)
                        finding = replace(
                            finding,
                            message=f"{finding.message} (unless {unseen}, imported when present but not in the "
                            "scanned tree, sets it)",
                            confidence=Confidence(min(int(finding.confidence), int(Confidence.MEDIUM))),
                        )
                    key = (finding.code, finding.span.path, finding.span.line, finding.span.col)
                    if key in merged:
                        merged[key][1].append(module)
                    else:
                        merged[key] = (finding, [module])
                        order.append(key)
        out: list[Finding] = []
        for key in order:
            finding, modules = merged[key]
            roles = {m: settings[m].role.kind for m in modules}
            where = ", ".join(f"`{m}` ({roles[m]})" for m in modules)
            label = "settings module" if len(modules) == 1 else "settings modules"
            props = dict(finding.properties)
            props.update(
                settings_modules=list(modules),
                roles=roles,
                chains={m: list((m, *(interp.memo[m].imported if m in interp.memo else ()))) for m in modules},
            )
            out.append(replace(finding, message=f"{finding.message} [{label} {where}]", properties=props))
        for rule in rules:
            out.extend(rule.check_project(all_facts, index, settings))
        hints = {r.meta.code: r.fix_hint for r in rules if r.fix_hint}
        return [
            replace(f, fix=Fix(hints[f.code])) if f.fix is None and f.code in hints else f for f in out
        ]


def resolve_settings(facts: Sequence[DjangoFileFacts], index: _ModuleIndex) -> dict[str, _Settings]:
    """Every settings module of the project with its role."""
    pointers: dict[str, list[Pointer]] = {}
    for f in facts:
        for p in f.pointers:
            target = index.find(p.target)
            if target is not None and target.statements is not None:
                pointers.setdefault(target.module, []).append(p)
    candidates: dict[str, DjangoFileFacts] = {}
    for f in facts:
        if f.statements is None:
            continue
        core = f.setting_names & CORE_SETTINGS
        if f.module.rsplit(".", 1)[-1] == "global_settings" and f.module not in pointers:
            continue  # Django's defaults (django/conf/global_settings.py, or a vendored copy)
        settings_named = "settings" in f.module.lower() or "settings" in f.path.lower()
        if f.module in pointers or (core and (settings_named or len(core) >= 2)) or (f.includes and settings_named):
            candidates[f.module] = f
    # modules that star-import settings are settings too (``prod.py``: ``from .base import *``)
    changed = True
    while changed:
        changed = False
        for f in facts:
            if f.statements is None or f.module in candidates:
                continue
            for star in f.star_imports:
                found = index.find(star)
                if found is not None and found.module in candidates:
                    candidates[f.module] = f
                    changed = True
                    break
    # close over star imports (and split-settings includes) between project modules
    work = list(candidates)
    imported_by: dict[str, list[str]] = {}
    included_by: dict[str, list[str]] = {}
    while work:
        module = work.pop()
        included = [
            m.module
            for entries in candidates[module].includes.values()
            for pattern, _optional, _exact in entries
            for path, m in sorted(index.by_path.items())
            if path != candidates[module].path and fnmatch.fnmatchcase(path, pattern)
        ]
        for name in included:
            included_by.setdefault(name, []).append(module)
        for star in [*candidates[module].star_imports, *included]:
            found = index.find(star)
            if found is None or found.statements is None:
                continue
            imported_by.setdefault(found.module, []).append(module)
            if found.module not in candidates:
                candidates[found.module] = found
                work.append(found.module)
    # a star-importing module whose settings come only from others is still a settings module
    result: dict[str, _Settings] = {}
    any_pointer = bool(pointers)
    for module, f in candidates.items():
        if module in included_by and module not in pointers:
            includers = ", ".join(sorted(set(included_by[module])))
            role = Role("base", f"included by {includers} (django-split-settings)")
        else:
            role = _role(module, f, pointers.get(module, []), imported_by.get(module, []), any_pointer)
        result[module] = _Settings(module, f, role, sorted(set(imported_by.get(module, []))))
    return result


def _role(
    module: str, f: DjangoFileFacts, pointers: list[Pointer], importers: list[str], any_pointer: bool
) -> Role:
    serving = [p for p in pointers if p.origin in ("wsgi", "asgi")]
    named = name_role(module, f.path)
    by_name = named[0] if named else None
    if serving and named is not None and named[0] == "development":
        serving_in_dev = [p for p in serving if any(d in _DEV_DIRS for d in p.path.lower().split("/")[:-1])]
        if len(serving_in_dev) == len(serving):
            return Role("development", f"{named[1]}, and the wsgi/asgi module serving it is there too")
    if serving:
        files = ", ".join(sorted({p.path for p in serving}))
        how = "default DJANGO_SETTINGS_MODULE" if all(p.default_only for p in serving) else "DJANGO_SETTINGS_MODULE"
        note = ""
        if by_name == "development":
            note = " although its name says development (it is served unless the environment names other settings)"
        return Role("production", f"{files} make(s) it the {how}{note}")
    if named is not None:
        return Role(named[0], named[1])
    if pointers:
        files = ", ".join(sorted({p.path for p in pointers}))
        return Role("in-effect", f"{files} make(s) it the DJANGO_SETTINGS_MODULE")
    if importers:
        return Role("base", "other settings modules import it (" + ", ".join(sorted(set(importers))) + ")")
    if not any_pointer:
        return Role("in-effect", "no DJANGO_SETTINGS_MODULE points elsewhere")
    return Role("in-effect", "a settings module nothing points at; checked as deployed")


# --------------------------------------------------------------------------------------------
# documentation: the check --deploy mapping table

#: What each Django security check tests (Django 5.2), in our words, for the mapping table.
DJANGO_CHECKS: dict[str, str] = {
    "security.W001": "`SecurityMiddleware` is not in `MIDDLEWARE` (exact string)",
    "security.W002": "`XFrameOptionsMiddleware` is not in `MIDDLEWARE` (exact string)",
    "security.W003": "`CsrfViewMiddleware` is not in `MIDDLEWARE` (exact string)",
    "security.W004": "security middleware on, `SECURE_HSTS_SECONDS` falsy",
    "security.W005": "HSTS on, `SECURE_HSTS_INCLUDE_SUBDOMAINS` is not `True`",
    "security.W006": "security middleware on, `SECURE_CONTENT_TYPE_NOSNIFF` is not `True`",
    "security.W008": "security middleware on, `SECURE_SSL_REDIRECT` is not `True`",
    "security.W009": "`SECRET_KEY` missing, < 50 characters, < 5 distinct characters or `django-insecure-`",
    "security.W010": "`django.contrib.sessions` installed, `SESSION_COOKIE_SECURE` is not `True`",
    "security.W011": "`SessionMiddleware` enabled, `SESSION_COOKIE_SECURE` is not `True`",
    "security.W012": "both of W010/W011 (reported instead of them)",
    "security.W013": "`django.contrib.sessions` installed, `SESSION_COOKIE_HTTPONLY` is not `True`",
    "security.W014": "`SessionMiddleware` enabled, `SESSION_COOKIE_HTTPONLY` is not `True`",
    "security.W015": "both of W013/W014 (reported instead of them)",
    "security.W016": "CSRF middleware on, no `CSRF_USE_SESSIONS`, `CSRF_COOKIE_SECURE` is not `True`",
    "security.W018": "`DEBUG` truthy",
    "security.W019": "X-Frame-Options middleware on, `X_FRAME_OPTIONS` is not `'DENY'`",
    "security.W020": "`ALLOWED_HOSTS` empty",
    "security.W021": "HSTS on, `SECURE_HSTS_PRELOAD` is not `True`",
    "security.W022": "security middleware on, `SECURE_REFERRER_POLICY` is `None`",
    "security.E023": "security middleware on, `SECURE_REFERRER_POLICY` has an unknown token",
    "security.E024": "security middleware on, `SECURE_CROSS_ORIGIN_OPENER_POLICY` has an unknown value",
    "security.W025": "a `SECRET_KEY_FALLBACKS` entry fails the W009 test",
    "security.E101": "`CSRF_FAILURE_VIEW` does not accept `(request, reason=...)`",
    "security.E102": "`CSRF_FAILURE_VIEW` cannot be imported",
    "security.E026": "(Django 6.0+) `SECURE_CSP` or `SECURE_CSP_REPORT_ONLY` is not a dict",
    "security.W027": "(Django 6.0+) CSP middleware on, a policy uses `CSP.NONCE`, no template backend has "
    "the `csp` context processor",
}

#: Notes on where pyward deliberately differs, by pyward code.
PARITY_NOTES: dict[str, str] = {
    "PWC501": "a project subclass of the middleware counts as present (Django requires the exact path)",
    "PWC502": "a project subclass of the middleware counts as present",
    "PWC503": "a project subclass of the middleware counts as present",
    "PWC505": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC506": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC507": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC508": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC511": "a non-empty string (truthy, so on at run time) is reported at low severity; a project "
    "subclass of SessionMiddleware counts as SessionMiddleware",
    "PWC512": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC513": "a non-empty string (truthy, so on at run time) is reported at low severity",
    "PWC509": "a key read from the environment is judged on its default; no default: not reported",
    "PWC514": "judged on the default of an environment read: `os.getenv('DEBUG', 'False')` is truthy",
    "PWC520": "only views defined in the project are judged; Django 5.2 and 6.1 crash with "
    "ViewDoesNotExist (not an ImportError) on a missing view instead of reporting E102",
    "PWC521": "also reported when the installed Django is older than 6.0 (the setting is then ignored)",
    "PWC522": "also reported when the installed Django is older than 6.0",
}


def check_deploy_markdown(rules: Sequence[type[Rule]]) -> str:
    """``docs/django-check-deploy.md``: Django check ids mapped to pyward rules, and the extras."""
    by_code = {r.meta.code: r for r in rules}
    lines = [
        "# `manage.py check --deploy` and pyward",
        "",
        "Every security check of Django's `check --deploy` (Django 5.2 and 6.1: `django/core/checks/security/`) has",
        "a pyward rule with the same meaning, evaluated statically on the settings in effect (settings",
        "chains followed, values read from the environment judged on their defaults). The parity test",
        "`tests/frameworks/test_django_parity.py` runs the real `check --deploy` on the fixture settings",
        "in `tests/fixtures/projects/django_parity/` and asserts pyward reports exactly the mapped set.",
        "",
        "This file is generated from `pyward.frameworks.django.DJANGO_CHECK_MAP` by the parity test",
        "(`PYWARD_UPDATE_DOCS=1 pytest tests/frameworks/test_django_parity.py`).",
        "",
        "| Django id | Django checks | pyward | rule | difference |",
        "|---|---|---|---|---|",
    ]
    for django_id, code in DJANGO_CHECK_MAP.items():
        rule = by_code.get(code)
        name = rule.meta.name if rule is not None else "?"
        lines.append(
            f"| `{django_id}` | {DJANGO_CHECKS.get(django_id, '')} | `{code}` | `{name}` | "
            f"{PARITY_NOTES.get(code, '')} |"
        )
    lines += [
        "",
        "Settings checks are applied to *production* and *in-effect* settings modules; *development*",
        "modules (`dev`, `local`, `test`, `ci`...) are not checked for deployment settings, and *base*",
        "modules are checked through the modules that import them. `PWC599` says which module was",
        "judged what.",
        "",
        "## pyward checks beyond `check --deploy`",
        "",
        "| pyward | rule | what |",
        "|---|---|---|",
    ]
    mapped = set(DJANGO_CHECK_MAP.values())
    for rule in sorted(rules, key=lambda r: r.meta.code):
        code = rule.meta.code
        if code.startswith("PWC5") and code not in mapped:
            lines.append(f"| `{code}` | `{rule.meta.name}` | {rule.meta.summary} |")
    return "\n".join(lines) + "\n"
