"""PWD904: a dependency with no version (URL, VCS, local path, editable) cannot be checked."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import Rule, RuleMeta


class UnverifiableDependency(Rule):
    """
    ## What it does
    Reports requirements that name a source instead of a version: `name @ https://...`, VCS URLs
    (`git+https://...`), local paths and editable installs (`-e ./lib`). pyward cannot match them
    against advisories, and says "cannot check" instead of counting them as clean.

    ## Why is this bad?
    Nobody can tell which release such a requirement installs, so no advisory database can say
    whether it is vulnerable; branch references also change under you without any diff in the
    project.

    ## Example
    ```text
    flask @ https://github.com/pallets/flask/archive/refs/heads/main.zip
    ```

    ## Use instead
    ```text
    flask==3.0.3
    ```
    """

    meta = RuleMeta(
        code="PWD904",
        name="unverifiable-dependency",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(1357,),
        summary="Dependency given by URL, VCS or path: no version to check against advisories",
    )
    analysis = "pyward.deps.analysis:DependencyAnalysis"
    example_filename = "requirements.txt"
