"""``set_cookie`` on web responses (Flask/Werkzeug, Django, Starlette/FastAPI) for session and
identity cookies without ``secure=True`` / ``httponly=True``.

All three frameworks default both flags to False and share the positional order
``set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)``; Django's
``set_signed_cookie(key, value, salt="", **kwargs)`` takes them by keyword. Only cookies whose
constant name says they carry a session, a token or an identity are reported; a flag given by an
expression pyward cannot evaluate (``secure=app.config["SESSION_COOKIE_SECURE"]``,
``secure=not settings.DEBUG``) is not reported. CSRF cookies are not reported for a missing
``httponly``: double-submit tokens must be readable by scripts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from pyward.analysis.base import Analysis, PerFileOutput
from pyward.frameworks.webcommon import emit, evaluate, imports_any, rules_by_code

if TYPE_CHECKING:
    from pyward.analysis.context import FileContext
    from pyward.model import Finding
    from pyward.rules.base import Rule
    from pyward.settings import Settings

COOKIE_NOT_SECURE = "PWC620"
COOKIE_NOT_HTTPONLY = "PWC621"

FRAMEWORKS = ("flask", "werkzeug", "django", "starlette", "fastapi", "quart")
IDENTITY_COOKIE = re.compile(
    r"sess|sid$|^sid|token|auth|jwt|remember|login|user_?id|uid$|identity|access|refresh|credential|"
    r"csrf|xsrf|api_?key|account",
    re.I,
)
CSRF_COOKIE = re.compile(r"csrf|xsrf", re.I)
_POSITIONS = {"secure": 6, "httponly": 7}


def is_identity_cookie(name: str) -> bool:
    return bool(IDENTITY_COOKIE.search(name))


class CookieAnalysis(Analysis):
    name: ClassVar[str] = "cookies"

    def __init__(self, rules: Sequence[type[Rule]], settings: Settings) -> None:
        super().__init__(rules, settings)
        self.enabled = rules_by_code(rules)

    def analyze_python(self, ctx: FileContext) -> PerFileOutput:
        if "set_cookie" not in ctx.source and "set_signed_cookie" not in ctx.source:
            return PerFileOutput()
        if not imports_any(ctx, FRAMEWORKS):
            return PerFileOutput()
        out: list[Finding] = []
        # The index, not a walk: the order only decides the order of ``out``, which the report sorts.
        for node in ctx.semantic.nodes_by_type.get(ast.Call, ()):
            assert isinstance(node, ast.Call)
            if (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ("set_cookie", "set_signed_cookie")
            ):
                self._check(ctx, node, out)
        return PerFileOutput(tuple(out))

    def _check(self, ctx: FileContext, call: ast.Call, out: list[Finding]) -> None:
        if ctx.has_star_kwargs(call):
            return
        signed = call.func.attr == "set_signed_cookie"  # type: ignore[attr-defined]
        key_node = ctx.argument(call, 0, "key")
        name = ctx.const_value(key_node, None)
        if not isinstance(name, str) or not is_identity_cookie(name):
            return
        for flag, code in (("secure", COOKIE_NOT_SECURE), ("httponly", COOKIE_NOT_HTTPONLY)):
            if flag == "httponly" and CSRF_COOKIE.search(name):
                continue
            node = ctx.argument(call, None if signed else _POSITIONS[flag], flag)
            if node is None:
                state = "without"
            else:
                val = evaluate(ctx, node)
                if not val.known or val.value:
                    continue
                state = f"with {flag}={val.value!r}{val.origin} instead of"
            if flag == "secure":
                consequence = "the browser also sends it over plain HTTP"
            else:
                consequence = "scripts on the page (and any XSS) can read it"
            emit(
                self.enabled, out, code, ctx.span(call),
                f"cookie {name!r} carries a session or identity and is set {state} {flag}=True: {consequence}",
            )
