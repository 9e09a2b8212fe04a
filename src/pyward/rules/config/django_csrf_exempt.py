"""PWC538: csrf_exempt on a view that changes state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pyward.frameworks.django import DJANGO_POST_VIEWS, ClassInfo, DjangoFileFacts
from pyward.model import Confidence, Finding, Severity, Span
from pyward.rules.base import RuleMeta
from pyward.rules.config.base import DjangoRule

_FORMS = {
    "decorator": "@csrf_exempt",
    "call": "csrf_exempt(...)",
    "method_decorator": "method_decorator(csrf_exempt) on dispatch",
}


def _is_drf(info: ClassInfo, index: Any, depth: int = 0) -> bool:
    """A Django REST framework view: csrf_exempt by construction, CSRF enforced by
    SessionAuthentication, so csrf_exempt changes nothing."""
    for base in info.bases:
        if base.startswith("rest_framework."):
            return True
        module, _, name = base.rpartition(".")
        facts = index.find(module) if module and depth < 20 else None
        if facts is not None and name in facts.classes and _is_drf(facts.classes[name], index, depth + 1):
            return True
    return False


def _class_reason(info: ClassInfo, index: Any, depth: int = 0) -> str:
    if info.handlers:
        return f"defines {', '.join(h + '()' for h in info.handlers)}"
    if info.dispatch_writes:
        return f"its dispatch() {info.dispatch_writes}"
    if depth > 20:
        return ""
    for base in info.bases:
        if base in DJANGO_POST_VIEWS:
            return f"inherits from {base.rsplit('.', 1)[-1]}, which handles POST"
        module, _, name = base.rpartition(".")
        facts = index.find(module) if module else None
        if facts is not None and name in facts.classes:
            reason = _class_reason(facts.classes[name], index, depth + 1)
            if reason:
                return reason
    return ""


def view_reason(target: str, index: Any) -> str:
    """Why the view ``target`` changes state ('' when it does not, or is not in the project)."""
    if target in DJANGO_POST_VIEWS:
        return f"is {target.rsplit('.', 1)[-1]}, which handles POST"
    module, _, name = target.rpartition(".")
    facts: DjangoFileFacts | None = index.find(module) if module else None
    if facts is None:
        return ""
    if name in facts.functions:
        function = facts.functions[name]
        return "" if function.read_only else function.writes
    if name in facts.classes:
        info = facts.classes[name]
        return "" if _is_drf(info, index) else _class_reason(info, index)
    return ""


class DjangoCsrfExemptStateChanging(DjangoRule):
    """
    ## What it does
    Reports `csrf_exempt` applied to a view that changes state: a function view that reads
    `request.POST`/`request.body`/`request.FILES`, compares `request.method` with an unsafe
    method, is restricted to POST, or saves/deletes/creates model objects; a class-based view
    that defines `post`/`put`/`patch`/`delete` or derives from Django's editing views; a GraphQL
    view (graphene-django, Strawberry, Ariadne), whose mutations arrive as POST. Every form
    is recognised: the `@csrf_exempt` decorator, `csrf_exempt(view)` or
    `csrf_exempt(View.as_view())` in a URLconf, and `method_decorator(csrf_exempt,
    name="dispatch")` on the class or on `dispatch`. Views restricted to GET (`require_GET`,
    `require_safe`) and read-only views are not reported; `method_decorator(csrf_exempt)` on a
    method other than `dispatch` has no effect in Django and is not reported either; nor are Django
    REST framework views (`@api_view`, `APIView` subclasses), which are exempt by construction
    and have CSRF enforced by `SessionAuthentication`.

    ## Why is this bad?
    An exempt view accepts a forged cross-site request: any page the victim visits can make the
    victim's browser submit it with the victim's cookies. Webhooks that must be exempt should
    authenticate their caller another way (a signature header) — then suppress the finding with
    that reason.

    ## Example
    ```python
    from django.http import HttpResponse
    from django.views.decorators.csrf import csrf_exempt


    @csrf_exempt
    def update_email(request):
        if request.method == "POST":
            request.user.email = request.POST["email"]
            request.user.save()
        return HttpResponse("ok")
    ```

    ## Use instead
    ```python
    from django.http import HttpResponse
    from django.views.decorators.http import require_POST


    @require_POST
    def update_email(request):
        request.user.email = request.POST["email"]
        request.user.save()
        return HttpResponse("ok")
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/csrf/#django.views.decorators.csrf.csrf_exempt
    """

    meta = RuleMeta(
        code="PWC538",
        name="django-csrf-exempt-state-changing",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        cwe=(352,),
        summary="CSRF protection is disabled on a view that changes state",
    )
    fix_hint = 'Remove csrf_exempt, or authenticate the caller another way (e.g. a signed webhook) and say so in a suppression'
    example_filename = "views.py"

    def check_project(
        self, facts: Sequence[Any], index: Any, settings: Mapping[str, Any]
    ) -> Iterator[Finding]:
        for f in facts:
            for use in f.exempts:
                reason = view_reason(use.target, index)
                if not reason:
                    continue
                name = use.target.rsplit(".", 1)[-1]
                yield self.finding(
                    Span(f.path, use.line, use.col, use.end_line, use.end_col),
                    f"{_FORMS.get(use.form, use.form)} disables CSRF protection for view `{name}`, "
                    f"which {reason}",
                    view=use.target,
                    form=use.form,
                )
