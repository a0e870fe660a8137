"""Readings services on both backends: import (atomic, idempotent), rollover, confirm flow,
meter exchange, P1/IEC reference files, handheld sync over a pty with a cable cut."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ebs_desktop.devices.handheld.simulator import HandheldSimulator
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.devices.serial_port import open_serial
from ebs_desktop.errors import DeviceError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Reading
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from tools.bench.readings import build_bench_utility

TODAY = date(2026, 6, 15)
READ_ON = TODAY - timedelta(days=1)
ACTOR = system_actor("test")


@pytest.fixture
def utility(db: Database, tmp_path: Path) -> Path:
    """Three meters BM00000001..3 (6 dials) with readings 61 and 31 days ago; their sheet."""
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(db, 3, sheet, TODAY)
    return sheet


def count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)) or 0)


def test_import_sheet_then_again_adds_nothing(db: Database, utility: Path) -> None:
    data = utility.read_bytes()
    before = count(db)
    summary = readings.import_bytes(db, ACTOR, data, "sheet.csv", today=TODAY)
    assert (summary.accepted + summary.warnings, summary.rejected) == (3, 0)
    assert count(db) == before + 3
    again = readings.import_bytes(db, ACTOR, data, "sheet.csv", today=TODAY)
    assert again.already_imported and count(db) == before + 3
    overlapping = readings.import_bytes(db, ACTOR, data + b"\n", "copy.csv", today=TODAY)
    assert overlapping.duplicates == 3 and count(db) == before + 3
    with db.read() as s:
        stored = s.scalars(select(Reading).where(Reading.read_on == READ_ON)).all()
        for r in stored:
            prev = s.scalar(select(Reading.value).where(
                Reading.register_id == r.register_id, Reading.read_on < READ_ON)
                .order_by(Reading.read_on.desc()).limit(1))
            assert r.consumption == r.value - prev and r.source == "file"


def test_one_bad_line_refuses_the_whole_file(db: Database, utility: Path) -> None:
    lines = utility.read_text().splitlines()
    fields = lines[2].split(",")
    fields[3] = "12x4"
    lines[2] = ",".join(fields)
    before = count(db)
    with pytest.raises(readings.ImportRefused) as info:
        readings.import_bytes(db, ACTOR, "\n".join(lines).encode(), "sheet.csv", today=TODAY)
    assert info.value.location == "sheet.csv:3"
    assert "value '12x4'" in str(info.value)
    assert count(db) == before
    fields[3], fields[0] = "5", "NOPE"
    lines[2] = ",".join(fields)
    with pytest.raises(readings.ImportRefused) as info:
        readings.import_bytes(db, ACTOR, "\n".join(lines).encode(), "sheet.csv", today=TODAY)
    assert [(p.location, p.field, p.value) for p in info.value.summary.problems
            if p.severity == "error"] == [("sheet.csv:3", "meter_serial", "NOPE")]
    assert count(db) == before


def _set_history(db: Database, register_id: int, first: int, second: int) -> None:
    with db.write_connection() as conn:
        for on, value, used in ((TODAY - timedelta(days=61), first, None),
                                (TODAY - timedelta(days=31), second, second - first)):
            conn.execute(text("UPDATE readings SET value = :v, consumption = :c WHERE "
                              "register_id = :r AND read_on = :d"),
                         {"v": value * 1000, "c": None if used is None else used * 1000,
                          "r": register_id, "d": on})


def test_rollover_needs_confirmation_then_is_stored(db: Database, utility: Path) -> None:
    _set_history(db, 1, 999_000, 999_950)
    with pytest.raises(readings.NeedsConfirmation) as info:
        readings.save_reading(db, ACTOR, "BM00000001", "kwh", READ_ON, Decimal("120"),
                              today=TODAY)
    assert any("rollover" in w for w in info.value.warnings)
    saved = readings.save_reading(db, ACTOR, "BM00000001", "kwh", READ_ON, Decimal("120"),
                                  confirm=True, today=TODAY)
    assert saved.status == "confirmed" and saved.consumption == Decimal("170")
    assert "rollover" in saved.flags
    _set_history(db, 2, 500_000, 500_300)
    with pytest.raises(ValidationError, match="not a rollover"):
        readings.save_reading(db, ACTOR, "BM00000002", "kwh", READ_ON, Decimal("400000"),
                              today=TODAY)


def test_high_and_low_readings_need_confirmation(db: Database, utility: Path) -> None:
    _set_history(db, 2, 1000, 1300)  # 10 kWh a day
    for value in ("2500", "1310"):
        with pytest.raises(readings.NeedsConfirmation):
            readings.save_reading(db, ACTOR, "BM00000002", "kwh", READ_ON, Decimal(value),
                                  today=TODAY)
    ok = readings.save_reading(db, ACTOR, "BM00000002", "kwh", READ_ON, Decimal("1600"),
                               today=TODAY)
    assert ok.status == "valid" and ok.consumption == Decimal("300")
    entries = readings.list_route(db, ACTOR, "B00001", TODAY + timedelta(days=29))
    assert [e.meter_serial for e in entries] == ["BM00000001", "BM00000002", "BM00000003"]
    second = entries[1]
    assert second.previous_value == Decimal("1600") and second.expected_low > Decimal("1600")


def test_meter_exchange_in_one_action(db: Database, utility: Path) -> None:
    _set_history(db, 3, 5000, 5300)
    result = readings.exchange_meter(db, ACTOR, "BM00000003", READ_ON,
                                     {"kwh": Decimal("5450")}, "NEW-1", 5,
                                     {"kwh": Decimal("12")}, today=TODAY)
    assert result.final_consumption == {"kwh": Decimal("150.000")}
    saved = readings.save_reading(db, ACTOR, "NEW-1", "kwh", TODAY, Decimal("20"),
                                  confirm=True, today=TODAY)
    assert saved.consumption == Decimal("8")
    with pytest.raises(ValidationError, match="not installed"):
        readings.save_reading(db, ACTOR, "BM00000003", "kwh", TODAY, Decimal("5460"),
                              today=TODAY)
    with pytest.raises(ValidationError):
        readings.exchange_meter(db, ACTOR, "NEW-1", TODAY, {"kwh": Decimal("1")}, "NEW-2", 5,
                                {"kwh": Decimal("0")}, today=TODAY)


def _make_smart(db: Database, number: int, serial: str, obis: dict[str, str]) -> None:
    with db.write_connection() as conn:
        conn.execute(text("DELETE FROM readings WHERE register_id = :r"), {"r": number})
        conn.execute(text("UPDATE meters SET serial = :s WHERE id = :m"),
                     {"s": serial, "m": number})
        conn.execute(text("UPDATE meter_installations SET installed_on = '2016-01-01' "
                          "WHERE meter_id = :m"), {"m": number})
        first = True
        for code, o in obis.items():
            if first:
                conn.execute(text("UPDATE meter_registers SET code = :c, obis = :o "
                                  "WHERE id = :r"), {"c": code, "o": o, "r": number})
                first = False
            else:
                conn.execute(text("INSERT INTO meter_registers (meter_id, code, obis, kind) "
                                  "VALUES (:m, :c, :o, 'energy')"),
                             {"m": number, "c": code, "o": o})


def test_p1_and_iec_reference_files(db: Database, utility: Path,
                                    reference_data: Path) -> None:
    _make_smart(db, 1, "K8EG004046395507", {"offpeak": "1.8.1", "peak": "1.8.2"})
    _make_smart(db, 2, "63355730", {"kwh": "1.8.0"})
    before = count(db)
    telegram = (reference_data / "meter-dsmr-p1" / "dsmr_v5.txt").read_bytes()
    p1 = readings.import_bytes(db, ACTOR, telegram, "dsmr_v5.txt", today=TODAY)
    assert (p1.kind, p1.accepted) == ("dsmr", 2)
    iec = (reference_data / "meter-iec62056-21" / "iskra_mt174_readout.bin").read_bytes()
    damaged = bytearray(iec)
    damaged[damaged.index(b"8048.375")] ^= 0x01
    with pytest.raises(readings.ImportRefused, match="BCC"):
        readings.import_bytes(db, ACTOR, bytes(damaged), "damaged.bin", today=TODAY)
    assert count(db) == before + 2
    stored = readings.import_bytes(db, ACTOR, iec, "iskra.bin", today=TODAY)
    assert (stored.kind, stored.accepted) == ("iec62056-21", 1)
    with db.read() as s:
        values = dict(s.execute(text(
            "SELECT mr.code, r.value FROM readings r JOIN meter_registers mr ON "
            "mr.id = r.register_id WHERE r.source IN ('p1', 'optical')")).all())
    assert {k: Decimal(v) / 1000 for k, v in values.items()} == {
        "offpeak": Decimal("4.426"), "peak": Decimal("2.399"), "kwh": Decimal("8048.375")}
    assert readings.import_bytes(db, ACTOR, iec, "again.bin", today=TODAY).already_imported


class Served:
    def __init__(self, simulator: HandheldSimulator) -> None:
        self.master = PtyMaster()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=lambda: simulator.serve(self.master, self.master.slave_path,
                                           stop=self.stop), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.master.close()


@pytest.fixture
def served() -> Iterator[list[Served]]:
    ports: list[Served] = []
    yield ports
    for port in ports:
        port.close()


def test_handheld_sync_with_cable_cut_and_resume(db: Database, utility: Path,
                                                 served: list[Served]) -> None:
    simulator = HandheldSimulator(read_at=datetime.combine(READ_ON, time(9)),
                                  consumption=Decimal("300"))
    served.append(Served(simulator))
    # hello + route (hello, B, 3 R, E) + upload hello + 2 readings, then the cable is cut
    simulator.cut_after_frames = 10
    before = count(db)
    channel = open_serial(served[0].master.slave_path, 115200)
    with pytest.raises(DeviceError):
        readings.sync_handheld(db, ACTOR, channel, "hhu", "B00001", on=READ_ON, timeout=0.3,
                               retries=1)
    channel.close()
    assert count(db) == before + 2
    simulator.cut_after_frames = None
    served.append(Served(simulator))
    channel = open_serial(served[1].master.slave_path, 115200)
    result = readings.sync_handheld(db, ACTOR, channel, "hhu", "B00001", on=READ_ON,
                                    timeout=0.5)
    channel.close()
    assert (result.downloaded, result.problems) == (0, ())
    assert count(db) == before + 3
    with db.read() as s:
        rows = s.execute(select(Reading.register_id, Reading.consumption).where(
            Reading.source == "handheld", Reading.read_on == READ_ON)).all()
    assert sorted(r[0] for r in rows) == [1, 2, 3]
    assert {r[1] for r in rows} == {Decimal("300")}
