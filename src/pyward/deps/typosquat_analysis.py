"""Typosquatting as an engine analysis (rule PWD903).

Per file: parse the manifest and keep the names and lines of the dependencies that come from an
index (``name @ url``, VCS, paths and editables are not PyPI names and are skipped). Per project:
load the popular-packages list that lives beside the advisory database and report each suspect
at the line that declares it. Without the list nothing is checked and the scan says so in
``project.incomplete`` (exit code 3) instead of passing silently.
"""

from __future__ import annotations

from typing import Any

from pyward.analysis.base import Analysis, PerFileOutput, ProjectModel
from pyward.deps.paths import popular_list_path, resolve_db_path
from pyward.deps.types import ManifestResult
from pyward.model import FileKind, Finding, Span

#: (name, display path, line) of one declared dependency.
DeclaredName = tuple[str, str, int]


def declared_names(result: ManifestResult) -> list[DeclaredName]:
    return [
        (dep.name, dep.file, dep.line)
        for dep in result.dependencies
        if dep.source == "installed" or (dep.url is None and not dep.editable)
    ]


class TyposquatAnalysis(Analysis):
    name = "typosquat"
    text_kinds = frozenset({FileKind.MANIFEST})
    wants_python = False

    def project_cache_token(self, project: ProjectModel) -> str | None:
        return None  # depends on the popular-packages list, not only on the scanned files

    def analyze_text(self, path: str, abspath: str, kind: FileKind, text: str) -> PerFileOutput:
        from pyward.deps.manifests import parse_manifest

        result = parse_manifest(path, abspath, text, target=self.settings.target_python or None)
        return PerFileOutput(data=declared_names(result))

    def analyze_project(self, project: ProjectModel) -> list[Finding]:
        declared: list[DeclaredName] = []
        seen: set[DeclaredName] = set()
        for entry in project.of_kind(FileKind.MANIFEST):
            data: Any = entry.data.get(self.name)
            if isinstance(data, list):
                for item in data:
                    if isinstance(item, tuple) and item not in seen:
                        seen.add(item)
                        declared.append(item)
        environment = project.options.get("environment")
        if isinstance(environment, ManifestResult):
            for item in declared_names(environment):
                if item not in seen:
                    seen.add(item)
                    declared.append(item)
        if not declared:
            return []
        from pyward.deps.typosquat import PopularListError, load_popular
        from pyward.rules.deps.typosquat import TyposquatSuspect

        path = popular_list_path(resolve_db_path(project.options.get("db")))
        try:
            index = load_popular(path)
        except PopularListError as exc:
            project.incomplete.append(f"typosquatting check: {exc}")
            return []
        suspects = index.check_many([name for name, _, _ in declared], allow=project.settings.allow_packages)
        findings: list[Finding] = []
        for name, file, line in declared:
            suspect = suspects.get(name)
            if suspect is None:
                continue
            target = suspect.resembles
            findings.append(
                TyposquatSuspect.finding(
                    Span(file or "requirements.txt", max(line, 1)),
                    f"{suspect.describe()}; check that {name!r} is really the package you mean "
                    f"(if it is, add it to [tool.pyward] allow-packages)",
                    package=suspect.name,
                    resembles=target.name,
                    rank=target.rank,
                    downloads=target.downloads,
                    reason=suspect.reason,
                )
            )
        return findings
