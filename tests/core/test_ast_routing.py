"""How the AST analysis routes calls to rules that name their callees (call_names / call_keywords)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.astrules import AstAnalysis
from pyward.analysis.context import FileContext
from pyward.analysis.semantic import SemanticModel
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import AstRule, RuleMeta
from pyward.settings import Settings


def _meta(code: str) -> RuleMeta:
    return RuleMeta(
        code=code,
        name=f"test-{code.lower()}",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        cwe=(),
        summary="t",
    )


class _SeesCalls(AstRule):
    """Reports every call it is given, with its resolved callee."""

    meta = _meta("PWA990")
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        yield self.report(node, ctx, str(ctx.call_name(node)))


class _ByName(_SeesCalls):
    meta = _meta("PWA991")
    call_names: ClassVar[frozenset[str] | None] = frozenset({"md5"})


class _ByKeyword(_SeesCalls):
    meta = _meta("PWA992")
    call_keywords: ClassVar[frozenset[str] | None] = frozenset({"verify"})


class _ByNameOrKeyword(_SeesCalls):
    meta = _meta("PWA993")
    call_names: ClassVar[frozenset[str] | None] = frozenset({"SSLContext"})
    call_keywords: ClassVar[frozenset[str] | None] = frozenset({"cert_reqs"})


def _seen(rule: type[AstRule], source: str) -> dict[int, str]:
    tree = ast.parse(source)
    semantic = SemanticModel(tree, "mod")
    ctx = FileContext("mod.py", "/x/mod.py", source, tree, semantic, Settings())
    output = AstAnalysis([rule], Settings()).analyze_python(ctx)
    assert not output.errors
    return {f.span.line: f.message for f in output.findings}


SOURCE = (
    "import hashlib\n"
    "import hashlib as h\n"
    "import requests, ssl\n"
    "def one():\n"
    "    from hashlib import md5 as m\n"
    "    return m(b'x')\n"  # 6: alias of md5 in this scope
    "def two():\n"
    "    from hashlib import sha1 as m\n"
    "    return m(b'x')\n"  # 9: the same alias for another name
    "hashlib.md5(b'x')\n"  # 10
    "h.md5(b'x')\n"  # 11
    "hashlib.sha256(b'x')\n"  # 12
    "requests.get('u', verify=False)\n"  # 13
    "requests.get('u')\n"  # 14
    "ssl.SSLContext()\n"  # 15
    "ssl.wrap_socket(s, cert_reqs=ssl.CERT_NONE)\n"  # 16
    "f(**kw)\n"  # 17: ``**`` has no keyword name
    "(lambda: md5)()(b'x')\n"  # 18: no callee name at all
)


def test_unrouted_rule_sees_every_call() -> None:
    assert set(_seen(_SeesCalls, SOURCE)) == {6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}


def test_call_names_match_the_last_segment_and_aliases_in_every_scope() -> None:
    # line 9 is passed too (one alias, two originals) and is judged by the rule itself
    assert _seen(_ByName, SOURCE) == {
        6: "hashlib.md5",
        9: "hashlib.sha1",
        10: "hashlib.md5",
        11: "hashlib.md5",
    }


def test_call_keywords_alone_restrict_to_calls_passing_them() -> None:
    assert _seen(_ByKeyword, SOURCE) == {13: "requests.get"}


def test_call_names_and_keywords_are_a_union() -> None:
    assert _seen(_ByNameOrKeyword, SOURCE) == {15: "ssl.SSLContext", 16: "ssl.wrap_socket"}
