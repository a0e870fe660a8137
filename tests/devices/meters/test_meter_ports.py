"""Meter readouts over real pseudo-terminal pairs: the host opens the slave with pyserial."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ebs_desktop.devices.meters.dsmr_port import read_p1_telegram
from ebs_desktop.devices.meters.iec_session import BREAK, read_iec_meter
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.devices.serial_port import open_serial
from ebs_desktop.devices.worker import DeviceWorker, JobControl
from ebs_desktop.errors import DeviceError, ValidationError


@pytest.fixture
def pty() -> Iterator[PtyMaster]:
    master = PtyMaster()
    yield master
    master.close()


def test_iec_readout_over_pty(pty: PtyMaster, iec_file: Path, meter_player: type) -> None:
    meter = meter_player(pty, iec_file.read_bytes())
    meter.start()
    port = open_serial(pty.slave_path, 300, bytesize=7, parity="E")
    try:
        readout = read_iec_meter(port, pty.slave_path, timeout=3)
    finally:
        port.close()
    meter.join(5)
    assert meter.error is None
    assert meter.received[:2] == [b"/?!\r\n", b"\x06050\r\n"]
    assert meter.received[2] == BREAK
    assert meter.baud_seen == [300, 9600]
    assert readout.identification is not None
    assert readout.identification.ident == "MT174-0001"
    json = readout.to_readout().to_json_dict()
    assert json["meter_id"] == "63355730"
    assert json["registers"]["1.8.0"] == "8048.375"


def test_damaged_iec_readout_over_pty_is_refused(pty: PtyMaster, iec_file: Path,
                                                 meter_player: type,
                                                 flip: Callable[[bytes, bytes], bytes]) -> None:
    meter = meter_player(pty, flip(iec_file.read_bytes(), b"1-0:1.8.1*255("))
    meter.start()
    port = open_serial(pty.slave_path, 300, bytesize=7, parity="E")
    try:
        with pytest.raises(ValidationError, match="BCC mismatch"):
            read_iec_meter(port, pty.slave_path, timeout=3)
    finally:
        port.close()
    meter.join(5)


def test_silent_meter_ends_within_timeout(pty: PtyMaster) -> None:
    port = open_serial(pty.slave_path, 300, bytesize=7, parity="E")
    started = time.monotonic()
    try:
        with pytest.raises(DeviceError, match=r"no complete identification line within 0\.5 s"):
            read_iec_meter(port, pty.slave_path, timeout=0.5)
    finally:
        port.close()
    assert time.monotonic() - started < 1.5
    assert pty.read(64) == b"/?!\r\n"  # the sign-on did go out


def test_p1_telegram_over_pty_joins_mid_stream(pty: PtyMaster, dsmr_dir: Path) -> None:
    telegram = (dsmr_dir / "dsmr_v5.txt").read_bytes()
    port = open_serial(pty.slave_path, 115200)

    def meter() -> None:
        pty.write(telegram[-60:])  # the tail of a telegram we joined too late
        time.sleep(0.05)
        pty.write(telegram[:100])
        time.sleep(0.05)
        pty.write(telegram[100:])

    writer = threading.Thread(target=meter)
    writer.start()
    try:
        result = read_p1_telegram(port, pty.slave_path, timeout=3)
    finally:
        port.close()
        writer.join()
    assert result.meter_id == "K8EG004046395507"
    assert str(result.registers["1.8.1"]) == "4.426"


def test_silent_p1_port_through_the_worker(pty: PtyMaster) -> None:
    worker = DeviceWorker()
    port = open_serial(pty.slave_path, 115200)
    messages: list[str] = []

    def job(control: JobControl) -> object:
        control.report("waiting for a telegram")
        assert threading.current_thread().name.startswith("ebs-device")
        return read_p1_telegram(port, pty.slave_path, timeout=0.4,
                                check_cancel=control.check)

    started = time.monotonic()
    with pytest.raises(DeviceError, match=r"no complete P1 telegram within 0\.4 s"):
        worker.run("P1 read", job, timeout=5, progress=messages.append)
    assert time.monotonic() - started < 1.5
    assert messages == ["waiting for a telegram"]
    port.close()
    worker.shutdown()


def test_missing_port_is_a_readable_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match=r"cannot open serial port .*nothing-here"):
        open_serial(str(tmp_path / "nothing-here"), 9600)
