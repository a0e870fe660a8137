"""``ebs hhu-sim`` as a separate process on a pty, driven by the host side."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from ebs_desktop.devices.handheld.host import HandheldHost
from ebs_desktop.devices.handheld.records import HandheldReading, RouteItem
from ebs_desktop.devices.pty_channel import PtyMaster


def test_simulator_process_serves_a_reader_session(tmp_path: Path,
                                                   route: list[RouteItem]) -> None:
    readings_file = tmp_path / "keyed.csv"
    readings_file.write_text("meter_serial,register,value,reading_code\n"
                             "SN00004,1.8.0,1234.5,\nSN00007,1.8.0,1007.5,DL\n")
    master = PtyMaster()
    process = subprocess.Popen(
        [sys.executable, "-m", "ebs_desktop.cli.main", "hhu-sim", "--port", master.slave_path,
         "--readings-file", str(readings_file), "--consumption", "10.5", "--reader", "joe",
         "--idle-exit", "1.5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        host = HandheldHost(master, "sim", timeout=1.0, retries=8)
        host.download_route("R-1", route)
        readings: list[HandheldReading] = []
        host.upload_readings(readings.append)
        out, err = process.communicate(timeout=15)
    finally:
        process.kill()
        master.close()
    assert process.returncode == 0, err
    assert "idle: route R-1 with 12 meters, 12 readings, 12 uploaded" in out
    values = {reading.meter_serial: (reading.value, reading.reading_code) for reading in readings}
    assert values["SN00004"] == (Decimal("1234.5"), None)
    assert values["SN00007"] == (Decimal("1007.5"), "DL")
    assert values["SN00001"] == (Decimal("1012.0"), None)  # 1001.5 + 10.5
    assert {reading.reader for reading in readings} == {"joe"}
