"""PWA330: ``tempfile.mktemp`` returns a name, not a file."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import local_aliases
from pyward.rules.base import AstRule, RuleMeta

_MKTEMP = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})


class InsecureTempFile(AstRule):
    """
    ## What it does
    Reports calls to `tempfile.mktemp` (and the Python 2 `os.tempnam`/`os.tmpnam`). Passing the
    function around (`factory = tempfile.mktemp`) is reported too, since it will be called later.
    `tempfile.mkstemp`, `NamedTemporaryFile`, `TemporaryDirectory` and `mkdtemp` are not reported.

    ## Why is this bad?
    `mktemp` only picks a name that did not exist a moment ago; the file is created later by the
    caller. Between the two another local user or process can create that path (or a symlink with
    that name pointing at a file of yours), and your program then writes into a file the attacker
    controls or reads data they planted. The Python documentation has deprecated `mktemp` since 2.3
    for this reason.

    ## Example
    ```python
    import tempfile

    path = tempfile.mktemp(suffix=".csv")
    with open(path, "w") as fh:
        fh.write("id,total\\n")
    ```

    ## Use instead
    ```python
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.write("id,total\\n")
        path = fh.name
    ```

    ## References
    - CWE-377: Insecure Temporary File
    - Python documentation, `tempfile.mktemp` (deprecated)
    """

    meta = RuleMeta(
        code="PWA330",
        name="insecure-temp-file",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(377,),
        summary="Temporary file name created with tempfile.mktemp (race between name and file)",
        bandit=("B306",),
    )

    def check_module(self, ctx: FileContext) -> Iterator[Finding]:
        # One pass over the file's attributes and names with a cheap test each (no visit per node).
        index = ctx.semantic.nodes_by_type
        for attribute in ctx.attributes_named(("mktemp", "tempnam", "tmpnam")):
            yield from self._judge(attribute, ctx)
        aliases = local_aliases(ctx, _MKTEMP)
        if aliases:
            for name in index.get(ast.Name, ()):
                assert isinstance(name, ast.Name)
                if name.id in aliases:
                    yield from self._judge(name, ctx)

    def _judge(self, node: ast.Attribute | ast.Name, ctx: FileContext) -> Iterator[Finding]:
        if not isinstance(node.ctx, ast.Load):
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Attribute):
            return  # part of a longer dotted name
        name = ctx.qualname(node)
        if name not in _MKTEMP:
            return
        short = name.rpartition(".")[2]
        if isinstance(parent, ast.Call) and parent.func is node:
            yield self.report(
                parent,
                ctx,
                f"`{name}` returns a name another process can create first; "
                "use `tempfile.mkstemp` or `NamedTemporaryFile`",
            )
        else:
            yield self.report(node, ctx, f"`{short}` passed as a value: every call to it has the same race")
