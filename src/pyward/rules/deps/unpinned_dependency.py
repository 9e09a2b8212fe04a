"""PWD902: a dependency is declared with a range (or no version at all) instead of a pin."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import Rule, RuleMeta


class UnpinnedDependency(Rule):
    """
    ## What it does
    Reports a requirement that does not fix one version (`requests>=2.0`, `flask`, `jinja2~=2.10`)
    and lists the known advisories affecting versions the range still admits. pyward does not
    pretend the lower bound is what gets installed: it names the newest version it knows the
    range admits and whether that one is affected, and notes when the range also admits releases
    newer than any version the advisory data mentions (those may be fine).

    ## Why is this bad?
    What a range resolves to changes from one install to the next, so the audited version is not
    necessarily the deployed one, and a resolver may legitimately pick a vulnerable release that
    the range still allows (an old cached wheel, a constraint elsewhere, a pinned transitive
    dependency). Pins in a requirements or lock file make the audit mean something.

    ## Example
    ```text
    requests>=2.0
    ```

    ## Use instead
    ```text
    requests==2.32.3
    ```
    """

    meta = RuleMeta(
        code="PWD902",
        name="unpinned-dependency",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(1357,),
        summary="Dependency not pinned to one version; lists advisories the range still admits",
    )
    analysis = "pyward.deps.analysis:DependencyAnalysis"
    example_filename = "requirements.txt"
