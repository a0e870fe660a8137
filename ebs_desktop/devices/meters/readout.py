"""The one result shape of every meter readout, whatever protocol delivered it.

``to_json_dict`` is the contract of ``ebs readings inspect --json`` and ``ebs meter read
--json``: exactly protocol, meter_id, timestamp (ISO 8601 or null) and registers keyed by OBIS
C.D.E with decimal strings (kWh for energy, kW for demand), so scripts can diff two readouts.

``meter_id`` is null when the readout names no meter: many P1 telegrams carry no equipment
id (Luxembourg Smarty, E.ON Hungary, Sagemcom T210-D, Swedish Kamstrup). The meter then
comes from whoever knows which meter hangs on the port (:meth:`MeterReadout.for_meter`):
``ebs meter read --meter SERIAL`` or the port's configured meter
(:mod:`ebs_desktop.devices.meters.port_meters`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ebs_desktop.errors import ValidationError

Protocol = Literal["dsmr", "iec62056-21"]


@dataclass(frozen=True)
class MeterReadout:
    """Registers as the meter reported them; ``register_times`` holds e.g. max-demand times.

    ``other_ids`` are further numbers the readout gives the same meter (an EasyMeter's
    property number beside its serial, an IEC meter's ``C.1.0`` beside ``0.0.0``): a meter
    named by the operator may match any of them.
    """

    protocol: Protocol
    meter_id: str | None
    timestamp: datetime | None
    registers: dict[str, Decimal]
    register_times: dict[str, datetime] = field(default_factory=dict, compare=False)
    other_ids: tuple[str, ...] = field(default=(), compare=False)

    def for_meter(self, serial: str | None, where: str) -> MeterReadout:
        """This readout taken as a reading of ``serial`` (the meter on the port).

        A readout naming no meter takes ``serial``; one naming a meter must name this one
        (its id or one of its other ids), else it is refused: the cable is on another
        meter than the operator thinks, and its registers must not go to the wrong meter.
        """
        if serial is None or not serial.strip():
            return self
        serial = serial.strip()
        if self.meter_id is None:
            return replace(self, meter_id=serial)
        if serial == self.meter_id or serial in self.other_ids:
            return replace(self, meter_id=serial)
        named = " / ".join((self.meter_id, *self.other_ids))
        raise ValidationError(f"the readout names meter {named}, not {serial}: is the probe "
                              "on another meter?", location=where)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "meter_id": self.meter_id,
            "timestamp": self.timestamp.isoformat() if self.timestamp is not None else None,
            "registers": {code: _decimal_text(value) for code, value in self.registers.items()},
        }


def _decimal_text(value: Decimal) -> str:
    """Plain notation, never exponent form, digits as the meter sent them."""
    return format(value, "f")
