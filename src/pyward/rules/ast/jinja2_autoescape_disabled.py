"""PWA360: Jinja2 environments and templates that do not escape HTML."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import NOT_CONSTANT, FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import const, is_false, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_ENVS = frozenset(
    {"jinja2.Environment", "jinja2.environment.Environment", "jinja2.sandbox.SandboxedEnvironment"}
)
_TEMPLATES = frozenset({"jinja2.Template", "jinja2.environment.Template"})
_SELECT = frozenset({"jinja2.select_autoescape", "jinja2.utils.select_autoescape"})
_HTML_EXTENSIONS = frozenset({"html", "htm", "xml", "xhtml", "jinja", "j2", "jinja2", "svg"})
_NAMES = _ENVS | _TEMPLATES


class Jinja2AutoescapeDisabled(AstRule):
    """
    ## What it does
    Reports `jinja2.Environment(...)` (and `SandboxedEnvironment`) and `jinja2.Template(...)`
    created without `autoescape=` or with `autoescape=False`. `autoescape=True`, a function, or a
    value pyward cannot evaluate count as on. `select_autoescape(...)` counts as on for the
    extensions it enables (`html`, `htm` and `xml` by default); it is reported only when its
    `enabled_extensions` list no markup extension at all and `default` is not true. A
    `NativeEnvironment` (which renders Python values, not text) is not reported.

    ## Why is this bad?
    Jinja2's default is `autoescape=False`, kept for backwards compatibility: every `{{ value }}`
    is pasted into the output as is. In an HTML page a value containing `<script>` runs in the
    visitor's browser (cross-site scripting). Flask and Django configure escaping for you; a
    hand-made environment does not.

    ## Example
    ```python
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader("templates"))
    ```

    ## Use instead
    ```python
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape())
    ```

    ## References
    - CWE-79: Improper Neutralization of Input During Web Page Generation
    - Jinja documentation, "Autoescaping" and `select_autoescape`
    """

    meta = RuleMeta(
        code="PWA360",
        name="jinja2-autoescape-disabled",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(79,),
        summary="Jinja2 environment or template without HTML autoescaping",
        bandit=("B701",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {"Environment", "SandboxedEnvironment", "Template", *(n.rpartition(".")[2] for n in _NAMES)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in ("Environment", "SandboxedEnvironment", "Template"):
                return
        elif not (isinstance(func, ast.Name) and func.id in local_aliases(ctx, _NAMES)):
            return
        name = ctx.call_name(node)
        if name not in _NAMES:
            return
        kind = "Template" if name in _TEMPLATES else name.rpartition(".")[2]
        value = ctx.keyword(node, "autoescape")
        if value is None:
            if ctx.has_star_kwargs(node):
                return
            # Environment's 11th positional parameter is autoescape; nobody passes it that way.
            yield self.report(
                node,
                ctx,
                f"`{kind}` without `autoescape=` does not escape HTML; pass `autoescape=select_autoescape()`",
                confidence=Confidence.LOW if kind == "Template" else None,
            )
            return
        if is_false(ctx, value) or const(ctx, value) is None:
            yield self.report(node, ctx, f"`{kind}(autoescape=False)` does not escape HTML")
            return
        if (
            isinstance(value, ast.Call)
            and ctx.call_name(value) in _SELECT
            and not _select_covers_html(ctx, value)
        ):
            yield self.report(node, ctx, "`select_autoescape` enables escaping for no HTML or XML extension")


def _select_covers_html(ctx: FileContext, call: ast.Call) -> bool:
    enabled = ctx.argument(call, 0, "enabled_extensions")
    default = ctx.argument(call, 3, "default")
    if default is not None and const(ctx, default) is True:
        return True
    if enabled is None:
        return True  # ("html", "htm", "xml")
    value = const(ctx, enabled)
    if value is NOT_CONSTANT or not isinstance(value, (list, tuple, set, frozenset)):
        return True
    return any(isinstance(e, str) and e.lstrip(".").lower() in _HTML_EXTENSIONS for e in value)
