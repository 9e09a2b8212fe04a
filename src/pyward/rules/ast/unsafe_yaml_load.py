"""PWA301: YAML loaded with a loader that can build arbitrary Python objects."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const, is_constant_data
from pyward.rules.base import AstRule, RuleMeta

_SAFE_LOADERS = frozenset(
    f"yaml.{n}" for n in ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "loader.SafeLoader")
)
_UNSAFE_LOADERS = frozenset(
    f"yaml.{n}" for n in ("Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader", "loader.Loader")
)
_FULL_LOADERS = frozenset(f"yaml.{n}" for n in ("FullLoader", "CFullLoader", "loader.FullLoader"))
_LOAD = frozenset({"yaml.load", "yaml.load_all"})
_UNSAFE_FUNCS = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all"})
_FULL_FUNCS = frozenset({"yaml.full_load", "yaml.full_load_all"})
_RUAMEL = frozenset({"ruamel.yaml.YAML", "ruamel.yaml.main.YAML"})


class UnsafeYamlLoad(AstRule):
    """
    ## What it does
    Reports YAML documents read with a loader that can construct arbitrary Python objects:
    `yaml.unsafe_load`, `yaml.load` with `Loader=yaml.Loader`/`UnsafeLoader`/`CLoader`, `yaml.load`
    without any `Loader` (unsafe before PyYAML 5.1, a `TypeError` since 6.0), and
    `ruamel.yaml.YAML(typ="unsafe")`. `yaml.full_load` and `Loader=yaml.FullLoader` are reported at
    medium severity: that loader was meant to be safe but was bypassed three times
    (CVE-2019-20477, CVE-2020-1747, CVE-2020-14343) and still resolves Python-specific tags, so PyYAML
    itself recommends `safe_load` for input you do not control. A YAML text that is a literal in the
    code is not reported, and neither are `SafeLoader`/`BaseLoader` (and their C variants) or a
    loader class of your own that derives from them.

    ## Why is this bad?
    With the full Python constructor a document such as `!!python/object/apply:os.system ["id"]`
    runs a command while it is being parsed. Anyone who can influence the YAML (an upload, a
    configuration repository, a message queue) can run code in your process.

    ## Example
    ```python
    import yaml

    def read_config(path):
        with open(path) as fh:
            return yaml.load(fh, Loader=yaml.Loader)
    ```

    ## Use instead
    ```python
    import yaml

    def read_config(path):
        with open(path) as fh:
            return yaml.safe_load(fh)
    ```

    ## References
    - CWE-502: Deserialization of Untrusted Data
    - PyYAML wiki, "PyYAML yaml.load(input) Deprecation"
    """

    meta = RuleMeta(
        code="PWA301",
        name="unsafe-yaml-load",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(502,),
        summary="YAML loaded with a loader that can construct arbitrary Python objects",
        bandit=("B506",),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        n.rpartition(".")[2] for n in (*_RUAMEL, *_LOAD, *_UNSAFE_FUNCS, *_FULL_FUNCS)
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        attr = callee_leaf(node)
        if "load" not in attr and attr != "YAML":
            return
        name = ctx.call_name(node)
        if name is None:
            return
        if name in _RUAMEL:
            typ = const(ctx, ctx.keyword(node, "typ"))
            kinds = typ if isinstance(typ, (list, tuple)) else [typ]
            if "unsafe" in kinds:
                yield self.report(
                    node, ctx, '`YAML(typ="unsafe")` constructs arbitrary Python objects; use typ="safe"'
                )
            return
        if name not in _LOAD and name not in _UNSAFE_FUNCS and name not in _FULL_FUNCS:
            return
        stream = ctx.argument(node, 0, "stream")
        if stream is None or is_constant_data(ctx, stream):
            return  # nothing to load (or *args), or a literal document
        if any(isinstance(a, ast.Starred) for a in node.args):
            return
        short = name.rpartition(".")[2]
        if name in _UNSAFE_FUNCS:
            yield self.report(
                node, ctx, f"`yaml.{short}` can run code from the document; use `yaml.safe_load`"
            )
            return
        if name in _FULL_FUNCS:
            yield self._full(node, ctx, f"`yaml.{short}`")
            return
        loader = ctx.argument(node, 1, "Loader")
        if loader is None:
            if ctx.has_star_kwargs(node):
                return
            yield self.report(
                node,
                ctx,
                f"`yaml.{short}` without `Loader=` uses the unsafe loader before PyYAML 5.1 "
                "(and fails since 6.0); use `yaml.safe_load`",
            )
            return
        kind = _loader_kind(ctx, loader)
        if kind == "unsafe":
            yield self.report(
                node,
                ctx,
                f"`yaml.{short}` with `{ast.unparse(loader)}` can run code from the document; "
                "use `yaml.SafeLoader`",
            )
        elif kind == "full":
            yield self._full(node, ctx, f"`yaml.{short}` with `{ast.unparse(loader)}`")

    def _full(self, node: ast.Call, ctx: FileContext, what: str) -> Finding:
        return self.report(
            node,
            ctx,
            f"{what} resolves Python-specific tags and has had several bypasses; "
            "use `yaml.safe_load` for data you do not control",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
        )


def _loader_kind(ctx: FileContext, loader: ast.expr, depth: int = 0) -> str:
    """``unsafe``, ``full``, ``safe`` or ``unknown`` for a Loader expression."""
    name = ctx.qualname(loader)
    if name is None:
        return "unknown"
    if name in _SAFE_LOADERS:
        return "safe"
    if name in _UNSAFE_LOADERS:
        return "unsafe"
    if name in _FULL_LOADERS:
        return "full"
    if depth < 5 and name.startswith(ctx.module + ".") and isinstance(loader, ast.Name):
        # A loader class defined in this module: judged by what it derives from.
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == loader.id:
                kinds = {_loader_kind(ctx, base, depth + 1) for base in stmt.bases}
                for kind in ("unsafe", "full", "safe"):
                    if kind in kinds:
                        return kind
    return "unknown"
