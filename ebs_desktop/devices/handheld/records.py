"""What travels over the handheld link: route items down, readings up.

Payloads are JSON objects with every number as a decimal string (never a float) and dates in
ISO 8601. A reading is identified by (meter serial, register, read_at): storing the same key
twice is a no-op, which is what makes retransmission and resume safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ebs_desktop.devices.handheld.frames import FrameError

_DECIMAL = re.compile(r"-?\d{1,15}(\.\d{1,6})?")


@dataclass(frozen=True)
class RouteItem:
    meter_serial: str
    register: str
    account_number: str
    walk_order: int
    previous_value: Decimal
    previous_read_at: date
    low: Decimal
    high: Decimal

    def to_payload(self) -> dict[str, Any]:
        return {"meter_serial": self.meter_serial, "register": self.register,
                "account_number": self.account_number, "walk_order": self.walk_order,
                "previous_value": str(self.previous_value),
                "previous_read_at": self.previous_read_at.isoformat(),
                "low": str(self.low), "high": str(self.high)}

    @classmethod
    def from_payload(cls, body: dict[str, Any], location: str) -> RouteItem:
        walk_order = body.get("walk_order")
        if not isinstance(walk_order, int) or isinstance(walk_order, bool):
            raise FrameError(f"walk_order {walk_order!r} is not an integer",
                             location=f"{location} walk_order")
        return cls(_text(body, "meter_serial", location), _text(body, "register", location),
                   _text(body, "account_number", location), walk_order,
                   _decimal(body, "previous_value", location),
                   _date(body, "previous_read_at", location),
                   _decimal(body, "low", location), _decimal(body, "high", location))


@dataclass(frozen=True)
class HandheldReading:
    meter_serial: str
    register: str
    read_at: datetime
    value: Decimal
    reading_code: str | None
    reader: str

    @property
    def key(self) -> tuple[str, str, datetime]:
        """Identity of the reading: the same key stored twice is one reading."""
        return (self.meter_serial, self.register, self.read_at)

    def to_payload(self) -> dict[str, Any]:
        return {"meter_serial": self.meter_serial, "register": self.register,
                "read_at": self.read_at.isoformat(timespec="seconds"),
                "value": str(self.value), "reading_code": self.reading_code,
                "reader": self.reader}

    @classmethod
    def from_payload(cls, body: dict[str, Any], location: str) -> HandheldReading:
        code = body.get("reading_code")
        if code is not None and not isinstance(code, str):
            raise FrameError(f"reading_code {code!r} is not text",
                             location=f"{location} reading_code")
        raw_time = _text(body, "read_at", location)
        try:
            read_at = datetime.fromisoformat(raw_time)
        except ValueError:
            raise FrameError(f"read_at {raw_time!r} is not an ISO date-time",
                             location=f"{location} read_at") from None
        return cls(_text(body, "meter_serial", location), _text(body, "register", location),
                   read_at, _decimal(body, "value", location), code or None,
                   _text(body, "reader", location))


def _text(body: dict[str, Any], name: str, location: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise FrameError(f"{name} {value!r} is not a text of 1 to 64 characters",
                         location=f"{location} {name}")
    return value


def _decimal(body: dict[str, Any], name: str, location: str) -> Decimal:
    value = body.get(name)
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise FrameError(f"{name} {value!r} is not a decimal string", location=f"{location} {name}")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise FrameError(f"{name} {value!r} is not a decimal",
                         location=f"{location} {name}") from None


def _date(body: dict[str, Any], name: str, location: str) -> date:
    value = _text(body, name, location)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FrameError(f"{name} {value!r} is not an ISO date",
                         location=f"{location} {name}") from None
