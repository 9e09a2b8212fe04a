"""Database drivers and query builders: where SQL text goes.

Only the SQL text is a sink; the separate parameters argument of ``execute`` is the safe channel.
"""

from __future__ import annotations

from pyward.analysis.taint.spec import Alias, Sanitizer, Sink, TypeOf

# (connect function, connection type, cursor type, connection methods taking SQL, keyword name)
_DBAPI = (
    ("psycopg2.connect", "psycopg2.extensions.connection", "psycopg2.extensions.cursor", (), "query"),
    ("psycopg.connect", "psycopg.Connection", "psycopg.Cursor", ("execute",), "query"),
    (
        "psycopg.AsyncConnection.connect",
        "psycopg.AsyncConnection",
        "psycopg.AsyncCursor",
        ("execute",),
        "query",
    ),
    ("pymysql.connect", "pymysql.connections.Connection", "pymysql.cursors.Cursor", (), "query"),
    ("MySQLdb.connect", "MySQLdb.connections.Connection", "MySQLdb.cursors.Cursor", (), "query"),
    (
        "mysql.connector.connect",
        "mysql.connector.connection.MySQLConnection",
        "mysql.connector.cursor.MySQLCursor",
        ("cmd_query",),
        "operation",
    ),
    ("oracledb.connect", "oracledb.Connection", "oracledb.Cursor", (), "statement"),
    ("cx_Oracle.connect", "cx_Oracle.Connection", "cx_Oracle.Cursor", (), "statement"),
    ("pyodbc.connect", "pyodbc.Connection", "pyodbc.Cursor", ("execute",), "sql"),
    (
        "aiosqlite.connect",
        "aiosqlite.Connection",
        "aiosqlite.Cursor",
        ("execute", "executemany", "executescript"),
        "sql",
    ),
)

_CURSOR_METHODS = ("execute", "executemany", "executescript", "mogrify")

_ASYNCPG_OWNERS = ("asyncpg.Connection", "asyncpg.Pool")
_ASYNCPG_QUERY_METHODS = ("execute", "executemany", "fetch", "fetchrow", "fetchval")

_SQLALCHEMY_OWNERS = (
    "sqlalchemy.engine.Connection",
    "sqlalchemy.engine.Engine",
    "sqlalchemy.orm.Session",
    "sqlalchemy.ext.asyncio.AsyncConnection",
    "sqlalchemy.ext.asyncio.AsyncSession",
)
_SQLALCHEMY_METHODS = ("execute", "exec_driver_sql", "scalar", "scalars")

_PANDAS_READ_SQL = ("read_sql", "read_sql_query", "read_sql_table")

TYPES = (
    *(TypeOf(f"{connect}()", conn) for connect, conn, _c, _m, _k in _DBAPI),
    *(TypeOf(f"{conn}.cursor()", cur) for _f, conn, cur, _m, _k in _DBAPI),
    *(TypeOf(f"{conn}.execute()", cur) for _f, conn, cur, methods, _k in _DBAPI if "execute" in methods),
    TypeOf("asyncpg.connect()", "asyncpg.Connection"),
    TypeOf("asyncpg.create_pool()", "asyncpg.Pool"),
    TypeOf("asyncpg.Pool.acquire()", "asyncpg.Connection"),
    # SQLAlchemy
    TypeOf("sqlalchemy.create_engine()", "sqlalchemy.engine.Engine"),
    TypeOf("sqlalchemy.ext.asyncio.create_async_engine()", "sqlalchemy.ext.asyncio.AsyncEngine"),
    TypeOf("sqlalchemy.engine.Engine.connect()", "sqlalchemy.engine.Connection"),
    TypeOf("sqlalchemy.engine.Engine.begin()", "sqlalchemy.engine.Connection"),
    TypeOf("sqlalchemy.engine.Engine.raw_connection()", "sqlalchemy.engine.Connection"),
    TypeOf("sqlalchemy.ext.asyncio.AsyncEngine.connect()", "sqlalchemy.ext.asyncio.AsyncConnection"),
    TypeOf("sqlalchemy.ext.asyncio.AsyncEngine.begin()", "sqlalchemy.ext.asyncio.AsyncConnection"),
    TypeOf("sqlalchemy.orm.sessionmaker.__call__()", "sqlalchemy.orm.Session"),
    TypeOf("sqlalchemy.orm.sessionmaker.begin()", "sqlalchemy.orm.Session"),
    TypeOf("sqlalchemy.orm.scoped_session.__call__()", "sqlalchemy.orm.Session"),
    TypeOf("sqlalchemy.ext.asyncio.async_sessionmaker.__call__()", "sqlalchemy.ext.asyncio.AsyncSession"),
    TypeOf("sqlalchemy.orm.sessionmaker()", "sqlalchemy.orm.sessionmaker"),
    TypeOf("sqlalchemy.orm.scoped_session()", "sqlalchemy.orm.scoped_session"),
)

