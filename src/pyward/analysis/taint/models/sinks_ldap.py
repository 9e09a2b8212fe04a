"""LDAP injection (CWE-90): python-ldap and ldap3 search bases and filters.

python-ldap: ``LDAPObject.search*(base, scope, filterstr, ...)``; ldap3:
``Connection.search(search_base, search_filter, ...)``. The ``search_s``/``search_st``/
``search_ext``/``search_ext_s`` method names are python-ldap's own, so they are also matched on
objects whose type is unknown (a connection returned by a helper).
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sanitizer, Sink, Subtype, TypeOf

_LDAP = ("ldap",)

ALIASES = (
    Alias("ldap.ldapobject.SimpleLDAPObject", "ldap.ldapobject.LDAPObject"),
    Alias("ldap.ldapobject.ReconnectLDAPObject", "ldap.ldapobject.LDAPObject"),
    Alias("ldap3.core.connection.Connection", "ldap3.Connection"),
)

TYPES = (
    TypeOf("ldap.initialize()", "ldap.ldapobject.LDAPObject"),
    TypeOf("ldap.open()", "ldap.ldapobject.LDAPObject"),
    TypeOf("ldap.ldapobject.LDAPObject()", "ldap.ldapobject.LDAPObject"),
)

SUBTYPES = (Subtype("ldap.ldapobject.LDAPObject", "ldap.ldapobject.SimpleLDAPObject"),)

_PY_LDAP_SEARCH = ("search", "search_s", "search_st", "search_ext", "search_ext_s")

SINKS = (
    *(
        Sink(f"ldap.ldapobject.LDAPObject.{m}", "ldap", args=(0, 2), keywords=("base", "filterstr"))
        for m in _PY_LDAP_SEARCH
    ),
    *(Sink(f"#{m}", "ldap", args=(0, 2), keywords=("base", "filterstr")) for m in _PY_LDAP_SEARCH[1:]),
    Sink("ldap.ldapobject.LDAPObject.compare_s", "ldap", args=(0,), keywords=("dn",)),
    Sink("ldap.ldapobject.LDAPObject.delete_s", "ldap", args=(0,), keywords=("dn",)),
    Sink("ldap3.Connection.search", "ldap", args=(0, 1), keywords=("search_base", "search_filter")),
    Sink("ldap3.Connection.extend.standard.paged_search", "ldap", args=(0, 1)),
    Sink("ldap3.Connection.delete", "ldap", args=(0,), keywords=("dn",)),
)

SANITIZERS = (
    Sanitizer("ldap.filter.escape_filter_chars", _LDAP),
    Sanitizer("ldap.filter.filter_format", _LDAP),
    Sanitizer("ldap.dn.escape_dn_chars", _LDAP),
    Sanitizer("ldap3.utils.conv.escape_filter_chars", _LDAP),
    Sanitizer("ldap3.utils.conv.escape_bytes", _LDAP),
    Sanitizer("ldap3.utils.dn.escape_rdn", _LDAP),
)
