"""``ebs readings inspect`` and ``ebs meter read`` through the real ``ebs`` group."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text

from ebs_desktop.cli.main import cli
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.persistence.engine import Database
from tools.bench.readings import build_bench_utility


def test_inspect_reference_files_as_json(dsmr_dir: Path, iec_file: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["readings", "inspect", str(iec_file), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body == {"protocol": "iec62056-21", "meter_id": "63355730",
                    "timestamp": "2017-03-18T20:14:55", "registers": body["registers"]}
    assert body["registers"]["1.8.1"] == "8048.375"
    result = runner.invoke(cli, ["readings", "inspect", str(dsmr_dir / "belgium_fluvius_v171.txt"),
                                 "--json"])
    assert json.loads(result.output)["registers"] == {
        "1.8.1": "0.034", "1.8.2": "15.758", "2.8.1": "0.000", "2.8.2": "0.011"}


def test_inspect_refuses_damaged_files(tmp_path: Path, dsmr_dir: Path, iec_file: Path,
                                       flip: Callable[[bytes, bytes], bytes]) -> None:
    runner = CliRunner()
    damaged = tmp_path / "readout.bin"
    damaged.write_bytes(flip(iec_file.read_bytes(), b"1-0:2.8.0*255("))
    result = runner.invoke(cli, ["readings", "inspect", str(damaged)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: readout.bin:346 BCC: BCC mismatch: readout says 0x66, content gives 0x61 "
        "(damaged readout)"]
    result = runner.invoke(cli, ["readings", "inspect", str(damaged), "--json"])
    assert result.exit_code == 1  # with --json the error is JSON too (issue 17)
    assert json.loads(result.stderr) == {
        "error": "BCC mismatch: readout says 0x66, content gives 0x61 (damaged readout)",
        "where": "readout.bin:346 BCC"}
    telegram = tmp_path / "p1.txt"
    telegram.write_bytes(flip((dsmr_dir / "dsmr_v4_2.txt").read_bytes(), b"1-0:1.8.2("))
    result = runner.invoke(cli, ["readings", "inspect", str(telegram)])
    assert result.exit_code == 1 and "p1.txt:36 CRC: CRC mismatch" in result.stderr
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    result = runner.invoke(cli, ["readings", "inspect", str(junk)])
    assert result.exit_code == 1 and "notes.txt:1: neither a P1 telegram" in result.stderr


def test_meter_read_iec_over_pty(iec_file: Path, meter_player: type) -> None:
    master = PtyMaster()
    meter = meter_player(master, iec_file.read_bytes())
    meter.start()
    result = CliRunner().invoke(cli, ["meter", "read", "--port", master.slave_path,
                                      "--protocol", "iec62056-21", "--json", "--timeout", "3"])
    meter.join(5)
    master.close()
    assert meter.error is None
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["registers"]["1.8.0"] == "8048.375"


def test_meter_read_store_saves_the_reading(dsmr_dir: Path, db: Database, db_url: str,
                                            tmp_path: Path) -> None:
    """`--store` saves the P1 registers against the meter whose serial the telegram names."""
    build_bench_utility(db, 1, tmp_path / "sheet.csv", date(2017, 2, 1))
    with db.write_connection() as conn:
        conn.execute(text("DELETE FROM readings"))
        conn.execute(text("UPDATE meters SET serial = 'K8EG004046395507'"))
        conn.execute(text("UPDATE meter_installations SET installed_on = '2016-01-01'"))
        conn.execute(text("UPDATE meter_registers SET code = 'offpeak', obis = '1.8.1'"))
        conn.execute(text("INSERT INTO meter_registers (meter_id, code, obis, kind) "
                          "SELECT id, 'peak', '1.8.2', 'energy' FROM meters"))
    master = PtyMaster()
    writer = threading.Timer(0.2, master.write, [(dsmr_dir / "dsmr_v5.txt").read_bytes()])
    writer.start()
    result = CliRunner().invoke(cli, ["--db", db_url, "meter", "read", "--port",
                                      master.slave_path, "--protocol", "dsmr", "--store",
                                      "--timeout", "3"])
    writer.join()
    master.close()
    assert result.exit_code == 0, result.output
    assert "meter K8EG004046395507 (dsmr)" in result.stdout
    with db.read() as s:
        stored = s.execute(text(
            "SELECT mr.code, r.value, r.source FROM readings r "
            "JOIN meter_registers mr ON mr.id = r.register_id ORDER BY mr.code")).all()
    assert [tuple(row) for row in stored] == [("offpeak", 4426, "p1"), ("peak", 2399, "p1")]
