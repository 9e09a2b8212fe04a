"""PWA343: the stdlib XML parsers on data that is not a constant (low)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import is_constant_data, local_aliases
from pyward.rules.base import AstRule, RuleMeta

_ET = ("xml.etree.ElementTree", "xml.etree.cElementTree")
_FUNCS: dict[str, tuple[int, str]] = {
    **{f"{m}.{f}": (0, k) for m in _ET for f, k in
       (("parse", "source"), ("iterparse", "source"), ("fromstring", "text"), ("XML", "text"),
        ("fromstringlist", "sequence"), ("XMLID", "text"))},
    **{f"xml.dom.{m}.{f}": (0, k) for m in ("minidom", "pulldom", "expatbuilder") for f, k in
       (("parse", "file"), ("parseString", "string"))},
    "xml.sax.parse": (0, "source"),
    "xml.sax.parseString": (0, "string"),
}  # fmt: skip
_LAST = frozenset(n.rpartition(".")[2] for n in _FUNCS)
_NAMES = frozenset(_FUNCS)


class StdlibXmlParse(AstRule):
    """
    ## What it does
    Reports, at low severity, the stdlib XML parsers (`xml.etree.ElementTree`, `minidom`,
    `pulldom`, `expatbuilder`, `xml.sax`) applied to data that is not a constant, suggesting
    `defusedxml`. A literal document or a constant file name is not reported, and nothing is
    reported in a file that calls `defusedxml.defuse_stdlib()`.

    The severity reflects what the stdlib really does today. None of these modules expands
    external entities or retrieves DTDs by default (`xml.sax` stopped processing external general
    entities in Python 3.7.1; `etree` and `minidom` never did), so they are not open to classic
    XXE. What remains is entity-expansion denial of service ("billion laughs", "quadratic
    blowup", "large tokens"): Expat 2.4.1 added protection and the Python documentation says
    versions below 2.6.0 may be vulnerable. CPython's bundled Expat is current, but many Linux
    builds link the system libexpat, whose version you can read from `pyexpat.EXPAT_VERSION`.
    `defusedxml` rejects entity declarations outright, whatever the Expat version.

    ## Why is this bad?
    On an interpreter linked with an old Expat, a few hundred bytes of nested entity definitions
    expand to gigabytes and take the process down. Whether the input can be hostile depends on
    where it comes from, which this rule cannot see: treat the finding as a prompt to check.

    ## Example
    ```python
    import xml.etree.ElementTree as ET

    def read_feed(body):
        return ET.fromstring(body)
    ```

    ## Use instead
    ```python
    import defusedxml.ElementTree as ET

    def read_feed(body):
        return ET.fromstring(body)
    ```

    ## References
    - CWE-776: Improper Restriction of Recursive Entity References in DTDs
    - Python documentation, "XML security" (`xml` package)
    - defusedxml on PyPI
    """

    meta = RuleMeta(
        code="PWA343",
        name="stdlib-xml-parse",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        cwe=(776,),
        summary="Stdlib XML parser on non-constant data (entity expansion with old Expat)",
        bandit=(
            "B313",
            "B314",
            "B315",
            "B316",
            "B317",
            "B318",
            "B319",
            "B405",
            "B406",
            "B407",
            "B408",
            "B409",
        ),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LAST

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr not in _LAST:
                return
        elif not (isinstance(func, ast.Name) and func.id in local_aliases(ctx, _NAMES)):
            return
        name = ctx.call_name(node)
        spec = _FUNCS.get(name or "")
        if spec is None or name is None:
            return
        data = ctx.argument(node, spec[0], spec[1])
        if data is None or is_constant_data(ctx, data) or _defused(ctx):
            return
        yield self.report(
            node,
            ctx,
            f"`{name}` on data that is not a constant: entity-expansion attacks work with Expat "
            "older than 2.6.0; `defusedxml` rejects them on every version",
        )


def _defused(ctx: FileContext) -> bool:
    cached: bool | None = ctx.__dict__.get("_pwa343_defused")
    if cached is None:
        cached = any(
            ctx.call_name(call) == "defusedxml.defuse_stdlib"
            for call in ctx.semantic.nodes_by_type.get(ast.Call, ())
            if isinstance(call, ast.Call)
            and isinstance(call.func, (ast.Name, ast.Attribute))
            and (call.func.id if isinstance(call.func, ast.Name) else call.func.attr) == "defuse_stdlib"
        )
        ctx.__dict__["_pwa343_defused"] = cached
    return cached
