"""Meter exchange in one action, and the handheld sync that uses the link.

An exchange closes the old meter's installation with its final reading (consumption up to
that day, rollover rules apply, never negative) and opens the new meter's with its first
reading (no consumption: the new registers count from it). The new meter gets the old
one's register codes and OBIS codes. All of it in one transaction, audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from ebs_desktop.devices.handheld.host import HandheldHost, ReadingKey
from ebs_desktop.devices.serial_port import ByteChannel
from ebs_desktop.domain.readings import check_exchange
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import readings as store
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.readings.entry import HandheldSink
from ebs_desktop.services.readings.route import route_items
from ebs_desktop.services.readings.state import load_history, load_registers
from ebs_desktop.services.settings import get_settings


@dataclass(frozen=True)
class ExchangeResult:
    old_serial: str
    new_serial: str
    on: date
    final_consumption: dict[str, Decimal | None]


def exchange_meter(db: Database, actor: Actor, old_serial: str, on: date,
                   finals: dict[str, Decimal], new_serial: str, new_dials: int,
                   firsts: dict[str, Decimal], *, make: str = "", model: str = "",
                   multiplier: Decimal = Decimal(1),
                   today: date | None = None) -> ExchangeResult:
    require(actor, "reading.enter")
    require(actor, "account.edit")
    today = today or date.today()
    if not 3 <= new_dials <= 10:
        raise ValidationError(f"{new_dials} dials: a meter has 3 to 10", location="new dials")
    with db.write() as session:
        settings = get_settings(session)
        conn = session.connection()
        states = load_registers(conn, [old_serial])
        if not states:
            raise NotFound(f"no meter with serial {old_serial!r}")
        if store.meter_id(session, new_serial) is not None:
            raise ConflictError(f"a meter with serial {new_serial!r} already exists")
        load_history(conn, list(states.values()), on)
        codes = {code for _serial, code in states}
        for name, given in (("final", finals), ("first", firsts)):
            if set(given) != codes:
                raise ValidationError(f"give a {name} reading for each register "
                                      f"({', '.join(sorted(codes))})", location=name)
        problems = []
        consumption: dict[str, Decimal | None] = {}
        for (_s, code), state in sorted(states.items()):
            if state.account_id is None:
                raise ConflictError(f"meter {old_serial} is not installed on any premise")
            check = check_exchange(state.facts(settings.decimal("high_consumption_factor"),
                                               settings.decimal("low_consumption_factor")),
                                   finals[code], on, today, new_dials, firsts[code], code)
            problems += [p.text() for p in check.errors]
            consumption[code] = check.consumption
        if problems:
            raise ValidationError("; ".join(problems), location=f"exchange of {old_serial}")
        any_state = next(iter(states.values()))
        old = store.open_installation(session, any_state.meter_id)
        if on < old.installed_on:
            raise ValidationError(f"{on} is before the old meter was installed "
                                  f"({old.installed_on})", location="exchange date")
        store.close_installation(session, old.id, on)
        old_meter = store.meter(session, any_state.meter_id)
        assert old_meter is not None
        meter_id = store.add_meter(
            session, serial=new_serial, make=make or old_meter.make, model=model,
            dials=new_dials, multiplier=multiplier, is_tou=old_meter.is_tou,
            has_demand=old_meter.has_demand, premise_id=old.premise_id, installed_on=on)
        now = datetime.now(UTC)
        for (_s, code), state in sorted(states.items()):
            register_id = store.add_register(session, meter_id, code, state.obis, state.kind)
            store.add_reading(session, register_id=state.register_id, read_on=on,
                              value=finals[code], consumption=consumption[code],
                              source="manual", status="valid", reading_code="meter_final",
                              flags="exchange", reader_id=actor.user_id, created_at=now)
            store.add_reading(session, register_id=register_id, read_on=on, value=firsts[code],
                              consumption=None, source="manual", status="valid",
                              reading_code="meter_first", flags="exchange",
                              reader_id=actor.user_id, created_at=now)
        audit.record(session, actor, "meter.exchange", "meter", old_serial,
                     before={"serial": old_serial, "finals": {k: str(v) for k, v in
                                                              finals.items()}},
                     after={"serial": new_serial, "on": on.isoformat(),
                            "firsts": {k: str(v) for k, v in firsts.items()}})
    return ExchangeResult(old_serial, new_serial, on, consumption)


@dataclass(frozen=True)
class SyncResult:
    route: str
    downloaded: int
    uploaded: int
    stored: int
    duplicates: int
    problems: tuple[str, ...]


def sync_handheld(db: Database, actor: Actor, channel: ByteChannel, port_name: str,
                  route: str, *, on: date | None = None, timeout: float = 1.0,
                  retries: int = 4, progress: Callable[[str], None] | None = None,
                  seen: set[ReadingKey] | None = None) -> SyncResult:
    """Upload what the device holds, send it the route (unless it has it), upload again.

    Readings come up first so a new route never wipes readings not yet stored; each one is
    in the database before the device hears it was received (see devices/handheld/host).
    """
    require(actor, "handheld.sync")
    on = on or date.today()
    sink = HandheldSink(db, actor)
    seen = set() if seen is None else seen
    host = HandheldHost(channel, port_name, timeout=timeout, retries=retries,
                        progress=progress)
    status = host.hello()
    uploaded = 0
    if status.readings > status.upload_acked:
        uploaded += host.upload_readings(sink, seen=seen)
    downloaded = 0
    if not (status.route_id == route and status.route_complete):
        downloaded = host.download_route(route, route_items(db, actor, route, on))
        uploaded += host.upload_readings(sink, seen=seen)
    return SyncResult(route, downloaded, uploaded, len(sink.stored), sink.duplicates,
                      tuple(sink.problems))
