"""PWC599: which settings module was judged what (information)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pyward.model import Confidence, Finding, Severity, Span
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

_CONSEQUENCE = {
    "production": "all checks apply",
    "in-effect": "all checks apply",
    "development": "production-only checks are skipped",
    "base": "checked through the modules that import it",
}


class DjangoSettingsRole(DjangoRule):
    """
    ## What it does
    Says, for every Django settings module found, how pyward judged it and why: *production*
    (pointed at by `wsgi.py`/`asgi.py`, or named `prod`, `production`, `live`, `staging`...),
    *development* (named `dev`, `local`, `test`, `ci`...), *in effect* (pointed at by
    `manage.py`, or a lone `settings.py`), or *base* (only imported by other settings modules).
    This is information, not a problem: it makes the other findings' scope visible.

    ## Why is this bad?
    It is not. But a module judged *development* is not checked for deployment settings, so a
    misjudged module would hide findings; this line lets you see and correct that (point
    `DJANGO_SETTINGS_MODULE` at it from `wsgi.py`, or rename it).

    ## Example
    ```python
    INSTALLED_APPS = ["django.contrib.auth"]
    DEBUG = False
    ```

    ## Use instead
    ```python
    # not a settings module: nothing to report
    TIMEOUT = 30
    ```
    """

    meta = RuleMeta(
        code="PWC599",
        name="django-settings-role",
        severity=Severity.INFO,
        confidence=Confidence.HIGH,
        cwe=(),
        summary="How a Django settings module was judged (production, development, base)",
    )
    production_only = False

    def check_project(
        self, facts: Sequence[Any], index: Any, settings: Mapping[str, Any]
    ) -> Iterator[Finding]:
        for module in sorted(settings):
            entry = settings[module]
            role = entry.role
            unseen = ""
            if entry.unseen:
                names = ", ".join(f"`{m}`" for m in entry.unseen)
                unseen = f"; it imports {names} when present, which is not in the scanned tree"
            if entry.dynamic:
                unseen += "; it sets globals dynamically, so settings it does not assign are not judged"
            yield self.finding(
                Span(entry.facts.path, 1),
                f"Django settings module `{module}` judged {role.kind}: {role.reason}; "
                f"{_CONSEQUENCE.get(role.kind, '')}{unseen}",
                role=role.kind,
                reason=role.reason,
                imported_by=list(entry.imported_by),
                unseen_imports=list(entry.unseen),
                dynamic_globals=entry.dynamic,
            )
