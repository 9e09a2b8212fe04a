"""PWA302: pickle-family deserialization of data that is not a constant (audit)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const, is_constant_data, is_true, local_values
from pyward.rules.base import AstRule, RuleMeta

#: qualified name -> (data argument position, keyword)
_LOADERS: dict[str, tuple[int, str]] = {
    "pickle.loads": (0, "data"),
    "pickle.load": (0, "file"),
    "pickle.Unpickler": (0, "file"),
    "_pickle.loads": (0, "data"),
    "_pickle.load": (0, "file"),
    "_pickle.Unpickler": (0, "file"),
    "cPickle.loads": (0, "data"),
    "cPickle.load": (0, "file"),
    "dill.loads": (0, "str"),
    "dill.load": (0, "file"),
    "dill.Unpickler": (0, "file"),
    "cloudpickle.loads": (0, "data"),
    "cloudpickle.load": (0, "file"),
    "marshal.loads": (0, "bytes"),
    "marshal.load": (0, "file"),
    "shelve.open": (0, "filename"),
    "shelve.DbfilenameShelf": (0, "filename"),
    "jsonpickle.decode": (0, "string"),
    "jsonpickle.loads": (0, "string"),
    "jsonpickle.unpickler.decode": (0, "string"),
    "joblib.load": (0, "filename"),
    "pandas.read_pickle": (0, "filepath_or_buffer"),
    "pandas.io.pickle.read_pickle": (0, "filepath_or_buffer"),
}
_FILENAME_APIS = ("joblib.", "pandas.")
_LAST = frozenset(n.rpartition(".")[2] for n in _LOADERS) | {"load"}


class PickleDeserialization(AstRule):
    """
    ## What it does
    Reports deserialization with formats that can build arbitrary objects when the data is not a
    constant and no taint finding already covers the call (a round trip such as
    `pickle.loads(pickle.dumps(obj))`, which only copies an object, is not reported either): `pickle`/`_pickle`/`cPickle`, `dill`,
    `cloudpickle`, `marshal`, `shelve.open`, `jsonpickle.decode`, `joblib.load`,
    `pandas.read_pickle`, `numpy.load(..., allow_pickle=True)` and `torch.load` with
    `weights_only=False`. `torch.load` without `weights_only` is reported at low severity: since
    PyTorch 2.6 the default is `weights_only=True`, older versions unpickle. This is an audit rule:
    pyward could not see where the data comes from, so the finding asks you to check that it can
    only come from you.

    ## Why is this bad?
    A pickle stream is a small program: its `REDUCE` opcode calls any importable function with
    any arguments, so loading one is running code chosen by whoever wrote the bytes. If a cache
    file, an upload, a queue message or a downloaded model can be replaced by someone else, they
    control your process.

    ## Example
    ```python
    import pickle

    def restore(blob):
        return pickle.loads(blob)
    ```

    ## Use instead
    ```python
    import json

    def restore(blob):
        return json.loads(blob)
    ```

    ## References
    - CWE-502: Deserialization of Untrusted Data
    - Python documentation, `pickle` — the warning at the top of the page
    - PyTorch documentation, `torch.load` (`weights_only`)
    """

    meta = RuleMeta(
        code="PWA302",
        name="pickle-deserialization",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(502,),
        summary="Deserialization that can build arbitrary objects, data origin unknown (audit)",
        bandit=("B301", "B302", "B614"),
    )
    superseded_by: ClassVar[tuple[str, ...]] = ("PWT",)
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = _LAST

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        func = node.func
        last = callee_leaf(node)
        if isinstance(func, ast.Attribute) and last not in _LAST:
            return
        name = ctx.call_name(node)
        if name is None:
            return
        if name in ("torch.load", "torch.serialization.load"):
            yield from self._torch(node, ctx)
            return
        if name in ("numpy.load", "numpy.lib.npyio.load"):
            if is_true(ctx, ctx.argument(node, 2, "allow_pickle")) and not is_constant_data(
                ctx, ctx.argument(node, 0, "file")
            ):
                yield self.report(
                    node, ctx, "`numpy.load(allow_pickle=True)` unpickles object arrays from the file"
                )
            return
        spec = _LOADERS.get(name)
        if spec is None:
            return
        data = ctx.argument(node, spec[0], spec[1])
        if data is None:
            return
        if name.startswith(_FILENAME_APIS):
            # The argument names a file: a constant path still reads bytes someone may have written.
            message = f"`{name}` unpickles what it reads from the file; make sure only you can write it"
        elif is_constant_data(ctx, data) or _self_produced(ctx, data):
            return
        elif name.startswith("shelve."):
            message = f"`{name}` unpickles every value read from the database file"
        else:
            message = f"`{name}` can run code chosen by whoever produced the data; make sure it is yours"
        yield self.report(node, ctx, message)

    def _torch(self, node: ast.Call, ctx: FileContext) -> Iterator[Finding]:
        weights_only = ctx.keyword(node, "weights_only")
        if weights_only is None:
            if ctx.has_star_kwargs(node):
                return
            yield self.report(
                node,
                ctx,
                "`torch.load` without `weights_only=` unpickles arbitrary objects before PyTorch 2.6; "
                "pass `weights_only=True`",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
            )
            return
        value = const(ctx, weights_only)
        if isinstance(value, bool) and not value:
            yield self.report(node, ctx, "`torch.load(weights_only=False)` unpickles arbitrary objects")


_DUMPERS = frozenset(
    {"pickle.dumps", "_pickle.dumps", "cPickle.dumps", "dill.dumps", "cloudpickle.dumps", "marshal.dumps",
     "jsonpickle.encode", "jsonpickle.dumps"}
)  # fmt: skip


def _self_produced(ctx: FileContext, expr: ast.expr, depth: int = 0) -> bool:
    """Data this code serialized itself a moment ago: ``loads(dumps(obj))`` (copying), or a local
    variable only ever assigned such a ``dumps(...)`` result."""
    if isinstance(expr, ast.Call):
        return ctx.call_name(expr) in _DUMPERS
    if depth < 3 and isinstance(expr, ast.Name):
        values = local_values(ctx, expr)
        return bool(values) and all(_self_produced(ctx, v, depth + 1) for v in values or ())
    return False
