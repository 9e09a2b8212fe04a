"""PWT111 ldap-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class LdapInjection(TaintRule):
    """
    ## What it does
    Reports request data in LDAP search filters and base DNs: python-ldap's `search`,
    `search_s`, `search_st`, `search_ext` and `search_ext_s` (base and `filterstr`), and ldap3's
    `Connection.search` (`search_base`, `search_filter`). Values escaped with
    `ldap.filter.escape_filter_chars`, `ldap.filter.filter_format`, `ldap.dn.escape_dn_chars`,
    `ldap3.utils.conv.escape_filter_chars` or `ldap3.utils.dn.escape_rdn` are safe.

    ## Why is this bad?
    Filter metacharacters (`*`, `(`, `)`, `|`, `&`) change the meaning of the query:
    `uid=*)(|(uid=*` matches every entry, which can bypass a login check or disclose the
    directory (CWE-90).

    ## Example
    ```python
    import ldap
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/user")
    def user():
        conn = ldap.initialize("ldap://ldap.example.com")
        uid = request.args["uid"]
        found = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
        return {"n": len(found)}
    ```

    ## Use instead
    ```python
    import ldap
    from ldap.filter import escape_filter_chars
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/user")
    def user():
        conn = ldap.initialize("ldap://ldap.example.com")
        uid = escape_filter_chars(request.args["uid"])
        found = conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
        return {"n": len(found)}
    ```

    ## References
    - CWE-90: Improper Neutralization of Special Elements used in an LDAP Query
    - RFC 4515 (string representation of LDAP search filters), section 3 escaping
    """

    meta = RuleMeta(
        code="PWT111",
        name="ldap-injection",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(90,),
        summary="LDAP filter or DN built from untrusted input",
    )
    vuln_class = "ldap"
    what = "LDAP query built from untrusted data"
