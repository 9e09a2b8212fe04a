"""PWC650: Starlette/FastAPI CORSMiddleware allows credentials from any origin."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FastAPIRule


class StarletteCorsCredentialsAnyOrigin(FastAPIRule):
    r"""
    ## What it does
    Reports `CORSMiddleware` (added with `app.add_middleware`, `Middleware(...)` or by wrapping)
    with `allow_credentials=True` and `allow_origins` containing `"*"`, or an `allow_origin_regex` that
    also accepts an attacker's origin (Starlette matches it with `re.fullmatch`, so only permissive
    patterns such as `https://.*` or an unescaped dot count).

    ## Why is this bad?
    Starlette does not send `*` for credentialed requests: the preflight and any request carrying a
    cookie get the request's own `Origin` echoed with `Access-Control-Allow-Credentials: true`, so any
    website can call the API with the user's cookies and read the responses.

    ## Example
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)
    ```

    ## References
    - https://www.starlette.io/middleware/#corsmiddleware
    - https://fastapi.tiangolo.com/tutorial/cors/
    """

    meta = RuleMeta(
        code="PWC650",
        name="starlette-cors-credentials-any-origin",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(942, 346),
        summary="Starlette/FastAPI CORSMiddleware allows credentials from any origin",
    )
