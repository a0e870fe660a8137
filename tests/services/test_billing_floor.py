"""The reference loop of issue 3 (``ebs bench billing --floor``), on both backends: it
must do the work it times, identically, and leave nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from ebs_desktop.services.billing.bench import floor_bills_per_second


def test_sqlite_floor_writes_every_bill_and_line() -> None:
    figures = floor_bills_per_second(12_345)
    assert figures["backend"] == "sqlite"
    assert figures["written_bills"] == 12_345
    # a fixed charge, at least one slab and the tax on every bill
    assert figures["written_lines"] >= 3 * 12_345
    assert figures["bills_per_s"] > 0


@pytest.mark.pg
def test_postgresql_floor_copies_the_same_bills_and_drops_its_schema(
        pg_migrated_url: str) -> None:
    pg = floor_bills_per_second(7_000, pg_url=pg_migrated_url)
    lite = floor_bills_per_second(7_000)
    assert pg["backend"] == "postgresql"
    for key in ("written_bills", "written_lines", "total_minor"):
        assert pg[key] == lite[key]
    engine = create_engine(pg_migrated_url)
    with engine.connect() as conn:
        left = conn.execute(text("SELECT COUNT(*) FROM information_schema.schemata"
                                 " WHERE schema_name LIKE 'ebs_floor_%'")).scalar()
    engine.dispose()
    assert left == 0
