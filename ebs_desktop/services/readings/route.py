"""What a reader is sent out with: a route's meters in walk order, last reading, expected range.

The same list feeds the reading-entry screen (:func:`list_route`), the reading sheet
(:func:`sheet_text`) and the handheld download (:func:`route_items`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ebs_desktop.devices.handheld.records import RouteItem
from ebs_desktop.domain.periods import parse_period, read_date
from ebs_desktop.domain.readings import expected_range
from ebs_desktop.domain.readings.rules import resolution
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.reports.spreadsheet_cells import CellValue
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.readings.sheet import template_rows, write_csv
from ebs_desktop.services.readings.state import RegisterState, load_history, load_registers
from ebs_desktop.services.settings import get_settings


@dataclass(frozen=True)
class RouteEntry:
    """One line of the reading-entry screen."""

    meter_serial: str
    register: str
    kind: str
    account_number: str
    walk_order: int
    previous_value: Decimal | None
    previous_read_on: date | None
    expected_low: Decimal
    expected_high: Decimal
    places: int = 0  # the decimals the register shows (its own resolution)


def _due(db: Database, route: str | None, on: date) -> tuple[list[RegisterState], Decimal,
                                                                 Decimal]:
    with db.read() as session:
        settings = get_settings(session)
        conn = session.connection()
        states = [s for s in load_registers(conn, route=route).values()
                  if s.active and s.account_id is not None]
        if route is not None and not states:
            raise NotFound(f"route {route!r} has no meters to read")
        load_history(conn, states, on)
    states.sort(key=lambda s: (s.route or "", s.walk_order or 0, s.serial, s.code))
    return (states, settings.decimal("high_consumption_factor"),
            settings.decimal("low_consumption_factor"))


def list_route(db: Database, actor: Actor, route: str, on: date) -> list[RouteEntry]:
    require(actor, "reading.enter")
    return _entries(db, route, on)


def _entries(db: Database, route: str, on: date) -> list[RouteEntry]:
    states, high, low = _due(db, route, on)
    out = []
    for s in states:
        lo, hi = expected_range(s.facts(high, low), on)
        places = resolution(s.previous_value)
        step = Decimal(1).scaleb(-places)  # the range at the meter's own resolution
        facts = s.facts(high, low)
        lo = lo.quantize(step, rounding=ROUND_FLOOR)
        hi = min(hi.quantize(step, rounding=ROUND_CEILING), facts.span - step)
        out.append(RouteEntry(s.serial, s.code, s.kind, s.account_number or "",
                              s.walk_order or 0, s.previous_value, s.previous_read_on, lo, hi,
                              places))
    return out


def sheet_text(db: Database, actor: Actor, period: str, route: str | None = None) -> tuple[
        str, int]:
    """The CSV reading sheet for ``period`` (YYYY-MM): text and number of rows."""
    require(actor, "reading.import")
    year, month = parse_period(period)
    states, high, low = _due(db, route, read_date(year, month, 31))
    rows: list[list[CellValue]] = []
    for s in states:
        on = read_date(year, month, s.read_day or 31)
        rows += template_rows([s], on, high, low)
    return write_csv(rows), len(rows)


def route_items(db: Database, actor: Actor, route: str, on: date) -> list[RouteItem]:
    """The route as the handheld receives it (energy and demand registers)."""
    require(actor, "handheld.sync")
    items = []
    for e in _entries(db, route, on):
        items.append(RouteItem(e.meter_serial, e.register, e.account_number, e.walk_order,
                               e.previous_value or Decimal(0), e.previous_read_on or on,
                               e.expected_low, e.expected_high))
    return items
