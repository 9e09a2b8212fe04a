"""PWT113 nosql-injection."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class NoSqlInjection(TaintRule):
    """
    ## What it does
    Reports two ways request data becomes MongoDB query logic in PyMongo (and Motor) collection
    methods (`find`, `find_one`, `count_documents`, `delete_many`, `update_one`, `aggregate`...):

    - a tainted string as the value of a `$where` operator (server-side JavaScript), or a
      tainted `$where`/`$function`/`$accumulator` body in an aggregation;
    - a whole filter document, or a value inside one, that was decoded from JSON supplied by the
      requester (`json.loads(...)`, Flask's `request.get_json()`/`request.json`, Django REST
      framework's `request.data`), because JSON objects there can carry operators such as
      `{"$ne": null}`.

    Request strings placed as plain values (`{"user": request.args["user"]}`) are compared
    literally by MongoDB and are not reported; neither is a JSON value converted with `str()`.

    ## Why is this bad?
    Operators in attacker-controlled documents turn an equality check into "anything but"
    (`{"password": {"$ne": ""}}` logs in without a password), and `$where` runs JavaScript on
    the database server (CWE-943).

    ## Example
    ```python
    from flask import Flask, request
    from pymongo import MongoClient

    app = Flask(__name__)
    users = MongoClient().app.users


    @app.route("/login", methods=["POST"])
    def login():
        body = request.get_json()
        user = users.find_one({"name": body["name"], "password": body["password"]})
        return {"ok": user is not None}
    ```

    ## Use instead
    ```python
    from flask import Flask, request
    from pymongo import MongoClient

    app = Flask(__name__)
    users = MongoClient().app.users


    @app.route("/login", methods=["POST"])
    def login():
        body = request.get_json()
        user = users.find_one({"name": str(body["name"]), "password": str(body["password"])})
        return {"ok": user is not None}
    ```

    ## References
    - CWE-943: Improper Neutralization of Special Elements in Data Query Logic
    - MongoDB documentation, `$where` and "Security: server-side JavaScript"
    """

    meta = RuleMeta(
        code="PWT113",
        name="nosql-injection",
        severity=Severity.HIGH,
        confidence=Confidence.MEDIUM,
        cwe=(943,),
        summary="MongoDB query operators or JavaScript supplied by untrusted input",
    )
    vuln_class = "nosql"
    what = "MongoDB query logic from untrusted data"
