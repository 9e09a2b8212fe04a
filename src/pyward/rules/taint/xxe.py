"""PWT110 xxe."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class XmlExternalEntities(TaintRule):
    """
    ## What it does
    Reports untrusted XML parsed by a parser that resolves external entities:

    - `lxml.etree.fromstring`, `XML`, `parse` and `iterparse` with a parser created as
      `XMLParser(resolve_entities=True)` (or with `no_network=False`), or `iterparse(...,
      resolve_entities=True)`. Since lxml 5.0 the default parser resolves only internal entities
      (`resolve_entities="internal"`), so calls with the default parser are not reported.
    - `xml.sax` and `xml.dom.pulldom` parsing with a parser on which
      `setFeature(feature_external_ges, True)` was called. Since Python 3.7.1 (3.6.7) the SAX
      parser does not load external general entities unless that feature is switched on.

    `xml.etree.ElementTree`, `xml.dom.minidom` and `defusedxml` never load external entities
    and are not reported.

    ## Why is this bad?
    An external entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) makes the parser read local
    files or fetch URLs on the attacker's behalf and put the content into the document the
    application then shows or processes (CWE-611).

    ## Example
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)


    @app.route("/import", methods=["POST"])
    def import_xml():
        parser = etree.XMLParser(resolve_entities=True)
        root = etree.fromstring(request.data, parser)
        return {"tag": root.tag}
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)


    @app.route("/import", methods=["POST"])
    def import_xml():
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(request.data, parser)
        return {"tag": root.tag}
    ```

    ## References
    - CWE-611: Improper Restriction of XML External Entity Reference
    - lxml 5.0 changelog (LP#1742885): `resolve_entities="internal"` became the default
    - Python documentation, "XML vulnerabilities" and `xml.sax.handler.feature_external_ges`
    """

    meta = RuleMeta(
        code="PWT110",
        name="xxe",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(611,),
        summary="Untrusted XML parsed with external entity resolution enabled",
        bandit=("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"),
    )
    vuln_class = "xxe"
    what = "Untrusted XML parsed with external entities enabled"
    accepts_local = False
