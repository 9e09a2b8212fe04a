"""PWC520: CSRF_FAILURE_VIEW that cannot be imported or called."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pyward.frameworks.django import FunctionInfo, SettingsView
from pyward.model import Confidence, Finding, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule


def accepts_failure_call(info: FunctionInfo) -> bool:
    """Whether ``view(request, reason=...)`` binds, as Django checks with ``signature().bind``."""
    positional = list(info.positional)
    if not positional and not info.has_varargs:
        return False
    rest = positional[1:]
    required_rest = [p for p in info.required if p in rest]
    if info.kwonly_required and set(info.kwonly_required) - {"reason"}:
        return False
    if "reason" in rest:
        required_rest = [p for p in required_rest if p != "reason"]
    elif "reason" not in info.kwonly and not info.has_kwargs:
        return False
    return not required_rest


class DjangoCsrfFailureViewInvalid(DjangoRule):
    """
    ## What it does
    Reports a `CSRF_FAILURE_VIEW` that names a function of the project which does not exist in
    its module (Django's `security.E102`) or cannot be called as `view(request, reason=...)`
    (`security.E101`). Views outside the project are not judged.

    ## Why is this bad?
    Django calls this view when it rejects a request for failing CSRF validation. If it cannot
    be imported or called, the rejection itself crashes with a server error: every CSRF failure
    becomes a 500 response and an exception report instead of a clean 403.

    ## Example
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_FAILURE_VIEW = "settings.csrf_failure"


    def csrf_failure(request):
        ...
    ```

    ## Use instead
    ```python
    MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]
    CSRF_FAILURE_VIEW = "settings.csrf_failure"


    def csrf_failure(request, reason=""):
        ...
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/settings/#csrf-failure-view
    """

    meta = RuleMeta(
        code="PWC520",
        name="django-csrf-failure-view-invalid",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(755,),
        summary="CSRF_FAILURE_VIEW cannot be imported or called",
    )
    fix_hint = "Point CSRF_FAILURE_VIEW at a function taking (request, reason='')"
    django_ids: ClassVar[tuple[str, ...]] = ("security.E101", "security.E102")
    production_only: ClassVar[bool] = False

    def check_settings(self, view: SettingsView) -> Iterator[Finding]:
        if not view.is_set("CSRF_FAILURE_VIEW") or not view.known("CSRF_FAILURE_VIEW"):
            return
        target = view.value("CSRF_FAILURE_VIEW")
        if not isinstance(target, str):
            return
        status, info, _ = view.function(target)
        if status == "missing":
            yield self.finding(
                view.span("CSRF_FAILURE_VIEW"),
                f"CSRF_FAILURE_VIEW {target!r} cannot be imported: its module defines no such name",
            )
        elif status == "found" and info is not None and not accepts_failure_call(info):
            yield self.finding(
                view.span("CSRF_FAILURE_VIEW"),
                f"CSRF_FAILURE_VIEW {target!r} cannot be called as view(request, reason=...) "
                f"(defined at line {info.line})",
            )
