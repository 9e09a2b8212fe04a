"""PWC652: TrustedHostMiddleware accepts any Host header."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FastAPIRule


class StarletteTrustedHostAny(FastAPIRule):
    r"""
    ## What it does
    Reports `TrustedHostMiddleware` added without `allowed_hosts` (Starlette then uses `["*"]`) or
    with `"*"` in it.

    ## Why is this bad?
    The middleware is meant to reject requests for other host names (host-header poisoning of
    password-reset links and caches); configured this way it accepts everything and protects nothing.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.trustedhost import TrustedHostMiddleware

    app = FastAPI()
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=["example.com", "*.example.com"])
    ```

    ## References
    - https://www.starlette.io/middleware/#trustedhostmiddleware
    """

    meta = RuleMeta(
        code="PWC652",
        name="starlette-trusted-host-any",
        severity=Severity.LOW,
        confidence=Confidence.HIGH,
        cwe=(20,),
        summary="TrustedHostMiddleware accepts any Host header",
    )
