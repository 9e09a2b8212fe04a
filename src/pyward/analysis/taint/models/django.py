"""Django and Django REST framework: request data, URL parameters (urls.py), class-based views,
and the raw-SQL entry points of the ORM."""

from __future__ import annotations

from pyward.analysis.taint.spec import (
    Alias,
    EntryPoint,
    ParamType,
    Sanitizer,
    Sink,
    Source,
    Subtype,
    TypeOf,
)

_REQ = "django.http.HttpRequest"
_VIEW = "django.views.generic.base.View"
_DRF_REQ = "rest_framework.request.Request"

_REQUEST_ATTRS = (
    "GET",
    "POST",
    "COOKIES",
    "META",
    "headers",
    "body",
    "FILES",
    "path",
    "path_info",
    "get_full_path",
    "get_full_path_info",
    "build_absolute_uri",
    "get_host",
    "read",
    "readline",
    "readlines",
    "content_params",
    "get_signed_cookie",
)

SOURCES = (
    *(Source(f"{_REQ}.{a}", "remote", f"Django request.{a}") for a in _REQUEST_ATTRS),
    # set by the server or by Django's middleware, not sent by the client: the peer address, the
    # server's own port/protocol/mount point, and the CSRF secret (CsrfViewMiddleware stores it
    # after checking its format, or a freshly generated one)
    Source(
        f"{_REQ}.META",
        "remote",
        trusted_keys=(
            "REMOTE_ADDR",
            "SERVER_PORT",
            "SERVER_PROTOCOL",
            "SCRIPT_NAME",
            "wsgi.url_scheme",
            "CSRF_COOKIE",
            "CSRF_COOKIE_NEEDS_UPDATE",
        ),
    ),
    Source(f"{_VIEW}.kwargs", "remote", "Django URL kwargs (self.kwargs)"),
    Source(f"{_VIEW}.args", "remote", "Django URL args (self.args)"),
    # Django REST framework
    Source(f"{_DRF_REQ}.data", "remote", "DRF request.data"),
    Source(f"{_DRF_REQ}.query_params", "remote", "DRF request.query_params"),
    Source(f"{_DRF_REQ}.stream", "remote", "DRF request.stream"),
)

ALIASES = (
    Alias("django.http.request.HttpRequest", _REQ),
    Alias("django.views.View", _VIEW),
    Alias("django.views.generic.View", _VIEW),
    Alias("django.db.models.manager.Manager", "django.db.models.Manager"),
    Alias("django.db.models.query.QuerySet", "django.db.models.QuerySet"),
    Alias("django.db.models.RawSQL", "django.db.models.expressions.RawSQL"),
    Alias("django.db.models.sql.RawSQL", "django.db.models.expressions.RawSQL"),
    *(
        Alias(f"django.views.generic.{name}", f"django.views.generic.{module}.{name}")
        for module, names in (
            ("base", ("TemplateView", "RedirectView")),
            ("list", ("ListView",)),
            ("detail", ("DetailView",)),
            ("edit", ("FormView", "CreateView", "UpdateView", "DeleteView")),
            ("dates", ("ArchiveIndexView", "YearArchiveView", "MonthArchiveView", "DayArchiveView")),
        )
        for name in names
    ),
)

SUBTYPES = (
    Subtype("django.core.handlers.wsgi.WSGIRequest", _REQ),
    Subtype("django.core.handlers.asgi.ASGIRequest", _REQ),
    *(
        Subtype(f"django.views.generic.{name}", _VIEW)
        for name in (
            "base.TemplateView",
            "base.RedirectView",
            "list.ListView",
            "detail.DetailView",
            "edit.FormView",
            "edit.CreateView",
            "edit.UpdateView",
            "edit.DeleteView",
            "dates.ArchiveIndexView",
            "dates.YearArchiveView",
            "dates.MonthArchiveView",
            "dates.DayArchiveView",
        )
    ),
    Subtype("django.db.models.Manager", "django.db.models.QuerySet"),
    # DRF: its Request proxies HttpRequest attributes; APIView is a Django View.
    Subtype(_DRF_REQ, _REQ),
    Subtype("rest_framework.views.APIView", _VIEW),
    Subtype("rest_framework.generics.GenericAPIView", "rest_framework.views.APIView"),
    Subtype("rest_framework.viewsets.ViewSet", "rest_framework.views.APIView"),
    Subtype("rest_framework.viewsets.GenericViewSet", "rest_framework.generics.GenericAPIView"),
    Subtype("rest_framework.viewsets.ModelViewSet", "rest_framework.viewsets.GenericViewSet"),
    Subtype("rest_framework.viewsets.ReadOnlyModelViewSet", "rest_framework.viewsets.GenericViewSet"),
)

_QS = "django.db.models.QuerySet"
TYPES = (
    TypeOf(f"{_VIEW}.request", _REQ),
    TypeOf("rest_framework.views.APIView.request", _DRF_REQ),
    TypeOf("*.objects", "django.db.models.Manager"),
    *(
        TypeOf(f"{_QS}.{m}()", _QS)
        for m in (
            "all",
            "filter",
            "exclude",
            "order_by",
            "annotate",
            "alias",
            "select_related",
            "prefetch_related",
            "using",
            "distinct",
            "only",
            "defer",
            "none",
            "reverse",
            "select_for_update",
            "extra",
        )
    ),
    TypeOf("django.db.connection.cursor()", "django.db.backends.utils.CursorWrapper"),
    TypeOf("django.db.connections[]", "django.db.backends.base.base.BaseDatabaseWrapper"),
    TypeOf(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor()", "django.db.backends.utils.CursorWrapper"
    ),
)

PARAM_TYPES = (
    ParamType("request", _REQ, "django"),
    ParamType("request", _DRF_REQ, "rest_framework"),
)

_URL = "Django URL parameter"
ENTRY_POINTS = (
    *(
        EntryPoint(
            "django",
            register=reg,
            handler_arg=1,
            handler_keyword="view",
            params="route",
            param_types=((0, _REQ),),
            label=_URL,
        )
        for reg in ("django.urls.path", "django.urls.re_path", "django.conf.urls.url")
    ),
    EntryPoint(
        "django",
        base=_VIEW,
        methods=("get", "post", "put", "patch", "delete", "head", "options", "dispatch"),
        param_types=((0, _REQ),),
        label=_URL,
    ),
    EntryPoint(
        "django",
        base="rest_framework.views.APIView",
        methods=("list", "create", "retrieve", "update", "partial_update", "destroy"),
        param_types=((0, _DRF_REQ),),
        label=_URL,
    ),
    EntryPoint(
        "django", decorator="rest_framework.decorators.api_view", param_types=((0, _DRF_REQ),), label=_URL
    ),
)

SANITIZERS = tuple(
    Sanitizer(f"django.db.backends.utils.CursorWrapper.{m}") for m in ("execute", "executemany")
)

SINKS = (
    Sink(f"{_QS}.raw", "sql", args=(0,), keywords=("raw_query",)),
    Sink(f"{_QS}.extra", "sql", args=(0, 1, 3, 4), keywords=("select", "where", "tables", "order_by")),
    Sink("django.db.models.expressions.RawSQL", "sql", args=(0,), keywords=("sql",)),
    *(
        Sink(f"django.db.backends.utils.CursorWrapper.{m}", "sql", args=(0,), keywords=("sql",))
        for m in ("execute", "executemany")
    ),
)
