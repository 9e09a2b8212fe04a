"""PWC651: FastAPI/Starlette debug mode turned on."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.config._web import FastAPIRule


class StarletteDebugEnabled(FastAPIRule):
    r"""
    ## What it does
    Reports `FastAPI(debug=True)`, `Starlette(debug=True)` and `app.debug = True` on such an app
    (environment reads judged on their default).

    ## Why is this bad?
    In debug mode Starlette answers server errors with the traceback, including source lines and
    local details, to whoever made the request.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI(debug=True)
    ```

    ## Use instead
    ```python
    import os

    from fastapi import FastAPI

    app = FastAPI(debug=os.environ.get("APP_DEBUG") == "1")
    ```

    ## References
    - https://www.starlette.io/applications/
    """

    meta = RuleMeta(
        code="PWC651",
        name="starlette-debug-enabled",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        cwe=(489, 215),
        summary="FastAPI/Starlette debug mode turned on",
    )
