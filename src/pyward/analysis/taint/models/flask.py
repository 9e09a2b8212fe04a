"""Flask and Werkzeug: the request proxy, route parameters, class-based views."""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, EntryPoint, Source, Subtype, TypeOf

_REQUEST_ATTRS = (
    "args",
    "form",
    "values",
    "json",
    "get_json",
    "data",
    "get_data",
    "cookies",
    "headers",
    "files",
    "view_args",
    "path",
    "full_path",
    "url",
    "base_url",
    "url_root",
    "host_url",
    "query_string",
    "stream",
    "environ",
    "input_stream",
    "referrer",
    "user_agent",
    "authorization",
    "host",
    "script_root",
    "remote_user",
    "access_route",
    "if_match",
    "if_none_match",
    "accept_languages",
    "accept_mimetypes",
    "mimetype",
    "content_type",
)

SOURCES = (
    *(Source(f"flask.request.{a}", "remote", f"Flask request.{a}") for a in _REQUEST_ATTRS),
    *(Source(f"werkzeug.wrappers.Request.{a}", "remote", f"request.{a}") for a in _REQUEST_ATTRS),
)

ALIASES = (
    Alias("flask.globals.request", "flask.request"),
    Alias("flask.app.Flask", "flask.Flask"),
    Alias("flask.blueprints.Blueprint", "flask.Blueprint"),
    Alias("werkzeug.wrappers.request.Request", "werkzeug.wrappers.Request"),
    Alias("werkzeug.Request", "werkzeug.wrappers.Request"),
    Alias("flask.Request", "werkzeug.wrappers.Request"),
    Alias("flask.wrappers.Request", "werkzeug.wrappers.Request"),
    Alias("flask.wrappers.Response", "flask.Response"),
    Alias("flask.helpers.make_response", "flask.make_response"),
    Alias("flask.helpers.redirect", "flask.redirect"),
    Alias("werkzeug.exceptions.abort", "flask.abort"),
)

SUBTYPES = (
    Subtype("flask.views.MethodView", "flask.views.View"),
    Subtype("flask.Response", "werkzeug.wrappers.Response"),
)

TYPES = (
    TypeOf("flask.Flask()", "flask.Flask"),
    TypeOf("flask.Blueprint()", "flask.Blueprint"),
    TypeOf("flask.make_response()", "flask.Response"),
    TypeOf("flask.Flask.make_response()", "flask.Response"),
    TypeOf("flask.Flask.response_class()", "flask.Response"),
)

_ROUTE = "Flask route parameter"

ENTRY_POINTS = (
    *(
        EntryPoint("flask", decorator=f"{owner}.{deco}", params="route", label=_ROUTE)
        for owner in ("flask.Flask", "flask.Blueprint")
        for deco in ("route", "get", "post", "put", "patch", "delete")
    ),
    *(
        EntryPoint(
            "flask",
            register=f"{owner}.add_url_rule",
            handler_arg=2,
            handler_keyword="view_func",
            params="route",
            label=_ROUTE,
        )
        for owner in ("flask.Flask", "flask.Blueprint")
    ),
    EntryPoint(
        "flask",
        base="flask.views.MethodView",
        methods=("get", "post", "put", "patch", "delete", "head", "options"),
        label=_ROUTE,
    ),
    EntryPoint("flask", base="flask.views.View", methods=("dispatch_request",), label=_ROUTE),
)
