"""PWD901: a pinned or locked dependency version has a known vulnerability."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import Rule, RuleMeta


class VulnerableDependency(Rule):
    """
    ## What it does
    Checks every dependency whose exact version is known (an `==` pin, a lock file entry, an
    installed distribution) against the local advisory database, and reports each known
    vulnerability of that version: the advisory ids and their aliases (PYSEC, GHSA, CVE), every
    source that reported it, the summary, the versions that fix it, and the smallest upgrade that
    fixes *all* known advisories of the package. The severity comes from the advisory's CVSS v3
    base score when one is published, else it is high.

    ## Why is this bad?
    Known vulnerabilities in dependencies are exploited with public proof-of-concept code long
    after the fix is released; the application is as vulnerable as its weakest pinned package.

    ## Example
    ```text
    django==3.2.0
    ```

    ## Use instead
    ```text
    django==4.2.16
    ```

    ## References
    - OSV schema: https://ossf.github.io/osv-schema/
    - PyPA advisory database: https://github.com/pypa/advisory-database
    """

    meta = RuleMeta(
        code="PWD901",
        name="vulnerable-dependency",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(1395,),
        summary="Dependency version with a known vulnerability",
    )
    analysis = "pyward.deps.analysis:DependencyAnalysis"
    example_filename = "requirements.txt"
