"""Reading rows straight through the driver's cursor, for bulk paths.

Why: for a few hundred thousand rows, building SQLAlchemy ``Row`` objects costs more than
the query itself. These helpers keep the one connection and transaction of the caller and
take ``?`` placeholders, rewritten to ``%s`` for psycopg.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection


def fetch_rows(conn: Connection, sql: str,
               params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        sql = sql.replace("?", "%s")
    cur = dbapi.cursor()
    try:
        cur.execute(sql, params)
        return list(cur.fetchall())
    finally:
        cur.close()
