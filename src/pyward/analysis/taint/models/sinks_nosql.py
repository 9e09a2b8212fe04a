"""NoSQL injection (CWE-943): MongoDB query logic from untrusted input (PyMongo, Motor,
Flask-PyMongo).

A request string used as a value is compared literally by MongoDB, so the sinks only count
tainted data that can *be* query logic: decoded JSON (mark ``json``: Flask ``request.json`` /
``get_json()``, Django REST framework ``request.data``, ``json.loads(...)``...), which can carry
operator objects like ``{"$ne": null}``, and strings placed under ``$where``/``$function``/
``$accumulator`` (mark ``js``: server-side JavaScript). ``str()`` and ``ObjectId()`` end both.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import ALL, Alias, Sanitizer, Sink, Source, Subtype, TypeOf

_OPERATORS = ("json", "js")
_DB = "pymongo.database.Database"
_COLL = "pymongo.collection.Collection"

SOURCES = (
    *(
        Source(f"{req}.{attr}", "remote", f"request.{attr}", marks=("json",))
        for req in ("flask.request", "werkzeug.wrappers.Request")
        for attr in ("json", "get_json")
    ),
    Source("rest_framework.request.Request.data", "remote", "DRF request.data", marks=("json",)),
    Source("starlette.requests.Request.json", "remote", "request.json()", marks=("json",)),
    Source("aiohttp.web.BaseRequest.json", "remote", "request.json()", marks=("json",)),
)

ALIASES = (
    Alias("pymongo.mongo_client.MongoClient", "pymongo.MongoClient"),
    Alias("bson.ObjectId", "bson.objectid.ObjectId"),
    Alias("motor.motor_asyncio.AsyncIOMotorCollection", _COLL),
    Alias("motor.motor_asyncio.AsyncIOMotorDatabase", _DB),
)

TYPES = (
    TypeOf("pymongo.MongoClient.*", _DB),
    TypeOf("pymongo.MongoClient[]", _DB),
    TypeOf("pymongo.MongoClient.get_database()", _DB),
    TypeOf("pymongo.MongoClient.get_default_database()", _DB),
    TypeOf("motor.motor_asyncio.AsyncIOMotorClient.*", _DB),
    TypeOf("motor.motor_asyncio.AsyncIOMotorClient[]", _DB),
    TypeOf(f"{_DB}.*", _COLL),
    TypeOf(f"{_DB}[]", _COLL),
    TypeOf(f"{_DB}.get_collection()", _COLL),
    TypeOf("flask_pymongo.PyMongo.db", _DB),
)

SUBTYPES = (Subtype("motor.motor_asyncio.AsyncIOMotorClient", "pymongo.MongoClient"),)

_FILTER_FIRST = (
    "find",
    "find_one",
    "find_raw_batches",
    "find_one_and_delete",
    "find_one_and_replace",
    "find_one_and_update",
    "count_documents",
    "delete_one",
    "delete_many",
    "update_one",
    "update_many",
    "replace_one",
)

SINKS = (
    *(
        Sink(f"{_COLL}.{m}", "nosql", args=(0,), keywords=("filter",), requires=_OPERATORS)
        for m in _FILTER_FIRST
    ),
    Sink(f"{_COLL}.distinct", "nosql", args=(1,), keywords=("filter",), requires=_OPERATORS),
    Sink(f"{_COLL}.aggregate", "nosql", args=(0,), keywords=("pipeline",), requires=_OPERATORS),
    Sink(f"{_COLL}.aggregate_raw_batches", "nosql", args=(0,), keywords=("pipeline",), requires=_OPERATORS),
    Sink(f"{_COLL}.watch", "nosql", args=(0,), keywords=("pipeline",), requires=_OPERATORS),
    Sink(f"{_DB}.aggregate", "nosql", args=(0,), keywords=("pipeline",), requires=_OPERATORS),
)

SANITIZERS = (
    Sanitizer("json.loads", (), marks=("json",)),
    Sanitizer("json.load", (), marks=("json",)),
    Sanitizer("simplejson.loads", (), marks=("json",)),
    Sanitizer("ujson.loads", (), marks=("json",)),
    Sanitizer("orjson.loads", (), marks=("json",)),
    Sanitizer("bson.json_util.loads", (), marks=("json",)),
    Sanitizer("tornado.escape.json_decode", (), marks=("json",)),
    # server-side JavaScript operators: a string there is code
    Sanitizer("[$where]", (), marks=("js",)),
    Sanitizer("[$function]", (), marks=("js",)),
    Sanitizer("[$accumulator]", (), marks=("js",)),
    # a string (or an ObjectId) cannot carry operators
    Sanitizer("builtins.str", ("nosql",)),
    Sanitizer("bson.objectid.ObjectId", ALL),
)
