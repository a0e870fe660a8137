"""Meters, registers, readings and reading batches: every query of ``services.readings``.

Two ways to read, by purpose: bulk reads (every register, the recent readings of a
million of them) go through the driver's cursor as plain tuples (``fetch_rows`` for a
list, :func:`stream_rows` for a server-side stream of bounded memory); single objects
(a reading to confirm, a meter to exchange) through the ORM. Bulk writes go through the
driver too (``executemany``, COPY, SQLite's ``json_each``). The SQLite/PostgreSQL
differences (placeholders, JSON lists, COPY, timestamp text) live here and nowhere in the
services.

The row functions return the driver's iterator or list as it is: the services' loops
over a million rows pay nothing for the store being a separate module.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from ebs_desktop.persistence.bulk import READING_COLUMNS
from ebs_desktop.persistence.models import (
    Meter,
    MeterInstallation,
    MeterRegister,
    Reading,
    ReadingBatch,
    User,
)
from ebs_desktop.persistence.raw import fetch_rows

CURRENT_STATUSES = "('valid', 'confirmed', 'pending')"  # what a new reading follows
_FETCH = 20_000
_CURSORS = itertools.count()

Row = tuple[Any, ...]
Extra = tuple[str, str | None, str, int | None]  # status, reading code, flags, reader id


# -- cursors -------------------------------------------------------------------------------

def stream_rows(conn: Connection, sql: str, params: tuple[object, ...]) -> Iterator[Row]:
    """Rows through the driver's cursor, a batch at a time (bounded memory); ``?``
    placeholders."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    if conn.dialect.name == "postgresql":
        # a server-side cursor: psycopg would otherwise hold the whole result client-side
        sql = sql.replace("?", "%s")
        cur = dbapi.cursor(name=f"ebs_readings_{next(_CURSORS)}")
    else:
        cur = dbapi.cursor()
    try:
        cur.execute(sql, params)
        while rows := cur.fetchmany(_FETCH):
            yield from rows
    finally:
        cur.close()


def _json_list(conn: Connection) -> str:
    """A subquery over the JSON list passed as the parameter (one parameter, any length)."""
    if conn.dialect.name == "postgresql":
        return "SELECT value FROM json_array_elements_text(CAST(%s AS json))"
    return "SELECT value FROM json_each(?)"


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _last_readings_sql(listed: str) -> str:
    """Each listed register's last current reading: (register id, read on, value)."""
    return ("SELECT r.register_id, r.read_on, r.value FROM readings r JOIN ("
            " SELECT register_id, MAX(read_on) AS last_on FROM readings"
            f" WHERE status IN {CURRENT_STATUSES} AND register_id IN ({listed})"
            " GROUP BY register_id) l ON l.register_id = r.register_id"
            f" AND l.last_on = r.read_on WHERE r.status IN {CURRENT_STATUSES}")


def _recent_sql() -> str:
    return ("SELECT register_id, read_on, value, consumption, status FROM readings"
            f" WHERE status IN {CURRENT_STATUSES} AND read_on >= ?")


# -- registers with their context, as records (few registers, or a route) ----------------

_REGISTERS = (
    "SELECT mr.id, m.id, m.serial, mr.code, mr.obis, mr.kind, m.dials, m.multiplier,"
    " a.id, a.account_number, ro.code, a.walk_order, mi.installed_on, bc.read_day,"
    " a.status"
    " FROM meter_registers mr JOIN meters m ON m.id = mr.meter_id"
    " LEFT JOIN meter_installations mi ON mi.meter_id = m.id AND mi.removed_on IS NULL"
    " LEFT JOIN premises p ON p.id = mi.premise_id"
    " LEFT JOIN accounts a ON a.id = p.account_id"
    " LEFT JOIN routes ro ON ro.id = a.route_id"
    " LEFT JOIN billing_cycles bc ON bc.id = a.cycle_id")


