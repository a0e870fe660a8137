"""Handheld download and upload over real pty pairs, a cable cut, resume, a silent device."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest

from ebs_desktop.devices.handheld.host import HandheldHost, ReadingKey
from ebs_desktop.devices.handheld.records import HandheldReading, RouteItem
from ebs_desktop.devices.handheld.simulator import HandheldSimulator
from ebs_desktop.devices.pty_channel import PtyMaster
from ebs_desktop.devices.serial_port import open_serial
from ebs_desktop.errors import DeviceError


def test_download_then_upload(serve: Callable[..., object], route: list[RouteItem],
                              read_time: datetime) -> None:
    simulator = HandheldSimulator(read_at=read_time, consumption=Decimal("42.125"),
                                  script={("SN00003", "1.8.0"): (Decimal("1003.5"), "NA")})
    port = serve(simulator)
    channel = open_serial(port.path, 115200)  # type: ignore[attr-defined]
    host = HandheldHost(channel, "hhu", timeout=0.5)
    assert host.download_route("R-7", route) == 12
    assert [item.walk_order for item in simulator.route] == sorted(i.walk_order for i in route)
    assert simulator.route_complete
    stored: list[HandheldReading] = []
    assert host.upload_readings(stored.append) == 12
    channel.close()
    assert simulator.uploaded == 12
    by_serial = {reading.meter_serial: reading for reading in stored}
    assert by_serial["SN00000"].value == Decimal("1042.625")
    assert by_serial["SN00003"].reading_code == "NA"
    assert stored[0].meter_serial == "SN00011"  # walk order, not list order
    assert host.link.retransmissions == 0


def test_cable_cut_mid_upload_then_resume(serve: Callable[..., object],
                                          route: list[RouteItem], read_time: datetime) -> None:
    simulator = HandheldSimulator(read_at=read_time)
    first = serve(simulator)
    channel = open_serial(first.path, 115200)  # type: ignore[attr-defined]
    HandheldHost(channel, "hhu", timeout=0.3).download_route("R-7", route)
    simulator.cut_after_frames = simulator.frames_sent + 6  # hello + 5 readings, then silence
    stored: dict[ReadingKey, HandheldReading] = {}
    delivered: list[ReadingKey] = []
    seen: set[ReadingKey] = set()

    def sink(reading: HandheldReading) -> None:
        delivered.append(reading.key)
        stored[reading.key] = reading

    started = time.monotonic()
    with pytest.raises(DeviceError, match="did not answer 'U' after 3 tries"):
        HandheldHost(channel, "hhu", timeout=0.3, retries=2).upload_readings(sink, seen=seen)
    assert time.monotonic() - started < 3
    channel.close()
    assert len(delivered) == 5 and first.outcome == ["cut"]  # type: ignore[attr-defined]
    assert simulator.upload_acked == 5  # the request for #5 arrived; its answer did not

    simulator.cut_after_frames = None  # a new cable, a fresh port, same device
    second = serve(simulator)
    channel = open_serial(second.path, 115200)  # type: ignore[attr-defined]
    assert HandheldHost(channel, "hhu", timeout=0.5).upload_readings(sink, seen=seen) == 7
    channel.close()
    assert len(delivered) == len(set(delivered)) == 12
    assert sorted(stored) == sorted(reading.key for reading in simulator.readings)


def test_cut_during_download_resumes_route(serve: Callable[..., object],
                                           route: list[RouteItem]) -> None:
    simulator = HandheldSimulator(cut_after_frames=6)
    first = serve(simulator)
    channel = open_serial(first.path, 115200)  # type: ignore[attr-defined]
    with pytest.raises(DeviceError):
        HandheldHost(channel, "hhu", timeout=0.2, retries=1).download_route("R-8", route)
    channel.close()
    assert 0 < len(simulator.route) < 12 and not simulator.route_complete
    simulator.cut_after_frames = None
    second = serve(simulator)
    channel = open_serial(second.path, 115200)  # type: ignore[attr-defined]
    progress: list[str] = []
    HandheldHost(channel, "hhu", timeout=0.5, progress=progress.append).download_route(
        "R-8", route)
    channel.close()
    assert progress[0].startswith("resuming route R-8 at item 6")
    assert [item.meter_serial for item in simulator.route] == [
        item.meter_serial for item in sorted(route, key=lambda item: item.walk_order)]


def test_silent_device_ends_within_timeout() -> None:
    master = PtyMaster()
    channel = open_serial(master.slave_path, 115200)
    started = time.monotonic()
    try:
        with pytest.raises(DeviceError, match="did not answer 'H' after 2 tries"):
            HandheldHost(channel, "hhu", timeout=0.25, retries=1).hello()
    finally:
        channel.close()
        master.close()
    assert time.monotonic() - started < 1.5


def test_noise_on_the_line_is_retransmitted(route: list[RouteItem]) -> None:
    simulator = HandheldSimulator()
    master = PtyMaster()
    channel = open_serial(master.slave_path, 115200)
    host = HandheldHost(channel, "hhu", timeout=0.3)

    def device() -> None:
        first = master.read(256)  # swallow the first HELLO as if garbled, answer with noise
        assert first
        master.write(b"\x02\x55\x03")
        simulator.serve(master, "sim", idle_timeout=1.0)

    thread = threading.Thread(target=device, daemon=True)
    thread.start()
    status = host.hello()
    thread.join(3)
    channel.close()
    master.close()
    assert status.device_id == "HHU-SIM-1" and host.link.retransmissions >= 1
