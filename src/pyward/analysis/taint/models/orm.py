"""Rows fetched through an ORM or a DB-API cursor: the lookup values are bound parameters that
only *select* rows.

``Topic.query.filter_by(id=topic_id).first_or_404()`` or ``Article.objects.get(pk=pk)`` returns a
database object, not the request value: its fields are whatever the database holds. (Data an
attacker stored earlier is a stored-XSS question this engine does not track.) The SQL sinks of
these ORMs (``QuerySet.raw``/``extra``, ``RawSQL``, ``text()``) are declared elsewhere and still
see their arguments; only the *result* of the lookup is clean.
"""

from pyward.analysis.taint.spec import Sanitizer

_QS = "django.db.models.QuerySet"

# Django: lookups by keyword (``field=value``) on querysets (managers derive from them), shortcuts
_DJANGO_LOOKUPS = (
    "get",
    "filter",
    "exclude",
    "get_or_create",
    "update_or_create",
    "in_bulk",
    "aget",
    "aget_or_create",
    "aupdate_or_create",
)

SANITIZERS = (
    *(Sanitizer(f"{_QS}.{m}") for m in _DJANGO_LOOKUPS),
    Sanitizer("django.shortcuts.get_object_or_404"),
    Sanitizer("django.shortcuts.get_list_or_404"),
    # SQLAlchemy ``Query.filter_by(**kw)`` (keyword values are bound parameters) and the
    # Flask-SQLAlchemy fetch-or-404 helpers; the method names exist only on these query objects.
    Sanitizer("#filter_by"),
    Sanitizer("#get_or_404"),
    Sanitizer("#first_or_404"),
    Sanitizer("#one_or_404"),
    # DB-API rows (``db.execute("... WHERE name = ?", (name,)).fetchone()``) and asyncpg's row
    # fetchers; a tainted SQL text is still reported by the execute/fetch sink itself
    *(Sanitizer(f"#{m}") for m in ("fetchone", "fetchall", "fetchmany", "fetchrow", "fetchval")),
)
