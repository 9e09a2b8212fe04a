"""PWA341: a SAX or expat parser told to process external entities."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import const, is_true
from pyward.rules.base import AstRule, RuleMeta

_FEATURES = {
    "xml.sax.handler.feature_external_ges": "external general entities",
    "xml.sax.handler.feature_external_pes": "external parameter entities",
}
_FEATURE_URIS = {
    "http://xml.org/sax/features/external-general-entities": "external general entities",
    "http://xml.org/sax/features/external-parameter-entities": "external parameter entities",
}
_PARAM_ALWAYS = frozenset(
    {
        "xml.parsers.expat.XML_PARAM_ENTITY_PARSING_ALWAYS",
        "pyexpat.XML_PARAM_ENTITY_PARSING_ALWAYS",
        "xml.parsers.expat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE",
        "pyexpat.XML_PARAM_ENTITY_PARSING_UNLESS_STANDALONE",
    }
)


class XmlExternalEntitiesEnabled(AstRule):
    """
    ## What it does
    Reports `parser.setFeature(feature_external_ges, True)` and
    `parser.setFeature(feature_external_pes, True)` on a SAX parser (by constant or by feature
    URI), and `SetParamEntityParsing(XML_PARAM_ENTITY_PARSING_ALWAYS)` (or `UNLESS_STANDALONE`) on
    an expat parser. Since Python 3.7.1 the SAX parser does not process external general entities
    by default, so only code that turns the feature back on is reported; turning it off is fine.

    ## Why is this bad?
    With external entities enabled, a document declaring `<!ENTITY x SYSTEM "file:///etc/passwd">`
    makes the parser read that file (or fetch a URL) and hand its content to your handler (XXE):
    local files leak and internal hosts are reached from your server.

    ## Example
    ```python
    import xml.sax
    from xml.sax.handler import feature_external_ges

    def parse(stream, handler):
        parser = xml.sax.make_parser()
        parser.setFeature(feature_external_ges, True)
        parser.setContentHandler(handler)
        parser.parse(stream)
    ```

    ## Use instead
    ```python
    import xml.sax

    def parse(stream, handler):
        parser = xml.sax.make_parser()
        parser.setContentHandler(handler)
        parser.parse(stream)
    ```

    ## References
    - CWE-611: Improper Restriction of XML External Entity Reference
    - Python documentation, `xml.sax.handler.feature_external_ges` (changed in 3.7.1)
    """

    meta = RuleMeta(
        code="PWA341",
        name="xml-external-entities-enabled",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(611,),
        summary="SAX/expat parser with external entity processing turned on",
        bandit=(),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"setFeature", "SetParamEntityParsing"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "setFeature" and len(node.args) >= 2:
            feature = node.args[0]
            what = _FEATURES.get(ctx.qualname(feature) or "")
            if what is None:
                value = const(ctx, feature)
                what = _FEATURE_URIS.get(value) if isinstance(value, str) else None
            if what is not None and is_true(ctx, node.args[1]):
                yield self.report(node, ctx, f"The parser now processes {what} (XXE): leave the feature off")
        elif (
            func.attr == "SetParamEntityParsing" and node.args and ctx.qualname(node.args[0]) in _PARAM_ALWAYS
        ):
            yield self.report(node, ctx, "The expat parser now reads external parameter entities (XXE)")
