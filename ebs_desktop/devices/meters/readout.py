"""The one result shape of every meter readout, whatever protocol delivered it.

``to_json_dict`` is the contract of ``ebs readings inspect --json`` and ``ebs meter read
--json``: exactly protocol, meter_id, timestamp (ISO 8601 or null) and registers keyed by OBIS
C.D.E with decimal strings (kWh for energy, kW for demand), so scripts can diff two readouts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

Protocol = Literal["dsmr", "iec62056-21"]


@dataclass(frozen=True)
class MeterReadout:
    """Registers as the meter reported them; ``register_times`` holds e.g. max-demand times."""

    protocol: Protocol
    meter_id: str
    timestamp: datetime | None
    registers: dict[str, Decimal]
    register_times: dict[str, datetime] = field(default_factory=dict, compare=False)

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
