"""PWT101: SQL built from untrusted input reaches a database query."""

from __future__ import annotations

from pyward.model import Confidence, Severity
from pyward.rules.base import RuleMeta
from pyward.rules.taint.base import TaintRule


class SqlInjection(TaintRule):
    """
    ## What it does
    Follows data from HTTP requests (and, with `--local-sources`, from the command line,
    environment and standard input) to the SQL text of a database call: DB-API `execute`,
    `executemany` and `executescript` on connections and cursors (sqlite3, psycopg2/psycopg,
    PyMySQL, MySQLdb, mysql-connector, oracledb/cx_Oracle, pyodbc, asyncpg, aiosqlite),
    SQLAlchemy `text()`, `exec_driver_sql` and strings passed to `Connection`/`Session.execute`,
    Django `raw()`, `extra()`, `RawSQL` and `connection.cursor().execute`, and `pandas.read_sql*`.
    Only the SQL string is a sink: values passed in the separate parameters argument are safe.

    ## Why is this bad?
    Data formatted into SQL text (f-strings, `%`, `.format`, `+`) can close the string literal it
    was meant to sit in and add its own SQL: reading other users' rows, changing data, or worse.
    The database driver keeps bound parameters apart from the statement, so they can never be
    read as SQL.

    ## Example
    ```python
    import sqlite3
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/user")
    def user():
        name = request.args["name"]
        cur = sqlite3.connect("app.db").cursor()
        cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
        return str(cur.fetchall())
    ```

    ## Use instead
    ```python
    import sqlite3
    from flask import Flask, request

    app = Flask(__name__)

    @app.route("/user")
    def user():
        name = request.args["name"]
        cur = sqlite3.connect("app.db").cursor()
        cur.execute("SELECT * FROM users WHERE name = ?", (name,))
        return str(cur.fetchall())
    ```

    ## References
    - CWE-89: Improper Neutralization of Special Elements used in an SQL Command
    - OWASP SQL Injection Prevention Cheat Sheet
    """

    meta = RuleMeta(
        code="PWT101",
        name="sql-injection",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        cwe=(89,),
        summary="SQL query built from untrusted input",
        bandit=("B608",),
    )
    vuln_class = "sql"
    what = "SQL query built from untrusted input"
