"""FastAPI and Starlette: endpoint parameters and the ``Request`` object."""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, EntryPoint, ParamType, Source, Subtype

_REQ = "starlette.requests.Request"

SOURCES = tuple(
    Source(f"{_REQ}.{a}", "remote", f"Starlette request.{a}")
    for a in (
        "query_params",
        "path_params",
        "headers",
        "cookies",
        "body",
        "json",
        "form",
        "url",
        "stream",
        "base_url",
    )
)

ALIASES = (
    Alias("fastapi.Request", _REQ),
    Alias("fastapi.requests.Request", _REQ),
    Alias("starlette.requests.HTTPConnection", _REQ),
    Alias("fastapi.applications.FastAPI", "fastapi.FastAPI"),
    Alias("fastapi.routing.APIRouter", "fastapi.APIRouter"),
    Alias("starlette.applications.Starlette", "starlette.Starlette"),
)

SUBTYPES = (Subtype("fastapi.FastAPI", "starlette.Starlette"),)

PARAM_TYPES = (ParamType("request", _REQ, "starlette"),)

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket")

ENTRY_POINTS = (
    *(
        EntryPoint(
            "fastapi", decorator=f"{owner}.{verb}", params="fastapi", label="FastAPI endpoint parameter"
        )
        for owner in ("fastapi.FastAPI", "fastapi.APIRouter")
        for verb in _VERBS
    ),
    *(
        EntryPoint(
            "fastapi",
            register=f"{owner}.add_api_route",
            handler_arg=1,
            handler_keyword="endpoint",
            params="fastapi",
            label="FastAPI endpoint parameter",
        )
        for owner in ("fastapi.FastAPI", "fastapi.APIRouter")
    ),
    EntryPoint(
        "starlette",
        register="starlette.routing.Route",
        handler_arg=1,
        handler_keyword="endpoint",
        params="none",
    ),
    EntryPoint("starlette", decorator="starlette.Starlette.route", params="none"),
)
