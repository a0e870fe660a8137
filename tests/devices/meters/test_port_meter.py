"""A P1 telegram that names no meter is stored against the port's meter (issue 17 pt 15).

The Luxembourg Smarty telegram of the conformance corpus carries no equipment id: read
over a port with no configured meter it is shown but not stored; with ``--meter`` or with
``ebs meter port set`` it is stored against that meter; a telegram naming another meter
than ``--meter`` is refused.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select, text

from ebs_desktop.cli.main import cli
from ebs_desktop.devices.meters.port_meters import port_meters_path
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Reading
from tests.conformance import conformance_dir
from tools.bench.readings import build_bench_utility

SERIAL = "LUX-0001"


@pytest.fixture
def smarty(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """One meter with a 1.8.0 register, a private data folder, the Smarty telegram."""
    monkeypatch.setenv("EBS_DATA_DIR", str(tmp_path / "data"))
    build_bench_utility(db, 1, tmp_path / "sheet.csv", date(2019, 11, 1))
    with db.write_connection() as conn:
        conn.execute(text("DELETE FROM readings"))
        conn.execute(text("UPDATE meters SET serial = :s"), {"s": SERIAL})
        conn.execute(text("UPDATE meter_installations SET installed_on = '2016-01-01'"))
        conn.execute(text("UPDATE meter_registers SET code = 'import', obis = '1.8.0'"))
    path = next(conformance_dir("dsmr").glob("*luxembourg_smarty*"))
    return path.read_bytes()


def read(db_url: str, telegram: bytes, *args: str) -> Result:
    master = PtyMaster()
    writer = threading.Timer(0.2, master.write, [telegram + b"\r\n"])
    writer.start()
    try:
        return CliRunner().invoke(cli, ["--db", db_url, "meter", "read", "--port",
                                        master.slave_path, "--protocol", "dsmr", "--timeout",
                                        "3", *args])
    finally:
        writer.join()
        master.close()


def stored(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)) or 0)


def test_unnamed_meter_needs_the_port_meter(db: Database, db_url: str, smarty: bytes) -> None:
    shown = read(db_url, smarty, "--json")
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["meter_id"] is None
    refused = read(db_url, smarty, "--store")
    assert refused.exit_code == 1 and "names no meter" in refused.stderr
    assert stored(db) == 0
    given = read(db_url, smarty, "--store", "--meter", SERIAL)
    assert given.exit_code == 0, given.output
    assert f"meter {SERIAL} (dsmr)" in given.stdout
    with db.read() as s:
        value = s.scalar(select(Reading.value))
    assert value == Decimal("5675.956")


def test_configured_port_meter(db: Database, db_url: str, smarty: bytes) -> None:
    master = PtyMaster()
    port = master.slave_path
    writer = threading.Timer(0.2, master.write, [smarty + b"\r\n"])
    runner = CliRunner()
    done = runner.invoke(cli, ["meter", "port", "set", port, SERIAL])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(cli, ["meter", "port", "list", "--json"])
    assert json.loads(listed.stdout) == {port: SERIAL}
    if os.name == "posix":
        assert stat.S_IMODE(port_meters_path().stat().st_mode) == 0o600
    writer.start()
    try:
        result = runner.invoke(cli, ["--db", db_url, "meter", "read", "--port", port,
                                     "--protocol", "dsmr", "--timeout", "3", "--store"])
    finally:
        writer.join()
        master.close()
    assert result.exit_code == 0, result.output
    assert stored(db) == 1
    assert runner.invoke(cli, ["meter", "port", "clear", port]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["meter", "port", "list", "--json"]).stdout) == {}


def test_a_telegram_naming_another_meter_is_refused(db: Database, db_url: str,
                                                    smarty: bytes) -> None:
    named = next(conformance_dir("dsmr").glob("*TELEGRAM_V5.txt")).read_bytes()
    result = read(db_url, named, "--store", "--meter", SERIAL)
    assert result.exit_code == 1
    assert f"names meter K8EG004046395507, not {SERIAL}" in result.stderr
    assert stored(db) == 0
