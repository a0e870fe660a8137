"""Office side of the handheld link: download a route, upload readings, resume after a cut.

Resume rule: every upload request names the index of the reading wanted next, which tells the
device that all earlier readings were stored by the host (``sink`` returned). After a broken
cable the host asks the device (HELLO) for that acknowledged index and continues from there.
At most the one reading in flight at the cut arrives twice; it has the same key, and the host
skips keys it has already seen (and the store ignores a key it holds), so nothing is doubled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ebs_desktop.devices.handheld.link import HostLink
from ebs_desktop.devices.handheld.records import HandheldReading, RouteItem
from ebs_desktop.devices.serial_port import ByteChannel
from ebs_desktop.errors import DeviceError

PROTOCOL_VERSION = 1
ReadingKey = tuple[str, str, datetime]


@dataclass(frozen=True)
class DeviceStatus:
    device_id: str
    route_id: str | None
    route_items: int
    route_complete: bool
    readings: int
    upload_acked: int


class HandheldHost:
    def __init__(self, channel: ByteChannel, port_name: str, *, timeout: float = 1.0,
                 retries: int = 4, progress: Callable[[str], None] | None = None,
                 check_cancel: Callable[[], None] | None = None) -> None:
        self.link = HostLink(channel, port_name, timeout=timeout, retries=retries,
                             check_cancel=check_cancel)
        self.port_name = port_name
        self._say = progress or (lambda _message: None)

    def hello(self) -> DeviceStatus:
        body = self.link.request("H", {"protocol": PROTOCOL_VERSION}).json(self.port_name)
        try:
            return DeviceStatus(str(body["device_id"]), body.get("route_id"),
                                int(body["route_items"]), bool(body["route_complete"]),
                                int(body["readings"]), int(body["upload_acked"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise DeviceError(f"handheld on {self.port_name} sent an unreadable status: "
                              f"{exc}") from None

    def download_route(self, route_id: str, items: Iterable[RouteItem]) -> int:
        """Send the route in walk order; continues a download a cut interrupted."""
        ordered = sorted(items, key=lambda item: item.walk_order)
        status = self.hello()
        start = 0
        if status.route_id == route_id and not status.route_complete:
            start = status.route_items
            self._say(f"resuming route {route_id} at item {start + 1}")
        else:
            self.link.request("B", {"route_id": route_id, "count": len(ordered)})
        for index in range(start, len(ordered)):
            self.link.request("R", {"index": index, "item": ordered[index].to_payload()})
            self._say(f"route item {index + 1}/{len(ordered)}")
        self.link.request("E", {"route_id": route_id, "count": len(ordered)})
        return len(ordered)

    def upload_readings(self, sink: Callable[[HandheldReading], None], *,
                        seen: set[ReadingKey] | None = None) -> int:
        """Pass every reading the device holds to ``sink`` once; returns how many were new.

        ``sink`` must have stored the reading when it returns: the next request acknowledges
        it. Pass the same ``seen`` set to a resumed upload to keep keys unique across calls.
        """
        seen = set() if seen is None else seen
        status = self.hello()
        index, new = status.upload_acked, 0
        if index:
            self._say(f"device has {index} readings acknowledged; continuing from there")
        while True:
            answer = self.link.request("U", {"index": index})
            body = answer.json(self.port_name)
            if answer.kind == "Z":
                break
            if answer.kind != "r" or body.get("index") != index:
                raise DeviceError(f"handheld on {self.port_name}: expected reading {index}, "
                                  f"got a {answer.kind!r} frame")
            reading = HandheldReading.from_payload(body.get("reading") or {},
                                                   f"{self.port_name} reading {index}")
            if reading.key not in seen:
                sink(reading)
                seen.add(reading.key)
                new += 1
            index += 1
            self._say(f"reading {index}/{status.readings}")
        self.link.request("D", {"count": index})
        return new