ALIASES = (
    Alias("psycopg2.extensions.connect", "psycopg2.connect"),
    Alias("pymysql.Connect", "pymysql.connect"),
    Alias("pymysql.Connection", "pymysql.connections.Connection"),
    Alias("MySQLdb.Connect", "MySQLdb.connect"),
    Alias("MySQLdb.Connection", "MySQLdb.connections.Connection"),
    Alias("psycopg.connection.Connection", "psycopg.Connection"),
    Alias("asyncpg.connection.Connection", "asyncpg.Connection"),
    Alias("asyncpg.pool.Pool", "asyncpg.Pool"),
    Alias("sqlalchemy.sql.text", "sqlalchemy.text"),
    Alias("sqlalchemy.sql.expression.text", "sqlalchemy.text"),
    Alias("sqlalchemy.engine.base.Engine", "sqlalchemy.engine.Engine"),
    Alias("sqlalchemy.engine.base.Connection", "sqlalchemy.engine.Connection"),
    Alias("sqlalchemy.engine.create_engine", "sqlalchemy.create_engine"),
    Alias("sqlalchemy.orm.session.Session", "sqlalchemy.orm.Session"),
    Alias("sqlalchemy.orm.session.sessionmaker", "sqlalchemy.orm.sessionmaker"),
    Alias("pandas.io.sql.read_sql", "pandas.read_sql"),
)

SINKS = (
    *(
        Sink(f"{cur}.{m}", "sql", args=(0,), keywords=(kw,))
        for _f, _c, cur, _m, kw in _DBAPI
        for m in _CURSOR_METHODS
    ),
    *(
        Sink(f"{conn}.{m}", "sql", args=(0,), keywords=(kw,))
        for _f, conn, _c, methods, kw in _DBAPI
        for m in methods
    ),
    Sink("psycopg2.extras.execute_values", "sql", args=(1,), keywords=("sql",)),
    Sink("psycopg2.extras.execute_batch", "sql", args=(1,), keywords=("sql",)),
    Sink("psycopg2.sql.SQL", "sql", args=(0,), keywords=("string",)),
    Sink("psycopg.sql.SQL", "sql", args=(0,), keywords=("obj",)),
    *(
        Sink(f"{owner}.{m}", "sql", args=(0,), keywords=("query",))
        for owner in _ASYNCPG_OWNERS
        for m in (*_ASYNCPG_QUERY_METHODS, "cursor", "prepare", "copy_from_query")
    ),
    # SQLAlchemy: text() makes raw SQL; a plain string passed to execute is raw SQL too.
    Sink("sqlalchemy.text", "sql", args=(0,), keywords=("text",)),
    Sink("sqlalchemy.literal_column", "sql", args=(0,), keywords=("text",)),
    *(
        Sink(f"{owner}.{m}", "sql", args=(0,), keywords=("statement",))
        for owner in _SQLALCHEMY_OWNERS
        for m in _SQLALCHEMY_METHODS
    ),
    # pandas
    *(Sink(f"pandas.{f}", "sql", args=(0,), keywords=("sql", "table_name")) for f in _PANDAS_READ_SQL),
)

SANITIZERS = (
    Sanitizer("psycopg2.sql.Identifier", ("sql",)),
    Sanitizer("psycopg2.sql.Literal", ("sql",)),
    Sanitizer("psycopg.sql.Identifier", ("sql",)),
    Sanitizer("psycopg.sql.Literal", ("sql",)),
    Sanitizer("sqlalchemy.bindparam", ("sql",)),
    # What a query returns is data from the database, not the request: the result of a query
    # call is not tainted by the SQL text (which is checked as a sink before this applies).
    *(Sanitizer(f"{cur}.{m}") for _f, _c, cur, _m, _k in _DBAPI for m in _CURSOR_METHODS),
    *(Sanitizer(f"{conn}.{m}") for _f, conn, _c, methods, _k in _DBAPI for m in methods),
    *(Sanitizer(f"{owner}.{m}") for owner in _ASYNCPG_OWNERS for m in _ASYNCPG_QUERY_METHODS),
    *(Sanitizer(f"{owner}.{m}") for owner in _SQLALCHEMY_OWNERS for m in _SQLALCHEMY_METHODS),
    *(Sanitizer(f"pandas.{f}") for f in _PANDAS_READ_SQL),
)
