"""PWD903: a dependency whose name imitates a much more popular PyPI project."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import Rule, RuleMeta


class TyposquatSuspect(Rule):
    """
    ## What it does
    Reports a dependency whose name is not popular itself but is a near-copy of a much more
    popular PyPI project: the same name with `0`/`o`, `1`/`l`/`I`, `rn`/`m` or `vv`/`w` swapped or
    separators changed, with a `python-`/`py`/`-python`/`python3-` affix added or dropped, one
    character inserted, deleted, replaced or two neighbours swapped (names of 4+ characters), two
    characters changed (8+ characters), or the same `-` words reordered. The popular-packages list
    comes with the advisory database (`pyward db update`); the finding names the project it
    resembles and its download rank.

    ## Why is this bad?
    Typosquatting packages are published under names one slip away from popular ones and run
    their payload at install or import time (credential theft, backdoors). A single mistyped line
    in a requirements file is enough, and the install usually succeeds without any error.

    ## Example
    ```text
    reqeusts==2.31.0
    ```

    ## Use instead
    ```text
    requests==2.31.0
    ```

    ## References
    - CWE-1357: Reliance on Insufficiently Trustworthy Component
    - PyPI malware reports: https://blog.pypi.org/posts/2023-05-25-securing-pypi-with-2fa/
    """

    # CWE-1357 rather than CWE-506 (embedded malicious code): the finding is that the project
    # relies on a component whose identity is doubtful; pyward has not seen malicious code in it.
    meta = RuleMeta(
        code="PWD903",
        name="typosquat-suspect",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(1357,),
        summary="Dependency name imitates a much more popular PyPI project (possible typosquat)",
    )
    analysis = "pyward.deps.typosquat_analysis:TyposquatAnalysis"
    example_filename = "requirements.txt"
