"""aiohttp web server: the request object and route handlers."""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, EntryPoint, ParamType, Source, Subtype, TypeOf

_REQ = "aiohttp.web.BaseRequest"

SOURCES = tuple(
    Source(f"{_REQ}.{a}", "remote", f"aiohttp request.{a}")
    for a in (
        "match_info",
        "query",
        "rel_url",
        "url",
        "post",
        "json",
        "text",
        "read",
        "content",
        "headers",
        "cookies",
        "path",
        "path_qs",
        "query_string",
        "raw_path",
        "raw_headers",
        "multipart",
        "forwarded",
        "host",
    )
)

ALIASES = (
    Alias("aiohttp.web_request.Request", "aiohttp.web.Request"),
    Alias("aiohttp.web_request.BaseRequest", _REQ),
    Alias("aiohttp.web_app.Application", "aiohttp.web.Application"),
    Alias("aiohttp.web_routedef.RouteTableDef", "aiohttp.web.RouteTableDef"),
    Alias("aiohttp.web_urldispatcher.UrlDispatcher", "aiohttp.web.UrlDispatcher"),
    Alias("aiohttp.web_urldispatcher.View", "aiohttp.web.View"),
)

SUBTYPES = (Subtype("aiohttp.web.Request", _REQ),)

TYPES = (
    TypeOf("aiohttp.web.Application.router", "aiohttp.web.UrlDispatcher"),
    TypeOf("aiohttp.web.View.request", "aiohttp.web.Request"),
)

PARAM_TYPES = (ParamType("request", "aiohttp.web.Request", "aiohttp"),)

ENTRY_POINTS = (
    *(
        EntryPoint("aiohttp", decorator=f"aiohttp.web.RouteTableDef.{verb}", params="none")
        for verb in ("get", "post", "put", "patch", "delete", "head", "route", "view")
    ),
    *(
        EntryPoint(
            "aiohttp",
            register=f"aiohttp.web.UrlDispatcher.{m}",
            handler_arg=1,
            handler_keyword="handler",
            params="none",
        )
        for m in ("add_get", "add_post", "add_put", "add_patch", "add_delete", "add_route", "add_view")
    ),
    *(
        EntryPoint(
            "aiohttp", register=f"aiohttp.web.{m}", handler_arg=1, handler_keyword="handler", params="none"
        )
        for m in ("get", "post", "put", "patch", "delete", "route", "view")
    ),
    EntryPoint(
        "aiohttp", base="aiohttp.web.View", methods=("get", "post", "put", "patch", "delete"), params="none"
    ),
)
