"""PWC653: FastAPI/Starlette app without HTTPS redirect."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FastAPIRule


class StarletteNoHttpsRedirect(FastAPIRule):
    r"""
    ## What it does
    Reports each `FastAPI()`/`Starlette()` application (outside test files) in a project that never
    uses `HTTPSRedirectMiddleware`. A reverse proxy that redirects to HTTPS makes this moot, which pyward
    cannot see: low severity, low confidence.

    ## Why is this bad?
    Requests made over plain HTTP are served as they are, exposing cookies and tokens to the
    network.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware

    app = FastAPI()
    app.add_middleware(HTTPSRedirectMiddleware)
    ```

    ## References
    - https://www.starlette.io/middleware/#httpsredirectmiddleware
    """

    meta = RuleMeta(
        code="PWC653",
        name="starlette-no-https-redirect",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        cwe=(319,),
        summary="FastAPI/Starlette app without HTTPS redirect",
    )
