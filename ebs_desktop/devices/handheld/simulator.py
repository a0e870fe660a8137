"""A handheld terminal in software, speaking the link protocol on the device side.

It keeps the downloaded route, lets a scripted reader walk it (a value per meter from a
readings file, else previous + a fixed consumption) and uploads the readings. For tests it
can drop the link after N frames (``cut_after_frames``), like a cable pulled mid-transfer;
its state survives, so a second ``serve`` on a new port is the reconnected device.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ebs_desktop.devices.handheld.frames import Frame, FrameError
from ebs_desktop.devices.handheld.host import PROTOCOL_VERSION
from ebs_desktop.devices.handheld.link import FrameStream
from ebs_desktop.devices.handheld.records import HandheldReading, RouteItem
from ebs_desktop.devices.serial_port import ByteChannel, Deadline
from ebs_desktop.errors import ValidationError

ScriptedValue = tuple[Decimal, str | None]


@dataclass
class HandheldSimulator:
    device_id: str = "HHU-SIM-1"
    reader: str = "SIM"
    consumption: Decimal = Decimal("100")
    script: dict[tuple[str, str], ScriptedValue] = field(default_factory=dict)
    read_at: datetime | None = None
    cut_after_frames: int | None = None
    route_id: str | None = None
    expected_items: int = 0
    route: list[RouteItem] = field(default_factory=list)
    route_complete: bool = False
    readings: list[HandheldReading] = field(default_factory=list)
    upload_acked: int = 0
    uploaded: int = 0
    frames_sent: int = 0

    def walk_route(self) -> None:
        """The scripted reader: one reading per route item, in walk order."""
        start = self.read_at or datetime.now().replace(second=0, microsecond=0)
        self.readings = []
        for number, item in enumerate(self.route):
            value, code = self.script.get((item.meter_serial, item.register),
                                          (item.previous_value + self.consumption, None))
            self.readings.append(HandheldReading(item.meter_serial, item.register,
                                                 start + timedelta(minutes=number), value,
                                                 code, self.reader))
        self.upload_acked = self.uploaded = 0

    def handle(self, frame: Frame, source: str = "<link>") -> Frame:
        """The answer to one request; all requests are idempotent."""
        try:
            body = frame.json(source)
            return self._dispatch(frame, body)
        except (ValidationError, KeyError, TypeError, ValueError) as exc:
            return Frame.with_json("X", frame.seq, {"reason": f"bad {frame.kind!r} request: {exc}"})

    def _dispatch(self, frame: Frame, body: dict[str, object]) -> Frame:
        seq = frame.seq
        if frame.kind == "H":
            if body.get("protocol") != PROTOCOL_VERSION:
                return Frame.with_json("X", seq, {"reason": "protocol version not supported"})
            return Frame.with_json("S", seq, {
                "device_id": self.device_id, "route_id": self.route_id,
                "route_items": len(self.route), "route_complete": self.route_complete,
                "readings": len(self.readings), "upload_acked": self.upload_acked})
        if frame.kind == "B":
            self.route_id, self.expected_items = str(body["route_id"]), int(str(body["count"]))
            self.route, self.route_complete, self.readings = [], False, []
            self.upload_acked = self.uploaded = 0
        elif frame.kind == "R":
            index = int(str(body["index"]))
            if index > len(self.route):
                return Frame.with_json("X", seq, {"reason": f"expected item {len(self.route)}"})
            item = body["item"]
            if not isinstance(item, dict):
                raise TypeError("item is not an object")
            if index == len(self.route):
                self.route.append(RouteItem.from_payload(item, f"route item {index}"))
        elif frame.kind == "E":
            if len(self.route) != int(str(body["count"])) or body["route_id"] != self.route_id:
                return Frame.with_json("X", seq, {"reason": f"route incomplete: "
                                                  f"{len(self.route)} of {body['count']} items"})
            if not self.route_complete:
                self.route_complete = True
                self.walk_route()
        elif frame.kind == "U":
            index = int(str(body["index"]))
            self.upload_acked = max(self.upload_acked, min(index, len(self.readings)))
            if index >= len(self.readings):
                return Frame.with_json("Z", seq, {"count": len(self.readings)})
            return Frame.with_json("r", seq, {"index": index,
                                              "reading": self.readings[index].to_payload()})
        elif frame.kind == "D":
            self.uploaded = max(self.uploaded, int(str(body["count"])))
        else:
            return Frame.with_json("N", seq, {"reason": f"{frame.kind!r} is not a request"})
        return Frame.with_json("A", seq, {})

    def serve(self, channel: ByteChannel, port_name: str, *,
              stop: threading.Event | None = None, idle_timeout: float | None = None) -> str:
        """Answer requests until stopped, idle, or the scripted cable cut: returns why."""
        stream = FrameStream(channel, port_name)
        while stop is None or not stop.is_set():
            frame = stream.receive(Deadline(idle_timeout if idle_timeout is not None else 0.2))
            if frame is None:
                if idle_timeout is not None:
                    return "idle"
                continue
            if isinstance(frame, FrameError):
                answer = Frame.with_json("N", 0, {"reason": str(frame)[:200]})
            else:
                answer = self.handle(frame, port_name)
            if self.cut_after_frames is not None and self.frames_sent >= self.cut_after_frames:
                return "cut"
            stream.send(answer)
            self.frames_sent += 1
        return "stopped"


def load_reading_script(path: Path) -> dict[tuple[str, str], ScriptedValue]:
    """``meter_serial,register,value[,reading_code]`` CSV: what the scripted reader keys in."""
    script: dict[tuple[str, str], ScriptedValue] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ValidationError(f"cannot read readings file: {exc}", location=str(path)) from exc
    for line, row in enumerate(rows, start=2):
        try:
            serial, register, text = row["meter_serial"], row["register"], row["value"]
        except KeyError as exc:
            raise ValidationError(f"column {exc} missing", location=f"{path.name}:1") from None
        try:
            value = Decimal(text)
        except (InvalidOperation, TypeError):
            raise ValidationError(f"value {text!r} is not a number",
                                  location=f"{path.name}:{line} value") from None
        script[(serial, register)] = (value, (row.get("reading_code") or "").strip() or None)
    return script
