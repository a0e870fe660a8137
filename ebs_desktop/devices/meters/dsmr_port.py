"""Reading one P1 telegram from a serial port: 115200 8N1 (DSMR 4/5) or 9600 7E1 (2.2/3).

The meter pushes a telegram every 1 to 10 s; we drop the partial one we joined in the middle
of and return the first whole one, checked, within the deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.devices.meters.dsmr import DsmrTelegram, find_end, parse_telegram
from ebs_desktop.devices.serial_port import ByteChannel, Deadline, read_until

P1_SETTINGS = {"5": (115200, 8, "N"), "2.2": (9600, 7, "E")}


def read_p1_telegram(channel: ByteChannel, port_name: str, *, timeout: float = 15.0,
                     check_cancel: Callable[[], None] | None = None) -> DsmrTelegram:
    def complete(buffer: bytes) -> int | None:
        start = buffer.find(b"/")
        if start < 0:
            return None
        end = find_end(buffer[start:])
        return None if end is None else start + end

    data = read_until(channel, port_name, complete, Deadline(timeout), "P1 telegram",
                      limit=64 * 1024, check_cancel=check_cancel)
    return parse_telegram(data[data.find(b"/"):], port_name)
