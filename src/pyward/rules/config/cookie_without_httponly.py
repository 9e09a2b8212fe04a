"""PWC621: Session or identity cookie set without httponly=True."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import CookieRule


class CookieWithoutHttponly(CookieRule):
    r"""
    ## What it does
    Reports `set_cookie(...)`/`set_signed_cookie(...)` for a session, token or identity cookie when
    `httponly` is missing (the frameworks' default is False) or false. CSRF cookies (`csrftoken`,
    `XSRF-TOKEN`) are not reported: the double-submit pattern needs scripts to read them.

    ## Why is this bad?
    A script injected through any XSS flaw reads a cookie without `HttpOnly` and sends the session
    or token to the attacker.

    ## Example
    ```python
    from django.http import HttpResponse


    def login(request):
        response = HttpResponse("hello")
        response.set_cookie("auth_token", "abc", secure=True)
        return response
    ```

    ## Use instead
    ```python
    from django.http import HttpResponse


    def login(request):
        response = HttpResponse("hello")
        response.set_cookie("auth_token", "abc", secure=True, httponly=True)
        return response
    ```

    ## References
    - https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie
    - https://cwe.mitre.org/data/definitions/1004.html
    """

    meta = RuleMeta(
        code="PWC621",
        name="cookie-without-httponly",
        severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        cwe=(1004,),
        summary="Session or identity cookie set without httponly=True",
    )
