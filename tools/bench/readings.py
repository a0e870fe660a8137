"""The readings import benchmark's set-up: N meters with two months of readings.

Tooling, outside the product (was ``ebs_desktop/services/readings/bench.py``); ``ebs bench
readings-import`` and the tests import :func:`build_bench_utility` from here.

Lighter than the demo (no bills, no payments): routes, customers, accounts, premises,
single-register meters and two past readings each, bulk-inserted; then a filled reading
sheet for all of them, one reading per meter read yesterday.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.persistence.bulk import (
    READING_OWN_COLUMNS,
    bulk_insert,
    reading_fixed,
    timestamp_text,
)
from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.models import BillingCycle, Tariff
from ebs_desktop.services.readings.sheet import COLUMNS

ROUTE_SIZE = 400
CHUNK = 100_000


def build_bench_utility(db: Database, meters: int, sheet: Path, today: date) -> int:
    """Fill an empty database with ``meters`` meters and write their filled sheet."""
    rng = random.Random(meters)
    first, second, read_on = ((today - timedelta(days=n)).isoformat() for n in (61, 31, 1))
    with db.write_connection() as conn:
        now = timestamp_text(conn, datetime.now(UTC))
        tariff_id = conn.execute(insert(Tariff).values(
            code="BENCH", name="Benchmark tariff", category="residential",
            description="").returning(Tariff.id)).scalar_one()
        cycle_id = conn.execute(insert(BillingCycle).values(
            code="B1", name="Benchmark cycle", read_day=31).returning(
            BillingCycle.id)).scalar_one()
        bulk_insert(conn, "routes", ("id", "code", "name", "cycle_id", "reader_id"),
                    [(r, f"B{r:05d}", f"Bench route {r}", cycle_id, None)
                     for r in range(1, (meters - 1) // ROUTE_SIZE + 2)])
    out = sheet.open("w", encoding="utf-8")
    out.write(",".join(COLUMNS) + "\n")
    for start in range(1, meters + 1, CHUNK):
        ids = range(start, min(start + CHUNK, meters + 1))
        plan = [(i, rng.randint(0, 800_000), rng.randint(150, 600)) for i in ids]
        numbers = {i: make_account_number(10_000_000 + i) for i in ids}
        with db.write_connection() as conn:
            use_bulk_cache(conn)
            bulk_insert(conn, "customers", ("id", "name", "name_key", "address", "created_at"),
                        [(i, f"Customer {i}", f"customer {i}", "", now) for i, _v, _k in plan])
            bulk_insert(conn, "accounts", (
                "id", "account_number", "customer_id", "category", "tariff_id", "cycle_id",
                "route_id", "walk_order", "status", "opened_on", "balance_minor",
                "created_at"),
                [(i, numbers[i], i, "residential", tariff_id,
                  cycle_id, (i - 1) // ROUTE_SIZE + 1, (i - 1) % ROUTE_SIZE + 1, "active",
                  first, 0, now) for i, _v, _k in plan])
            bulk_insert(conn, "premises", ("id", "account_id", "address", "sanctioned_load_kw",
                                           "phases", "connected_on"),
                        [(i, i, "", 5000, 1, first) for i, _v, _k in plan])
            bulk_insert(conn, "meters", ("id", "serial", "make", "model", "dials",
                                         "multiplier", "is_tou", "has_demand"),
                        [(i, f"BM{i:08d}", "Bench", "", 6, 1000, False, False)
                         for i, _v, _k in plan])
            bulk_insert(conn, "meter_registers", ("id", "meter_id", "code", "obis", "kind"),
                        [(i, i, "kwh", "1.8.0", "energy") for i, _v, _k in plan])
            bulk_insert(conn, "meter_installations", ("id", "meter_id", "premise_id",
                                                      "installed_on", "removed_on"),
                        [(i, i, i, first, None) for i, _v, _k in plan])
            rows: list[tuple[object, ...]] = []
            for i, value, kwh in plan:
                rows.append((i, first, value * 1000, None))
                rows.append((i, second, (value + kwh) * 1000, kwh * 1000))
            bulk_insert(conn, "readings", READING_OWN_COLUMNS, rows,
                        reading_fixed("handheld", now))
        lines = []
        for i, value, kwh in plan:
            used = kwh + rng.randint(-kwh // 5, kwh // 5)
            lines.append(f"BM{i:08d},kwh,{read_on},{value + kwh + used},,"
                         f"{value + kwh},{second},"
                         f"{numbers[i]},B{(i - 1) // ROUTE_SIZE + 1:05d},"
                         f"{(i - 1) % ROUTE_SIZE + 1},,\n")
        out.write("".join(lines))
    _fix_sequences(db)
    out.close()
    return meters


def _fix_sequences(db: Database) -> None:
    if db.backend != "postgresql":
        return
    from sqlalchemy import text

    with db.write_connection() as conn:
        for table in ("routes", "customers", "accounts", "premises", "meters",
                      "meter_registers", "meter_installations", "readings"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))
    with db.read() as session:
        session.execute(select(Tariff.id)).all()
