"""XML: XPath injection (CWE-643) and external entities (CWE-611) with lxml and the stdlib.

XPath: the expression text of ``xpath()``/``XPath()``/``ETXPath()``/``XPathEvaluator`` is the
sink; XPath variables passed as keyword arguments are the parameterised form.

XXE: lxml >= 5.0 parsers default to ``resolve_entities="internal"`` (no external entities);
``XMLParser(resolve_entities=True)`` turns external entity loading back on (local files always,
URLs too with ``no_network=False``). The stdlib SAX parser does not load external general
entities since Python 3.7.1 unless ``feature_external_ges`` is switched on; ``ElementTree`` and
``minidom`` never do.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Sink, Subtype, TypeOf, When

_LXML_TYPES = (
    TypeOf("lxml.etree.parse()", "lxml.etree._ElementTree"),
    TypeOf("lxml.etree.ElementTree()", "lxml.etree._ElementTree"),
    *(
        TypeOf(f"lxml.etree.{f}()", "lxml.etree._Element")
        for f in ("fromstring", "XML", "HTML", "Element", "SubElement")
    ),
    TypeOf("lxml.etree._ElementTree.getroot()", "lxml.etree._Element"),
    TypeOf("lxml.etree._Element.find()", "lxml.etree._Element"),
    TypeOf("lxml.etree._Element.getparent()", "lxml.etree._Element"),
    TypeOf("lxml.etree._Element.getroottree()", "lxml.etree._ElementTree"),
    *(
        TypeOf(f"lxml.html.{f}()", "lxml.html.HtmlElement")
        for f in ("fromstring", "document_fromstring", "fragment_fromstring")
    ),
    TypeOf("lxml.html.parse()", "lxml.etree._ElementTree"),
)


_XPATH = (
    Sink("lxml.etree._Element.xpath", "xpath", args=(0,), keywords=("_path",)),
    Sink("lxml.etree._ElementTree.xpath", "xpath", args=(0,), keywords=("_path",)),
    Sink("lxml.etree.XPath", "xpath", args=(0,), keywords=("path",)),
    Sink("lxml.etree.ETXPath", "xpath", args=(0,), keywords=("path",)),
    Sink("lxml.etree.XPathEvaluator.__call__", "xpath", args=(0,), keywords=("_path",)),
    Sink("lxml.etree.XPathElementEvaluator.__call__", "xpath", args=(0,), keywords=("_path",)),
    Sink("lxml.etree.XPathDocumentEvaluator.__call__", "xpath", args=(0,), keywords=("_path",)),
)

SUBTYPES = (
    Subtype("lxml.html.HtmlElement", "lxml.etree._Element"),
    Subtype("lxml.etree.XPathElementEvaluator", "lxml.etree.XPathEvaluator"),
    Subtype("lxml.etree.XPathDocumentEvaluator", "lxml.etree.XPathEvaluator"),
)

#: Refined types (added by conditional TypeOf declarations) of parsers that load external entities.
LXML_RESOLVING = "lxml.etree.XMLParser+external-entities"
SAX_EXTERNAL = "xml.sax.xmlreader.XMLReader+external-entities"
_EXTERNAL_GES = "http://xml.org/sax/features/external-general-entities"

TYPES = (
    *_LXML_TYPES,
    *(
        TypeOf(f"lxml.etree.{cls}()", LXML_RESOLVING, when=(When("resolve_entities", value_in=(True,)),))
        for cls in ("XMLParser", "ETCompatXMLParser", "XMLPullParser")
    ),
    TypeOf("xml.sax.make_parser()", "xml.sax.xmlreader.XMLReader"),
    TypeOf("xml.sax.expatreader.create_parser()", "xml.sax.xmlreader.XMLReader"),
    TypeOf(
        "xml.sax.xmlreader.XMLReader.setFeature()",
        SAX_EXTERNAL,
        receiver=True,
        when=(
            When("name", position=0, qualname_in=("xml.sax.handler.feature_external_ges",), unknown=False),
            When("state", position=1, truthy=True),
        ),
    ),
    TypeOf(
        "xml.sax.xmlreader.XMLReader.setFeature()",
        SAX_EXTERNAL,
        receiver=True,
        when=(
            When("name", position=0, value_in=(_EXTERNAL_GES,), unknown=False),
            When("state", position=1, truthy=True),
        ),
    ),
)

_LXML_PARSER = When("parser", position=1, types_in=(LXML_RESOLVING,), unknown=False)
_SAX_PARSER = When("parser", position=1, types_in=(SAX_EXTERNAL,), unknown=False)

_XXE = (
    *(
        Sink(f"lxml.etree.{f}", "xxe", args=(0,), keywords=("text",), when=(_LXML_PARSER,))
        for f in ("fromstring", "XML")
    ),
    Sink("lxml.etree.parse", "xxe", args=(0,), keywords=("source",), when=(_LXML_PARSER,)),
    Sink(
        "lxml.etree.iterparse",
        "xxe",
        args=(0,),
        keywords=("source",),
        when=(When("resolve_entities", value_in=(True,)),),
    ),
    Sink(
        f"{LXML_RESOLVING}.feed",
        "xxe",
        args=(0,),
        keywords=("data",),
        label="XMLParser.feed() resolving entities",
    ),
    Sink(
        f"{SAX_EXTERNAL}.parse",
        "xxe",
        args=(0,),
        keywords=("source",),
        label="SAX parse() with external entities",
    ),
    Sink(
        f"{SAX_EXTERNAL}.feed",
        "xxe",
        args=(0,),
        keywords=("data",),
        label="SAX feed() with external entities",
    ),
    Sink("xml.dom.pulldom.parseString", "xxe", args=(0,), keywords=("string",), when=(_SAX_PARSER,)),
    Sink("xml.dom.pulldom.parse", "xxe", args=(0,), keywords=("stream_or_string",), when=(_SAX_PARSER,)),
)

SINKS = (*_XPATH, *_XXE)
