"""0016 (self-reads): the code rules gain ``customer`` and ``high_usage`` and lose them
again on the way down, keeping whatever other codes a rule holds (a parallel branch's
migration adds ``support_reply`` to the same outbox rule)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database

HERE = Path(__file__).resolve().parents[2] / "db" / "versions" / "0016_self_reads.py"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("m0016", HERE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_rule_keeps_the_codes_another_branch_added() -> None:
    m = _migration()
    sql = ("CREATE TABLE notification_outbox (id INTEGER NOT NULL, kind VARCHAR(32), "
           "CONSTRAINT ck_notification_outbox_kind_known CHECK (kind = 'bill_issued' OR "
           "kind = 'support_reply'), CONSTRAINT pk PRIMARY KEY (id))")
    begin, end = m._rule_span(sql, "ck_notification_outbox_kind_known")
    codes = m._changed(m._codes(sql[begin:end]), "high_usage", True)
    assert codes == ["bill_issued", "support_reply", "high_usage"]
    assert m._changed(codes, "high_usage", True) == codes  # twice: once
    assert m._changed(codes, "high_usage", False) == ["bill_issued", "support_reply"]
    pg = "CHECK ((((kind)::text = 'bill_issued'::text) OR ((kind)::text = 'x'::text)))"
    assert m._codes(pg) == ["bill_issued", "x"]


_READING = ("INSERT INTO readings (register_id, read_on, value, source, status, flags,"
            " created_at) VALUES (:reg, '2026-10-01', 1000, :source, 'valid', '',"
            " '2026-10-01 00:00:00')")


def _register(db: Database) -> int:
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO meters (id, serial, make, model, dials, multiplier,"
                          " is_tou, has_demand) VALUES (1, 'M1', 'x', '', 6, 1000, false,"
                          " false)"))
        conn.execute(text("INSERT INTO meter_registers (id, meter_id, code, kind)"
                          " VALUES (1, 1, 'kwh', 'energy')"))
    return 1


def test_customer_readings_go_in_and_come_back_as_manual_on_the_way_down(
        db: Database) -> None:
    reg = _register(db)
    with db.engine.begin() as conn:
        conn.execute(text(_READING), {"reg": reg, "source": "customer"})
    migrate.downgrade(db, "0013")
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT source FROM readings")).scalar_one() == "manual"
    with pytest.raises(Exception, match=r"(?i)check"), db.engine.begin() as conn:
        conn.execute(text(_READING.replace("'2026-10-01'", "'2026-10-02'")),
                     {"reg": reg, "source": "customer"})
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text(_READING.replace("'2026-10-01'", "'2026-10-03'")),
                     {"reg": reg, "source": "customer"})
        conn.execute(text("DELETE FROM readings"))
        conn.execute(text("DELETE FROM meter_registers"))
        conn.execute(text("DELETE FROM meters"))
