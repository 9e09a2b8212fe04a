"""PWA370: ``assert`` used as an authorization check."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import AstRule, RuleMeta

_AUTHZ = re.compile(
    r"(^|_)(perm|perms|permission|permissions|authenticated|authorized|authorised|authorization|admin|"
    r"superuser|staff|role|roles|owner|owns|privilege|privileges|privileged|allowed|access|grant|granted|"
    r"acl|scope|scopes|entitled|can)(_|$)|^has_(perm|role|access|scope|right|privilege)|^can_|"
    r"^is_(admin|owner|staff|superuser|member)",
    re.I,
)
_TEST_PATH = re.compile(r"(^|/)(tests?|testing)(/|$)|(^|/)test_[^/]*\.py$|_tests?\.py$|(^|/)conftest\.py$")


class AssertAuthorization(AstRule):
    """
    ## What it does
    Reports `assert` statements whose condition is a permission or identity check: it reads
    names such as `is_authenticated`, `is_staff`, `is_superuser`, `has_perm`, `has_permission`,
    `can_edit`, `owner`, `role`, `allowed`, `scopes`. Other assertions (invariants, type
    narrowing) are not reported, and nothing is reported in test files (`tests/`, `test_*.py`,
    `*_test.py`, `conftest.py`), where `assert` is the point.

    ## Why is this bad?
    Python removes `assert` statements when run with `-O` or `PYTHONOPTIMIZE`, which some
    deployment images set. The check then silently disappears and every user passes it.
    Authorization must be an `if` that raises or returns a 403.

    ## Example
    ```python
    def delete_project(request, project):
        assert request.user.has_perm("projects.delete_project")
        project.delete()
    ```

    ## Use instead
    ```python
    from django.core.exceptions import PermissionDenied

    def delete_project(request, project):
        if not request.user.has_perm("projects.delete_project"):
            raise PermissionDenied
        project.delete()
    ```

    ## References
    - CWE-703: Improper Check or Handling of Exceptional Conditions
    - CWE-617: Reachable Assertion
    - Python documentation, the `assert` statement and `-O`
    """

    meta = RuleMeta(
        code="PWA370",
        name="assert-authorization",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(703, 617),
        summary="assert used for a permission check (removed under python -O)",
        bandit=("B101",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Assert,)

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Assert)
        if _is_test_file(ctx):
            return
        word = _authz_word(node.test)
        if word is not None:
            yield self.report(
                node,
                ctx,
                f"`assert` on `{word}` is removed under `python -O`; raise an error for the denied case instead",
            )


def _is_test_file(ctx: FileContext) -> bool:
    cached: bool | None = ctx.__dict__.get("_pwa370_test")
    if cached is None:
        cached = bool(_TEST_PATH.search(ctx.path.replace("\\", "/")))
        ctx.__dict__["_pwa370_test"] = cached
    return cached


def _authz_word(test: ast.expr) -> str | None:
    for node in ast.walk(test):
        ident: str | None = None
        if isinstance(node, ast.Name):
            ident = node.id
        elif isinstance(node, ast.Attribute):
            ident = node.attr
        if ident is not None and _AUTHZ.search(ident):
            return ident
    return None
