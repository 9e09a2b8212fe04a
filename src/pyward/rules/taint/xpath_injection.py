"""PWT112 xpath-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class XPathInjection(TaintRule):
    """
    ## What it does
    Reports request data in the text of an XPath expression evaluated by lxml:
    `_Element.xpath(expr)`, `_ElementTree.xpath(expr)`, `etree.XPath(expr)`,
    `etree.ETXPath(expr)` and calling an `XPathEvaluator`. Values passed as XPath variables
    (`root.xpath("//user[@name=$name]", name=value)`) are the parameterised form and are safe.

    ## Why is this bad?
    Quotes and XPath operators in the input change the query: `' or '1'='1` turns a lookup into
    "every node", bypassing authentication checks done against XML user stores or exposing the
    whole document (CWE-643).

    ## Example
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)
    users = etree.parse("users.xml")


    @app.route("/user")
    def user():
        name = request.args["name"]
        found = users.xpath("//user[@name='" + name + "']")
        return {"n": len(found)}
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from lxml import etree

    app = Flask(__name__)
    users = etree.parse("users.xml")


    @app.route("/user")
    def user():
        found = users.xpath("//user[@name=$name]", name=request.args["name"])
        return {"n": len(found)}
    ```

    ## References
    - CWE-643: Improper Neutralization of Data within XPath Expressions
    - lxml documentation, "XPath and XSLT with lxml": XPath variables
    """

    meta = RuleMeta(
        code="PWT112",
        name="xpath-injection",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(643,),
        summary="XPath expression built from untrusted input",
    )
    vuln_class = "xpath"
    what = "XPath expression built from untrusted data"