def register_rows(conn: Connection, serials: Iterable[str] | None = None, *,
                  route: str | None = None) -> list[Row]:
    """Registers of the given meters, of a route, or all: (register id, meter id, serial,
    code, obis, kind, dials, multiplier, account id, account number, route code, walk
    order, installed on, read day, account status)."""
    if serials is None:
        if route is None:
            return fetch_rows(conn, _REGISTERS)
        return fetch_rows(conn, _REGISTERS + " WHERE ro.code = ?", (route,))
    rows: list[Row] = []
    for chunk in _chunks(sorted(set(serials)), 500):
        marks = ",".join("?" * len(chunk))
        rows += fetch_rows(conn, _REGISTERS + f" WHERE m.serial IN ({marks})", tuple(chunk))
    return rows


def recent_reading_rows(conn: Connection, since: date,
                        register_ids: Sequence[int] | None) -> list[Row]:
    """Current readings from ``since`` on, of ``register_ids`` (None: of every register),
    in register and day order: (register id, read on, value, consumption, status)."""
    sql = _recent_sql()
    if register_ids is not None:
        sql += f" AND register_id IN ({','.join(str(int(i)) for i in register_ids)})"
    return fetch_rows(conn, sql + " ORDER BY register_id, read_on", (since.isoformat(),))


def last_reading_rows(conn: Connection, register_ids: Sequence[int]) -> list[Row]:
    """The last current reading of each of ``register_ids`` that has one: (register id,
    read on, value)."""
    rows: list[Row] = []
    for chunk in _chunks([str(int(i)) for i in register_ids], 500):
        rows += fetch_rows(conn, _last_readings_sql(",".join(chunk)))
    return rows


# -- registers as flat columns (a big import's table), streamed ----------------------------

# An open installation means an account: its premise_id and the premise's account_id are
# both NOT NULL foreign keys, so the premises join (a tenth of the scan) is left out.
_TABLE = (
    "SELECT mr.id, m.serial, mr.code, mr.kind, m.dials, m.multiplier, mi.premise_id,"
    " mi.installed_on FROM meter_registers mr JOIN meters m ON m.id = mr.meter_id"
    " LEFT JOIN meter_installations mi ON mi.meter_id = m.id AND mi.removed_on IS NULL")


def stream_table_registers(conn: Connection, serials: Iterable[str] | None) -> Iterator[Row]:
    """Registers of ``serials`` (None: all) in register id order: (register id, serial,
    code, kind, dials, multiplier, premise id, installed on)."""
    if serials is None:
        return stream_rows(conn, _TABLE + " ORDER BY mr.id", ())
    wanted = json.dumps(sorted(set(serials)))
    return stream_rows(conn, _TABLE + f" WHERE m.serial IN ({_json_list(conn)})"
                       " ORDER BY mr.id", (wanted,))


def stream_register_ids(conn: Connection) -> Iterator[Row]:
    """Every register id, in order, as 1-tuples."""
    return stream_rows(conn, "SELECT id FROM meter_registers ORDER BY id", ())


def stream_recent_readings(conn: Connection, since: date,
                           register_ids: Sequence[int] | None) -> Iterator[Row]:
    """As :func:`recent_reading_rows`, streamed; the ids (any number) go as one JSON list."""
    sql = _recent_sql()
    params: tuple[object, ...] = (since.isoformat(),)
    if register_ids is not None:
        sql += f" AND register_id IN ({_json_list(conn).replace('value', 'CAST(value AS BIGINT)')})"
        params = (since.isoformat(), json.dumps(list(register_ids)))
    return stream_rows(conn, sql + " ORDER BY register_id, read_on", params)


def stream_last_readings(conn: Connection, register_ids: Iterable[int]) -> Iterator[Row]:
    """As :func:`last_reading_rows` for one chunk of ids (the caller chunks), streamed."""
    return stream_rows(conn, _last_readings_sql(",".join(str(r) for r in register_ids)), ())


# -- batches and readers ------------------------------------------------------------------

def batch_with_digest(conn: Connection, digest: str) -> int | None:
    """The batch that imported the file with this SHA-256, if any."""
    found = conn.execute(select(ReadingBatch.id).where(
        ReadingBatch.content_sha256 == digest)).scalar_one_or_none()
    return None if found is None else int(found)


def insert_batch(conn: Connection, *, source: str, file_name: str, digest: str,
                 user_id: int | None, accepted: int, warnings: int) -> int:
    return int(conn.execute(insert(ReadingBatch).values(
        source=source, file_name=file_name, content_sha256=digest, user_id=user_id,
        accepted=accepted, warnings=warnings).returning(ReadingBatch.id)).scalar_one())


