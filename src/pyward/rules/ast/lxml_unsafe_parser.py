"""PWA340: lxml parsers that resolve external entities or reach the network."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const, is_constant_data, is_false, is_true
from pyward.rules.base import AstRule, RuleMeta

_PARSERS = frozenset({"lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.iterparse"})
_PARSE_FUNCS: dict[str, tuple[int, str]] = {
    "lxml.etree.parse": (0, "source"),
    "lxml.etree.fromstring": (0, "text"),
    "lxml.etree.XML": (0, "text"),
}
_LAST = frozenset({"XMLParser", "XMLPullParser", "iterparse", "parse", "fromstring", "XML"})


class LxmlUnsafeParser(AstRule):
    """
    ## What it does
    Reports lxml parsers configured to resolve entities from outside the document or to fetch
    over the network: `XMLParser(resolve_entities=True)` (and `XMLPullParser`, `iterparse`),
    `no_network=False`, and `huge_tree=True` (which lifts libxml2's protections against
    entity-expansion and deep-nesting attacks). It also reports, at low severity,
    `lxml.etree.parse`/`fromstring`/`XML` of non-constant data with the default parser: before
    lxml 5.0 the default parser resolves external entities, so a `SYSTEM "file:///etc/passwd"`
    entity is read from the local disk; lxml 5.0 changed the default to `resolve_entities="internal"`.

    ## Why is this bad?
    An external entity makes the parser read a local file or fetch a URL and put the result into
    the document you process (XXE): secrets leak into responses, internal services are reached
    from your server, and entity expansion can exhaust memory.

    ## Example
    ```python
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=True, no_network=False)

    def load(upload):
        return etree.fromstring(upload, parser)
    ```

    ## Use instead
    ```python
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def load(upload):
        return etree.fromstring(upload, parser)
    ```

    ## References
    - CWE-611: Improper Restriction of XML External Entity Reference
    - CWE-776: Improper Restriction of Recursive Entity References in DTDs
    - lxml changelog 5.0 (`resolve_entities="internal"` default)
    """

    meta = RuleMeta(
        code="PWA340",
        name="lxml-unsafe-parser",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(611, 776),
        summary="lxml parser resolving external entities, reaching the network or without size limits",
        bandit=("B320", "B410"),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LAST

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        last = callee_leaf(node)
        if last not in _LAST:
            return
        name = ctx.call_name(node)
        if name is None or not name.startswith("lxml.etree."):
            return
        if name in _PARSERS:
            problems: list[str] = []
            resolve = ctx.keyword(node, "resolve_entities")
            if resolve is not None and is_true(ctx, resolve):
                problems.append("`resolve_entities=True` reads external entities (files, URLs)")
            if is_false(ctx, ctx.keyword(node, "no_network")):
                problems.append("`no_network=False` lets the document make network requests")
            if is_true(ctx, ctx.keyword(node, "huge_tree")):
                problems.append("`huge_tree=True` removes the entity-expansion and depth limits")
            if problems:
                severity = Severity.HIGH if len(problems) > 1 or "resolve" in problems[0] else Severity.MEDIUM
                yield self.report(node, ctx, "; ".join(problems), severity=severity)
            return
        spec = _PARSE_FUNCS.get(name)
        if spec is None:
            return
        data = ctx.argument(node, spec[0], spec[1])
        if data is None or is_constant_data(ctx, data):
            return
        parser = ctx.argument(node, 1, "parser")
        if parser is not None and const(ctx, parser) is not None:
            return  # an explicit parser: judged where it is created
        yield self.report(
            node,
            ctx,
            f"`{name}` with the default parser resolves external entities before lxml 5.0; "
            "pass `XMLParser(resolve_entities=False, no_network=True)`",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
        )
