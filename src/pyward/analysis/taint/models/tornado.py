"""Tornado request handlers."""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, EntryPoint, Sanitizer, Sink, Source, TypeOf

_H = "tornado.web.RequestHandler"
_REQ = "tornado.httputil.HTTPServerRequest"

SOURCES = (
    *(
        Source(f"{_H}.{m}", "remote", f"Tornado {m}()")
        for m in (
            "get_argument",
            "get_arguments",
            "get_query_argument",
            "get_query_arguments",
            "get_body_argument",
            "get_body_arguments",
            "get_cookie",
            "get_signed_cookie",
            "get_secure_cookie",
            "decode_argument",
        )
    ),
    Source(f"{_H}.path_args", "remote", "Tornado path arguments"),
    Source(f"{_H}.path_kwargs", "remote", "Tornado path arguments"),
    *(
        Source(f"{_REQ}.{a}", "remote", f"Tornado request.{a}")
        for a in (
            "body",
            "arguments",
            "query_arguments",
            "body_arguments",
            "files",
            "headers",
            "uri",
            "path",
            "query",
            "cookies",
            "host",
            "full_url",
        )
    ),
)

ALIASES = (Alias("tornado.httputil.HTTPRequest", _REQ),)

TYPES = (TypeOf(f"{_H}.request", _REQ),)

ENTRY_POINTS = (
    EntryPoint(
        "tornado",
        base=_H,
        methods=("get", "post", "put", "patch", "delete", "head", "options"),
        label="Tornado path argument",
    ),
)

# ``write``/``finish`` send a string as the body with Tornado's default ``text/html`` content
# type; a dict is sent as JSON (``application/json``).
SINKS = tuple(
    Sink(f"{_H}.{m}", "xss", args=(0,), keywords=("chunk",), part="text", label=f"Tornado {m}()")
    for m in ("write", "finish")
)

SANITIZERS = (Sanitizer("tornado.escape.xhtml_escape", ("xss",)),)
