"""PWA332: archives extracted without a member filter."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import const, constructor_of, imports_any
from pyward.rules.base import AstRule, RuleMeta

_TAR_FACTORIES = frozenset(
    {"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.taropen", "tarfile.TarFile.gzopen",
     "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen"}
)  # fmt: skip
_ZIP_FACTORIES = frozenset({"zipfile.ZipFile", "zipfile.PyZipFile"})
_UNPACK = frozenset({"shutil.unpack_archive"})
_SAFE_FILTERS = frozenset({"data", "tar", "tarfile.data_filter", "tarfile.tar_filter"})


class UnsafeArchiveExtraction(AstRule):
    """
    ## What it does
    Reports `TarFile.extractall()`/`extract()` and `shutil.unpack_archive()` called without a
    `filter=` argument (or with `filter="fully_trusted"`), and — at low severity —
    `ZipFile.extractall()`/`extract()`. The archive object is recognised when it comes from
    `tarfile.open`/`TarFile`/`zipfile.ZipFile` in the same function (call chain, assignment or
    `with ... as`). A file that sets `TarFile.extraction_filter` is trusted to have chosen a filter.

    Python 3.14 made the safe `"data"` filter the default; on 3.12 and 3.13 the default is still
    `"fully_trusted"` (with a `DeprecationWarning`); 3.8.17, 3.9.17, 3.10.12 and 3.11.4 received
    the argument as a security backport with the same fully trusted default, and older versions
    have no filter at all. Passing `filter="data"` is correct on every
    version that has the argument, so the rule asks for it explicitly. `zipfile` already drops
    `..` components and absolute paths, so for zip archives the remaining risk is resource
    exhaustion (decompression bombs): reported at low severity.

    ## Why is this bad?
    A tar member named `../../home/app/.ssh/authorized_keys`, an absolute path, or a symlink
    followed by a file written through it lands outside the target directory (CVE-2007-4559), and
    member permissions and device files are restored as recorded. Extracting an archive you did
    not build can overwrite any file your process can write.

    ## Example
    ```python
    import tarfile

    def install(bundle, target):
        with tarfile.open(bundle) as tar:
            tar.extractall(target)
    ```

    ## Use instead
    ```python
    import tarfile

    def install(bundle, target):
        with tarfile.open(bundle) as tar:
            tar.extractall(target, filter="data")
    ```

    ## References
    - CWE-22: Improper Limitation of a Pathname to a Restricted Directory
    - PEP 706: Filter for tarfile.extractall
    - Python documentation, `tarfile` — Extraction filters
    """

    meta = RuleMeta(
        code="PWA332",
        name="unsafe-archive-extraction",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(22, 409),
        summary="Archive extracted without a member filter (path traversal, links, bombs)",
        bandit=("B202",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset({"extractall", "extract", "unpack_archive"})

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr in ("extractall", "extract"):
                yield from self._method(node, func, ctx)
                return
            if func.attr != "unpack_archive":
                return
        elif not isinstance(func, ast.Name):
            return
        if ctx.call_name(node) not in _UNPACK:
            return
        if _filtered(ctx, node):
            return
        fmt = const(ctx, ctx.argument(node, 2, "format"))
        if fmt == "zip":
            return
        yield self.report(
            node,
            ctx,
            '`shutil.unpack_archive` without `filter="data"` extracts tar members outside the target '
            "directory before Python 3.14",
            severity=Severity.MEDIUM,
        )

    def _method(self, node: ast.Call, func: ast.Attribute, ctx: FileContext) -> Iterator[Finding]:
        factory = constructor_of(ctx, func.value)
        if factory is None:
            # An archive object pyward cannot type: only ``extractall`` in a file that uses tarfile
            # and not zipfile (``extract`` is too common a method name: pandas, regex helpers...).
            if (
                func.attr != "extractall"
                or not imports_any(ctx, ("tarfile",))
                or imports_any(ctx, ("zipfile",))
            ):
                return
            kind = "tar?"
        elif factory in _TAR_FACTORIES or factory.startswith("tarfile.TarFile"):
            kind = "tar"
        elif factory in _ZIP_FACTORIES:
            kind = "zip"
        else:
            return
        if kind == "zip":
            yield self.report(
                node,
                ctx,
                f"`ZipFile.{func.attr}` has no size limit: check member sizes and counts before "
                "extracting an archive you did not build",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
            )
            return
        if _filtered(ctx, node) or _sets_extraction_filter(ctx):
            return
        yield self.report(
            node,
            ctx,
            f'`TarFile.{func.attr}` without `filter="data"` can write outside the target directory '
            "(the safe default only arrived in Python 3.14)",
            confidence=Confidence.MEDIUM if kind == "tar" else Confidence.LOW,
        )


def _filtered(ctx: FileContext, call: ast.Call) -> bool:
    value = ctx.argument(call, None, "filter")
    if value is None:
        return ctx.has_star_kwargs(call)
    folded = const(ctx, value)
    if isinstance(folded, str):
        return folded != "fully_trusted"
    if folded is None:
        return False  # filter=None: the version's default
    name = ctx.qualname(value)
    return name != "tarfile.fully_trusted_filter"


def _sets_extraction_filter(ctx: FileContext) -> bool:
    cached: bool | None = ctx.__dict__.get("_pwa332_sets_filter")
    if cached is None:
        cached = any(
            isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Attribute) and t.attr == "extraction_filter" for t in n.targets)
            and const(ctx, n.value) is not None
            and "fully_trusted" not in ast.unparse(n.value)
            for n in ctx.semantic.nodes_by_type.get(ast.Assign, ())
        )
        ctx.__dict__["_pwa332_sets_filter"] = cached
    return cached
