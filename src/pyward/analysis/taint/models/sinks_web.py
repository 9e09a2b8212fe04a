"""Web response sinks: open redirect (CWE-601), XSS (CWE-79), header injection (CWE-113) and
trust-boundary violations (CWE-501), for Flask/Werkzeug, Django, Starlette/FastAPI, aiohttp and
``http.server``.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import (
    ALL,
    Alias,
    Guard,
    Propagator,
    Sanitizer,
    Sink,
    Source,
    Subtype,
    TypeOf,
    When,
)

ALIASES = (
    Alias("flask.helpers.redirect", "flask.redirect"),
    Alias("werkzeug.utils.redirect", "flask.redirect"),
    Alias("werkzeug.redirect", "flask.redirect"),
    Alias("flask.helpers.make_response", "flask.make_response"),
    Alias("flask.helpers.url_for", "flask.url_for"),
    Alias("flask.wrappers.Response", "flask.Response"),
    Alias("flask.json.jsonify", "flask.jsonify"),
    Alias("flask.globals.session", "flask.session"),
    Alias("flask.Markup", "markupsafe.Markup"),
    Alias("jinja2.Markup", "markupsafe.Markup"),
    Alias("flask.escape", "markupsafe.escape"),
    Alias("jinja2.escape", "markupsafe.escape"),
    Alias("django.http.response", "django.http"),
    Alias("django.utils.safestring.SafeText", "django.utils.safestring.SafeString"),
    Alias("fastapi.responses.RedirectResponse", "starlette.responses.RedirectResponse"),
    Alias("fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse"),
    Alias("fastapi.responses.JSONResponse", "starlette.responses.JSONResponse"),
)

TYPES = (
    TypeOf("flask.make_response()", "flask.Response"),
    TypeOf("django.http.HttpRequest.session", "django.contrib.sessions.backends.base.SessionBase"),
)

SUBTYPES = tuple(
    Subtype(f"django.http.{cls}", "django.http.HttpResponse")
    for cls in (
        "HttpResponseRedirect",
        "HttpResponsePermanentRedirect",
        "HttpResponseBadRequest",
        "HttpResponseNotFound",
        "HttpResponseForbidden",
        "HttpResponseNotAllowed",
        "HttpResponseGone",
        "HttpResponseServerError",
    )
)

_REDIRECTS = (
    Sink("flask.redirect", "redirect", args=(0,), keywords=("location",)),
    Sink("django.shortcuts.redirect", "redirect", args=(0,), keywords=("to",)),
    Sink("django.http.HttpResponseRedirect", "redirect", args=(0,), keywords=("redirect_to",)),
    Sink("django.http.HttpResponsePermanentRedirect", "redirect", args=(0,), keywords=("redirect_to",)),
    Sink("starlette.responses.RedirectResponse", "redirect", args=(0,), keywords=("url",)),
    *(
        Sink(f"aiohttp.web.{cls}", "redirect", args=(0,), keywords=("location",))
        for cls in (
            "HTTPFound",
            "HTTPMovedPermanently",
            "HTTPSeeOther",
            "HTTPTemporaryRedirect",
            "HTTPPermanentRedirect",
        )
    ),
    Sink("tornado.web.RequestHandler.redirect", "redirect", args=(0,), keywords=("url",)),
)

#: HTML is the default content type of these responses: they are sinks unless another content
#: type is given.
_HTML = "html"
_NO_CONTENT_TYPE_FLASK = (
    When("mimetype", position=3, matches=_HTML, absent=True, unknown=False),
    When("content_type", position=4, matches=_HTML, absent=True, unknown=False),
)
_NO_CONTENT_TYPE_DJANGO = (When("content_type", position=1, matches=_HTML, absent=True, unknown=False),)

_XSS = (
    # a Flask view's return value is the response body (str -> text/html)
    Sink("flask", "xss", kind="return", label="Flask view response"),
    Sink("flask.make_response", "xss", args=(0,)),
    Sink("flask.Response", "xss", args=(0,), keywords=("response",), when=_NO_CONTENT_TYPE_FLASK),
    Sink("django.http.HttpResponse", "xss", args=(0,), keywords=("content",), when=_NO_CONTENT_TYPE_DJANGO),
    Sink("django.http.HttpResponse.write", "xss", args=(0,), keywords=("content",)),
    Sink("starlette.responses.HTMLResponse", "xss", args=(0,), keywords=("content",)),
    Sink("markupsafe.Markup", "xss", args=(0,), keywords=("base",), label="Markup()"),
    Sink("django.utils.safestring.mark_safe", "xss", args=(0,), keywords=("s",)),
    Sink("django.utils.safestring.SafeString", "xss", args=(0,)),
    # aiohttp: text= is sent as text/plain unless an HTML content type is given
    Sink(
        "aiohttp.web.Response",
        "xss",
        keywords=("text", "body"),
        when=(When("content_type", matches=_HTML, absent=False, unknown=False),),
    ),
    # Tornado's RequestHandler.write()/finish() are in models/tornado.py (string bodies only)
)

_HEADERS = (
    # http.server writes header lines as given; Werkzeug, Django, Tornado, aiohttp and the ASGI
    # servers reject CR/LF in header values, so their header APIs are not sinks.
    Sink(
        "http.server.BaseHTTPRequestHandler.send_header", "header", args=(0, 1), keywords=("keyword", "value")
    ),
    Sink("http.server.BaseHTTPRequestHandler.send_response", "header", args=(1,), keywords=("message",)),
    Sink("http.server.BaseHTTPRequestHandler.send_response_only", "header", args=(1,), keywords=("message",)),
)

_SESSION = (
    Sink("flask.session", "trust-boundary", kind="store", label="flask.session[...] ="),
    Sink("flask.session.update", "trust-boundary"),
    Sink("flask.session.setdefault", "trust-boundary", args=(1,), keywords=("default",)),
    Sink(
        "django.contrib.sessions.backends.base.SessionBase",
        "trust-boundary",
        kind="store",
        label="request.session[...] =",
    ),
    Sink("django.contrib.sessions.backends.base.SessionBase.update", "trust-boundary"),
    Sink("django.contrib.sessions.backends.base.SessionBase.setdefault", "trust-boundary", args=(1,)),
)

#: ``resp.headers["Location"] = x`` / ``resp["Location"] = x``
_LOCATION = (When("key", matches="(?i)^location$"),)
_REDIRECTS = (
    *_REDIRECTS,
    *(
        Sink(pattern, "redirect", kind="store", when=_LOCATION, label="Location header")
        for pattern in (
            "werkzeug.wrappers.Response.headers",
            "flask.Response.headers",
            "django.http.HttpResponse",
            "django.http.HttpResponse.headers",
            "starlette.responses.Response.headers",
        )
    ),
)

SINKS = (*_REDIRECTS, *_XSS, *_HEADERS, *_SESSION)

# http.server hands out the request target and header values as read from their lines: they
# cannot hold a raw CR/LF (the request line is split on whitespace, a header line ends at CRLF
# and a folded continuation is re-emitted folded). Decoding brings line breaks back.
_RAW_LINES = ("header", "log")
# The URL of the request being served matched one of the application's routes, and its host
# is the one the visitor's browser used: redirecting there (after a POST, to add a slash, to
# switch to https) stays on the site.
_WERKZEUG_OWN_URL = ("path", "full_path", "url", "base_url", "host", "host_url", "url_root")
_OWN_URL = (
    (
        "django.http.HttpRequest",
        ("path", "path_info", "get_full_path", "get_full_path_info", "build_absolute_uri", "get_host"),
    ),
    ("flask.request", _WERKZEUG_OWN_URL),
    ("werkzeug.wrappers.Request", _WERKZEUG_OWN_URL),
)
SOURCES = (
    *(
        Source(f"http.server.BaseHTTPRequestHandler.{attr}", "remote", marks=_RAW_LINES)
        for attr in ("path", "requestline", "raw_requestline", "headers")
    ),
    *(Source(f"{req}.{attr}", "remote", marks=("redirect",)) for req, attrs in _OWN_URL for attr in attrs),
)

_DECODERS = (
    "urllib.parse.unquote",
    "urllib.parse.unquote_plus",
    "urllib.parse.unquote_to_bytes",
    "urllib.parse.parse_qs",
    "urllib.parse.parse_qsl",
    "html.unescape",
    "base64.b64decode",
    "base64.urlsafe_b64decode",
    "binascii.a2b_base64",
    "codecs.decode",
)

_SANITIZERS = (
    # URLs of this application
    Sanitizer("flask.url_for", ("redirect", "ssrf")),
    Sanitizer("django.urls.reverse", ("redirect", "ssrf")),
    Sanitizer("django.urls.reverse_lazy", ("redirect", "ssrf")),
    Sanitizer("starlette.requests.Request.url_for", ("redirect", "ssrf")),
    # a query string built by urlencode percent-encodes every "/", ":", "<", quote and CR/LF:
    # it cannot name another host, break out of HTML or split a header line
    *(
        Sanitizer(f, ("redirect", "ssrf", "header", "log", "xss"))
        for f in ("urllib.parse.urlencode", "django.utils.http.urlencode")
    ),
    # HTML escaping
    Sanitizer("html.escape", ("xss",)),
    Sanitizer("markupsafe.escape", ("xss",)),
    Sanitizer("markupsafe.Markup.escape", ("xss",)),
    Sanitizer("django.utils.html.escape", ("xss",)),
    Sanitizer("django.utils.html.conditional_escape", ("xss",)),
    Sanitizer("django.utils.html.format_html", ("xss",)),
    Sanitizer("django.utils.html.escapejs", ("xss",)),
    Sanitizer("xml.sax.saxutils.escape", ("xss",)),
    Sanitizer("bleach.clean", ("xss",)),
    Sanitizer("nh3.clean", ("xss",)),
    # Django form and error-list rendering escapes what it writes
    *(
        Sanitizer(f"#{m}", ("xss",))
        for m in ("as_ul", "as_p", "as_table", "as_div", "as_widget", "label_tag")
    ),
    # an authenticated user object comes from the user store, not from the request
    Sanitizer("django.contrib.auth.authenticate", ALL),
    Sanitizer("django.contrib.auth.aauthenticate", ALL),
    # JSON responses and already-checked response objects
    Sanitizer("flask.jsonify", ("xss",)),
    Sanitizer("django.http.JsonResponse", ("xss",)),
    Sanitizer("starlette.responses.JSONResponse", ("xss",)),
    # response objects whose body is not the tainted value (Werkzeug's redirect body escapes the
    # location; files are sent as they are on disk)
    Sanitizer("flask.redirect", ("xss",)),
    Sanitizer("flask.send_file", ("xss",)),
    Sanitizer("flask.send_from_directory", ("xss",)),
    Sanitizer("flask.Flask.send_static_file", ("xss",)),
    Sanitizer("flask.Blueprint.send_static_file", ("xss",)),
    Sanitizer("flask.make_response", ("xss",)),
    Sanitizer("flask.Response", ("xss",)),
    Sanitizer("django.http.HttpResponse", ("xss",)),
)

PROPAGATORS = (
    # resolve_url(to, *args, **kwargs): the arguments only fill a reversed URL; ``to`` itself is
    # returned as is when it looks like a URL
    Propagator("django.shortcuts.resolve_url", frm=("0", "kw:to")),
)

# Werkzeug's MultiDict.get(key, default, type): ``request.args.get("n", type=int)`` is an int
_NUMERIC = ("builtins.int", "builtins.float", "builtins.bool", "uuid.UUID")
SANITIZERS = (
    *_SANITIZERS,
    *(Sanitizer(name, (), unclears=_RAW_LINES) for name in _DECODERS),
    *(
        Sanitizer(
            f"{req}.{attr}.get",
            ALL,
            when=(When("type", position=2, qualname_in=_NUMERIC, unknown=False),),
        )
        for req in ("flask.request", "werkzeug.wrappers.Request")
        for attr in ("args", "form", "values", "cookies", "headers")
    ),
)

GUARDS = (
    Guard("django.utils.http.url_has_allowed_host_and_scheme", ("redirect",), arg=0, keyword="url"),
    Guard("django.utils.http.is_safe_url", ("redirect",), arg=0, keyword="url"),
)