def reader_ids(db: Connection | Session) -> dict[str, int]:
    """Username -> user id, for the reader column of sheets and handheld uploads."""
    return {str(u): int(i) for u, i in db.execute(select(User.username, User.id))}


# -- writing readings in bulk --------------------------------------------------------------

def insert_readings(conn: Connection, rows: Iterable[Row]) -> None:
    """Readings (``READING_COLUMNS`` tuples) through the driver: executemany, or COPY;
    ``rows`` may be a generator (made one at a time, never all held)."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cols = ", ".join(READING_COLUMNS)
    cur = dbapi.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cur.copy(f"COPY readings ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(READING_COLUMNS))
            cur.executemany(f"INSERT INTO readings ({cols}) VALUES ({marks})",
                            rows)  # type: ignore[arg-type]
    finally:
        cur.close()


_WINDOW_SQL = (f"INSERT INTO readings ({', '.join(READING_COLUMNS)}) SELECT"
               " json_extract(value, '$[0]'), ?, json_extract(value, '$[1]'),"
               " json_extract(value, '$[2]'), ?, ?, ?, ?, ?, ?, ? FROM json_each(?)")


def insert_reading_window(conn: Connection, day: str, extra: Extra, rows_json: str,
                          source: str, batch_id: int, created: str) -> None:
    """One window of readings sharing a day and (status, code, flags, reader), given as a
    JSON list of ``[register id, value, consumption]`` (thousandths): on SQLite one
    ``INSERT ... SELECT FROM json_each(?)`` (SQLite parses the JSON in C), on PostgreSQL
    decoded back into tuples for COPY."""
    status, code, flags, reader = extra
    if conn.dialect.name == "postgresql":
        insert_readings(conn, ((register_id, day, value, used, source, status, code, flags,
                                reader, batch_id, created)
                               for register_id, value, used in json.loads(rows_json)))
        return
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute(_WINDOW_SQL, (day, source, status, code, flags, reader, batch_id, created,
                                  rows_json))
    finally:
        cur.close()


# -- single readings and meters (ORM) ------------------------------------------------------

def reading(session: Session, reading_id: int) -> Reading | None:
    return session.get(Reading, reading_id)


def set_reading_status(session: Session, reading_id: int, status: str) -> None:
    session.execute(update(Reading).where(Reading.id == reading_id).values(status=status))


def meter_id(session: Session, serial: str) -> int | None:
    found = session.scalar(select(Meter.id).where(Meter.serial == serial))
    return None if found is None else int(found)


def meter(session: Session, meter_id: int) -> Meter | None:
    return session.get(Meter, meter_id)


def open_installation(session: Session, meter_id: int) -> MeterInstallation:
    """The meter's installation that has not been removed (there is exactly one)."""
    return session.execute(select(MeterInstallation).where(
        MeterInstallation.meter_id == meter_id,
        MeterInstallation.removed_on.is_(None))).scalar_one()


def close_installation(session: Session, installation_id: int, on: date) -> None:
    session.execute(update(MeterInstallation).where(MeterInstallation.id == installation_id)
                    .values(removed_on=on))


def add_meter(session: Session, *, serial: str, make: str, model: str, dials: int,
              multiplier: Decimal, is_tou: bool, has_demand: bool,
              premise_id: int, installed_on: date) -> int:
    """A new meter installed on a premise; its id."""
    new = Meter(serial=serial, make=make, model=model, dials=dials, multiplier=multiplier,
                is_tou=is_tou, has_demand=has_demand)
    session.add(new)
    session.flush()
    session.add(MeterInstallation(meter_id=new.id, premise_id=premise_id,
                                  installed_on=installed_on))
    return int(new.id)


def add_register(session: Session, meter_id: int, code: str, obis: str | None,
                 kind: str) -> int:
    register = MeterRegister(meter_id=meter_id, code=code, obis=obis, kind=kind)
    session.add(register)
    session.flush()
    return int(register.id)


def add_reading(session: Session, **values: Any) -> None:
    """One reading through the ORM (columns as :class:`Reading`'s)."""
    session.add(Reading(**values))
