"""FastAPI / Starlette application audit: CORS, debug mode, trusted hosts, HTTPS redirect.

Behaviour modelled (``starlette.middleware.cors.CORSMiddleware``, checked against its source):

- ``"*" in allow_origins`` allows every origin. With ``allow_credentials=True`` the preflight
  answer echoes the request's ``Origin`` (``preflight_explicit_allow_origin``), and a simple request
  carrying a ``Cookie`` header gets its ``Origin`` echoed too, with
  ``Access-Control-Allow-Credentials: true`` — so any site can read authenticated responses.
- ``allow_origin_regex`` is matched with ``re.fullmatch``: an unanchored regex is not a problem, a
  permissive one (``https://.*``, an unescaped dot before the domain) is.
- ``TrustedHostMiddleware(allowed_hosts=None)`` means ``["*"]``.
- ``FastAPI(debug=True)``/``Starlette(debug=True)`` return tracebacks to the client.

Middleware is recognised in ``app.add_middleware(M, ...)``, ``Middleware(M, ...)`` (the
``middleware=[...]`` list) and ``M(app, ...)`` wrapping.
"""

from __future__ import annotations

import ast
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
    imports_any,
    is_test_path,
    permissive_origin_probe,
    rules_by_code,
)
from pyward.model import Confidence, Finding, Severity, Span

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.rules.base import Rule
    from pyward.settings import Settings

CORS_CREDENTIALS = "PWC650"
DEBUG_ENABLED = "PWC651"
TRUSTED_HOST_ANY = "PWC652"
NO_HTTPS_REDIRECT = "PWC653"

APP_CLASSES = frozenset(
    {"fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette"}
)
CORS_MW = frozenset({"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"})
TRUSTED_HOST_MW = frozenset(
    {
        "starlette.middleware.trustedhost.TrustedHostMiddleware",
        "fastapi.middleware.trustedhost.TrustedHostMiddleware",
    }
)
HTTPS_REDIRECT_MW = frozenset(
    {
        "starlette.middleware.httpsredirect.HTTPSRedirectMiddleware",
        "fastapi.middleware.httpsredirect.HTTPSRedirectMiddleware",
    }
)
MIDDLEWARE_WRAPPER = frozenset({"starlette.middleware.Middleware", "fastapi.middleware.Middleware"})


@dataclass
class FastAPIFileData:
    path: str
    module: str
    is_test: bool
    apps: list[Span] = field(default_factory=list)
    https_redirect: bool = False


