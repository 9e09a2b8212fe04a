"""PWA373: Hugging Face Hub downloads without a pinned revision."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import ClassVar

from pyward.analysis.context import FileContext
from pyward.model import Confidence, Finding, Severity
from pyward.rules.ast._pwa3_util import callee_leaf, const, is_true, local_values
from pyward.rules.base import AstRule, RuleMeta

_HF_PREFIXES = (
    "transformers.",
    "diffusers.",
    "peft.",
    "optimum.",
    "sentence_transformers.",
    "timm.",
    "adapters.",
)
#: name -> (repo id position, keyword)
_DOWNLOADS: dict[str, tuple[int, str]] = {
    "huggingface_hub.hf_hub_download": (0, "repo_id"),
    "huggingface_hub.snapshot_download": (0, "repo_id"),
    "huggingface_hub.file_download.hf_hub_download": (0, "repo_id"),
    "huggingface_hub._snapshot_download.snapshot_download": (0, "repo_id"),
    "transformers.pipeline": (1, "model"),
    "datasets.load_dataset": (0, "path"),
    "sentence_transformers.SentenceTransformer": (0, "model_name_or_path"),
}
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


class HuggingfaceUnpinnedRevision(AstRule):
    """
    ## What it does
    Reports, at low severity, models and datasets fetched from the Hugging Face Hub by name
    without a `revision=` that is a full commit hash: `from_pretrained(...)` on classes from
    transformers, diffusers, peft, optimum and sentence-transformers, `transformers.pipeline(model=...)`,
    `huggingface_hub.hf_hub_download`/`snapshot_download`, `datasets.load_dataset`. A branch or tag
    (`revision="main"`, `"v1.0"`) is not a pin: both move. Local paths (`"./model"`, `"/opt/models/x"`)
    and names pyward cannot evaluate are not reported; with `trust_remote_code=True` the finding
    is raised to medium, since the repository's Python code runs on load.

    ## Why is this bad?
    A repository on the Hub can be changed by its owner, or by whoever takes over the account,
    at any time. Without a pinned commit, the next deployment loads different weights, different
    tokenizer files, pickled data or — with `trust_remote_code` — different code, with no review.

    ## Example
    ```python
    from transformers import AutoModel

    model = AutoModel.from_pretrained("org/sentiment-model")
    ```

    ## Use instead
    ```python
    from transformers import AutoModel

    model = AutoModel.from_pretrained(
        "org/sentiment-model", revision="5a9c1d4e3b2f6a7c8d9e0f1a2b3c4d5e6f7a8b9c"
    )
    ```

    ## References
    - CWE-494: Download of Code Without Integrity Check
    - Hugging Face documentation, `from_pretrained` (`revision`)
    """

    meta = RuleMeta(
        code="PWA373",
        name="huggingface-unpinned-revision",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(494,),
        summary="Hugging Face Hub model or dataset loaded without a pinned commit",
        bandit=("B615",),
    )
    node_types: ClassVar[tuple[type[ast.AST], ...]] = (ast.Call,)
    call_names: ClassVar[frozenset[str] | None] = frozenset(
        {"from_pretrained", *(n.rpartition(".")[2] for n in _DOWNLOADS)}
    )

    def visit(self, node: ast.AST, ctx: FileContext) -> Iterator[Finding]:
        assert isinstance(node, ast.Call)
        last = callee_leaf(node)
        if last != "from_pretrained" and last not in _LAST_DOWNLOADS:
            return
        name = ctx.call_name(node)
        if name is None:
            return
        if last == "from_pretrained" and name.startswith(_HF_PREFIXES):
            repo = ctx.argument(node, 0, "pretrained_model_name_or_path")
        elif name in _DOWNLOADS:
            pos, kw = _DOWNLOADS[name]
            repo = ctx.argument(node, pos, kw)
        else:
            return
        repo_id = _repo_id(ctx, repo)
        if repo_id is None or (name == "datasets.load_dataset" and "/" not in repo_id):
            return  # local path, unknown, or a packaged builder ("csv", "json", "parquet")
        revision = const(ctx, ctx.keyword(node, "revision"))
        if isinstance(revision, str) and _COMMIT.match(revision):
            return
        remote_code = is_true(ctx, ctx.keyword(node, "trust_remote_code"))
        what = f"revision={revision!r} is a moving ref" if isinstance(revision, str) else "no `revision=`"
        yield self.report(
            node,
            ctx,
            f"`{repo_id}` is fetched from the Hub with {what}; pin a commit hash"
            + (" (trust_remote_code runs the repository's code)" if remote_code else ""),
            severity=Severity.MEDIUM if remote_code else None,
        )


_LAST_DOWNLOADS = frozenset(n.rpartition(".")[2] for n in _DOWNLOADS)


def _repo_id(ctx: FileContext, expr: ast.expr | None) -> str | None:
    """The Hub repository id when ``expr`` is a constant that looks like one (not a local path)."""
    if expr is None:
        return None
    value = const(ctx, expr)
    if not isinstance(value, str) and isinstance(expr, ast.Name):
        values = local_values(ctx, expr)
        if values and len(values) == 1:
            value = const(ctx, values[0])
    if not isinstance(value, str) or not value:
        return None
    if value.startswith((".", "/", "~")) or "\\" in value or value.count("/") > 1 or ":" in value:
        return None
    return value