class FastAPIAnalysis(Analysis):
    name: ClassVar[str] = "fastapi"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.enabled = rules_by_code(rules)

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        data = FastAPIFileData(ctx.path, ctx.module, is_test_path(ctx.path))
        if not imports_any(ctx, ("fastapi", "starlette")):
            return PerFileOutput(data=data)
        out: list[Finding] = []
        app_vars: set[str] = set()
        for node in ctx.semantic.nodes_by_type.get(ast.Assign, ()):
            assert isinstance(node, ast.Assign)
            if (
                isinstance(node.value, ast.Call)
                and (ctx.call_name(node.value) or "") in APP_CLASSES
            ):
                app_vars.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for node in breadth_first(ctx.tree):  # ast.walk order: ``data.apps`` is kept in order
            if isinstance(node, ast.Call):
                self._call(ctx, node, data, out)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if (
                        isinstance(t, ast.Attribute)
                        and t.attr == "debug"
                        and isinstance(t.value, ast.Name)
                        and t.value.id in app_vars
                    ):
                        val = evaluate(ctx, node.value)
                        if val.known and val.value:
                            emit(
                                self.enabled, out, DEBUG_ENABLED, ctx.span(node),
                                f"{t.value.id}.debug = {val.value!r}{val.origin}: server errors return "
                                "tracebacks to the client",
                            )
            elif (
                isinstance(node, (ast.Name, ast.Attribute))
                and isinstance(node.ctx, ast.Load)
                and (ctx.qualname(node) or "") in HTTPS_REDIRECT_MW
            ):
                data.https_redirect = True
        return PerFileOutput(tuple(out), data)

    def _call(self, ctx: FileContext, call: ast.Call, data: FastAPIFileData, out: list[Finding]) -> None:
        callee = ctx.call_name(call) or ""
        if callee in APP_CLASSES:
            data.apps.append(ctx.span(call))
            node = ctx.keyword(call, "debug")
            val = evaluate(ctx, node)
            if node is not None and val.known and val.value:
                emit(
                    self.enabled, out, DEBUG_ENABLED, ctx.span(call),
                    f"{callee.rsplit('.', 1)[-1]}(debug={val.value!r}){val.origin}: server errors return "
                    "tracebacks to the client",
                )
            return
        middleware: str | None = None
        options: list[ast.keyword] = []
        if (isinstance(call.func, ast.Attribute) and call.func.attr == "add_middleware" and call.args) or (callee in MIDDLEWARE_WRAPPER and call.args):
            middleware = ctx.qualname(call.args[0])
            options = call.keywords
        elif callee in CORS_MW or callee in TRUSTED_HOST_MW:
            middleware = callee
            options = call.keywords
        if middleware is None or any(kw.arg is None for kw in options):
            return
        kwargs: dict[str, Val] = {kw.arg: evaluate(ctx, kw.value) for kw in options if kw.arg}
        if middleware in CORS_MW:
            self._cors(ctx, call, kwargs, out)
        elif middleware in TRUSTED_HOST_MW:
            hosts = kwargs.get("allowed_hosts")
            if hosts is None or (hosts.known and hosts.value is None):
                message = "TrustedHostMiddleware without allowed_hosts accepts every Host header (default '*')"
            elif hosts.known and "*" in (const_str_list(hosts.value) or []):
                message = "TrustedHostMiddleware with allowed_hosts containing '*' accepts every Host header"
            else:
                return
            emit(self.enabled, out, TRUSTED_HOST_ANY, ctx.span(call), message)
        elif middleware in HTTPS_REDIRECT_MW:
            data.https_redirect = True

    def _cors(self, ctx: FileContext, call: ast.Call, kwargs: dict[str, Val], out: list[Finding]) -> None:
        creds = kwargs.get("allow_credentials", Val(True, False))
        if not (creds.known and creds.value):
            return
        origins = kwargs.get("allow_origins", Val(True, ()))
        listed = const_str_list(origins.value) if origins.known else None
        if listed is not None and "*" in listed:
            emit(
                self.enabled, out, CORS_CREDENTIALS, ctx.span(call),
                "CORSMiddleware with allow_origins=['*'] and allow_credentials=True: Starlette echoes the "
                "request's Origin for credentialed requests, so any site can read authenticated responses",
            )
            return
        regex = kwargs.get("allow_origin_regex")
        if regex is not None and regex.known and isinstance(regex.value, str):
            probe = permissive_origin_probe(regex.value, fullmatch=True)
            if probe is not None:
                emit(
                    self.enabled, out, CORS_CREDENTIALS, ctx.span(call),
                    f"CORSMiddleware with allow_credentials=True and allow_origin_regex={regex.value!r}, "
                    f"which also accepts {probe!r}",
                )

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        files = [d for f in project.files if isinstance(d := f.data.get(self.name), FastAPIFileData)]
        groups: dict[str, list[FastAPIFileData]] = {}
        for f in files:
            groups.setdefault(app_group(f.path, f.module), []).append(f)
        out: list[Finding] = []
        for members in groups.values():
            if any(f.https_redirect for f in members):
                continue
            out.extend(self._no_redirect(members))
        return out

    def _no_redirect(self, members: list[FastAPIFileData]) -> list[Finding]:
        out: list[Finding] = []
        for f in members:
            if f.is_test:
                continue
            for span in f.apps:
                emit(
                    self.enabled, out, NO_HTTPS_REDIRECT, span,
                    "no HTTPSRedirectMiddleware in the project: plain-HTTP requests are served as they are "
                    "(fine when a proxy redirects to HTTPS)",
                    severity=Severity.LOW, confidence=Confidence.LOW,
                )
        return out
