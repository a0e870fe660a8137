"""Usage, insights and self-reads: what the portal's Usage page asks of the core.

Customer operations (permission ``self.view`` to look, ``self.read`` to submit a reading),
each scoped to the accounts the principal has proven: another account number is NotFound,
exactly as one that does not exist.

* :func:`usage_overview`: 24 billed periods with last year's, the insights of the latest
  period (percentile among similar accounts, high usage, saving tips from the tariff), the
  projection of the current period from the readings since the last bill, the meters a
  self-read may be given for and the account's recent self-reads.
* :func:`submit_self_read`: one reading, source ``customer``, through the same rules as
  any other reading (:func:`ebs_desktop.services.readings.entry.check_in`). An error
  refuses it with the rule's words; a warning (high, low, zero, rollover) stores it
  ``pending``: held for staff review and not billed until confirmed. The optional photo is
  checked by content (JPEG, PNG or WebP, at most 5 MB) and re-encoded (metadata
  stripped, at most 2000 px). A projection well above the account's usual use queues a
  ``high_usage`` message (once per period).

Staff operations (``reading.confirm``): :func:`held_self_reads` lists the self-reads
waiting for review; the existing ``confirm_reading`` accepts one.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from ebs_desktop.domain.billcalc import AccountFacts as BillFacts
from ebs_desktop.domain.formatting import normalise_locale
from ebs_desktop.domain.insights import (
    HIGH_FACTOR,
    Insights,
    PeriodUse,
    Projection,
    YearOnYear,
    change_percent,
    load_band,
    next_period_end,
    per_month,
    percentile_in,
    period_insights,
    project,
    usual_use,
    year_on_year,
)
from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.bulk import READING_COLUMNS, bulk_insert
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import customer_self as self_store
from ebs_desktop.persistence.stores import outbox as outbox_store
from ebs_desktop.persistence.stores import usage as store
from ebs_desktop.persistence.tx import Connection, Session
from ebs_desktop.services import audit
from ebs_desktop.services import usage_alerts as alerts
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing.inputs import load_batch
from ebs_desktop.services.guard import require
from ebs_desktop.services.readings.entry import check_in
from ebs_desktop.services.readings.validate import Candidate
from ebs_desktop.services.settings import get_settings
from ebs_desktop.services.tariffs import versions_for

USAGE_PERIODS = 24
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 2000
_PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class MeterChoice:
    serial: str
    register: str
    dials: int


@dataclass(frozen=True)
class SelfRead:
    reading_id: int
    meter: str
    register: str
    read_on: date
    value: Decimal
    status: str  # valid / confirmed: accepted; pending: held for review; rejected
    flags: str
    submitted_at: datetime
    has_photo: bool
    account_number: str = ""


@dataclass(frozen=True)
class UsageOverview:
    account_number: str
    currency: str
    rows: tuple[YearOnYear, ...]  # oldest first
    insights: Insights | None  # of the latest billed period
    projection: Projection | None  # of the period running now
    meters: tuple[MeterChoice, ...]
    self_reads: tuple[SelfRead, ...]
    locale: str = "en_US"  # the customer's language (en/fr), in the utility's country


@dataclass(frozen=True)
class SelfReadResult:
    meter: str
    register: str
    read_on: date
    status: str  # accepted, held (for review), or duplicate (already stored)
    consumption: Decimal | None
    warnings: tuple[str, ...]
    high_usage_alert: bool


def _proven(actor: Actor, permission: str, number: str) -> str:
    require(actor, permission)
    if actor.kind != "customer":
        raise PermissionDenied(f"{actor.username} is not a customer")
    number = number.strip()
    if number not in actor.accounts:
        raise NotFound(f"no account {number!r}")
    return number


def _self_read(row: store.HeldRow) -> SelfRead:
    rid, number, serial, register, read_on, value, status, flags, at, photo = row
    return SelfRead(rid, serial, register, read_on, value, status, flags, at, photo, number)


# -- reading the page ------------------------------------------------------------------------

def _projection(s: Session, facts: store.AccountFacts, today: date) -> Projection | None:
    account_id, category, tariff_id, load = facts
    conn: Connection = s.connection()
    found = load_batch(conn, [account_id], today)
    if not found:
        return None
    acc = found[0]
    energy = {code: Decimal(milli) / 1000 for code, milli in acc.energy_milli.items()}
    total = energy.pop("kwh", Decimal(0))
    if energy:
        total = sum(energy.values(), Decimal(0))
    if acc.last_read is None or acc.last_read < acc.start or acc.prev_end is None:
        return None
    end = next_period_end(acc.prev_end)
    if acc.last_read > end:
        end = acc.last_read
    settings = get_settings(s)
    versions = versions_for(s, tariff_id)
    if not versions:
        return None
    return project(versions, acc.start, end, acc.last_read, total, BillFacts(category, load),
                   settings.currency, settings.cash_step_money)


def _points(s: Session, number: str) -> list[PeriodUse]:
    return [PeriodUse(p, kwh, est)
            for p, kwh, est in self_store.usage(s, [number], number, USAGE_PERIODS + 12)]


def usage_overview(db: Database, actor: Actor, account_number: str,
                   today: date | None = None) -> UsageOverview:
    """Everything the Usage page shows of one account (see the module docstring)."""
    number = _proven(actor, "self.view", account_number)
    today = today or date.today()
    with db.read() as s:
        facts = store.account_facts(s, actor.accounts, number)
        if facts is None:
            raise NotFound(f"no account {number!r}")
        account_id, category, tariff_id, load = facts
        settings = get_settings(s)
        points = _points(s, number)
        insights = None
        if points:
            latest = max(p.period for p in points)
            kwh = next(p.kwh for p in points if p.period == latest)
            pct = None
            found = None if load is None else store.benchmark(
                s, latest, category, tariff_id, load_band(load)[0])
            if found is not None:
                count, summary = found
                pct = percentile_in(count, [Decimal(x) for x in json.loads(summary)], kwh)
            versions = versions_for(s, tariff_id)
            spec = versions[-1].spec if versions else None
            insights = period_insights(latest, points, spec, percentile_=pct)
        projection = _projection(s, facts, today)
        meters = tuple(MeterChoice(*m) for m in store.account_meters(s, account_id))
        reads = tuple(_self_read(r) for r in store.customer_reads(
            s, account_id=account_id, statuses=("valid", "confirmed", "pending", "rejected"),
            limit=10))
        own = outbox_store.contact_and_preferences(s, account_id)[3]
    return UsageOverview(number, settings.currency,
                         tuple(year_on_year(points, USAGE_PERIODS)), insights, projection,
                         meters, reads, _locale(own, settings.locale))


def _locale(own: str | None, utility: str) -> str:
    """The customer's language in the utility's country: ``fr`` + ``en_CA`` -> ``fr_CA``."""
    language = (own or utility)[:2].lower()
    if language not in ("en", "fr"):
        language = "en"
    country = utility[3:5] if len(utility) >= 5 else ""
    wanted = f"{language}_{country}" if country else language
    return wanted if normalise_locale(wanted).startswith(language) else language


# -- a self-read -----------------------------------------------------------------------------

def parse_value(text: str) -> Decimal:
    """What a customer types from the dials: ``12345``, ``12 345``, ``12345.6`` or
    ``12345,6``; anything else is refused naming the field."""
    raw = "".join(str(text).split()).replace("\u202f", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not raw or not value.is_finite() or not raw.replace(".", "", 1).isdigit():
        raise ValidationError(f"{text!r} is not a meter reading: type the figures on the "
                              "meter's display, like 12345", location="value")
    return value


def reencode_photo(data: bytes) -> tuple[bytes, str]:
    """A meter photo checked by its content and re-encoded without metadata."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError(f"{len(data) // 1024} KB is more than the 5 MB allowed",
                              location="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            probe.verify()
        if kind not in _PHOTO_TYPES:
            raise ValidationError(f"a {kind or 'file of unknown type'} image is not accepted; "
                                  "send a JPEG, PNG or WebP photo", location="photo")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
            out = io.BytesIO()
            if kind == "PNG":
                image.save(out, format="PNG", optimize=True)
                return out.getvalue(), "image/png"
            image.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue(), "image/jpeg"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise ValidationError("the file is not a JPEG, PNG or WebP image",
                              location="photo") from exc


def _register_for(meters: list[store.MeterRow], meter: str, register: str | None,
                  number: str) -> tuple[str, str]:
    wanted = meter.strip().upper()
    mine = [m for m in meters if m[0].upper() == wanted]
    if not wanted or not mine:
        on_file = ", ".join(sorted({m[0] for m in meters})) or "none"
        raise ValidationError(f"{meter.strip()!r} is not a meter of account {number} (its "
                              f"meters: {on_file})", location="meter")
    codes = [m[1] for m in mine]
    if register:
        if register not in codes:
            raise ValidationError(f"meter {mine[0][0]} has no register {register!r} (it has "
                                  f"{', '.join(codes)})", location="register")
        return mine[0][0], register
    if len(codes) == 1:
        return mine[0][0], codes[0]
    if "kwh" in codes:
        return mine[0][0], "kwh"
    raise ValidationError(f"meter {mine[0][0]} shows several registers "
                          f"({', '.join(codes)}); choose one", location="register")


def submit_self_read(db: Database, actor: Actor, account_number: str, meter: str,
                     value: str, photo: bytes | None = None, *, register: str | None = None,
                     today: date | None = None) -> SelfReadResult:
    """Store a customer's reading (see the module docstring); one transaction."""
    number = _proven(actor, "self.read", account_number)
    today = today or date.today()
    reading_value = parse_value(value)
    image, image_type = reencode_photo(photo) if photo else (None, None)
    with db.write_connection() as conn:
        with Session(bind=conn) as s:
            account_id = store.account_id_of(s, number)
            if account_id is None:
                raise NotFound(f"no account {number!r}")
            serial, code = _register_for(store.account_meters(s, account_id), meter,
                                         register, number)
        checked = check_in(conn, Candidate(1, serial, code, today, reading_value),
                           source="customer", today=today)
        if checked.errors:
            raise ValidationError("; ".join(p.sentence() for p in checked.errors),
                                  location="value")
        warnings = tuple(p.sentence() for p in checked.problems if p.severity == "warning")
        if not checked.rows:  # the same figure already stored today
            return SelfReadResult(serial, code, today, "duplicate", None, warnings, False)
        bulk_insert(conn, "readings", READING_COLUMNS, checked.rows)
        row = checked.rows[0]
        status = str(row[5])
        with Session(bind=conn) as s:
            rid = store.reading_id(s, serial, code, today)
            assert rid is not None
            store.add_customer_read(s, reading_id=rid, account_id=account_id,
                                    login_id=actor.login_id, photo=image,
                                    photo_type=image_type, at=datetime.now(UTC))
            alert = status == "valid" and _alert_if_high(s, number, account_id, today)
            audit.record(s, actor, "reading.self", "register", f"{serial}/{code}",
                         after={"read_on": today.isoformat(), "value": str(reading_value),
                                "status": status, "photo": image is not None})
            s.flush()
    milli = row[3]
    consumption = None if milli is None else Decimal(int(str(milli))) / 1000
    return SelfReadResult(serial, code, today, "held" if status == "pending" else "accepted",
                          consumption, warnings, alert)


def _alert_if_high(s: Session, number: str, account_id: int, today: date) -> bool:
    """Queue a high-usage message when the projected period runs well above usual."""
    facts = store.account_facts(s, {number}, number)
    assert facts is not None
    projection = _projection(s, facts, today)
    if projection is None:
        return False
    history = [p.kwh for p in _points(s, number) if not p.estimated]
    usual = usual_use(history)
    days = (projection.period_end - projection.period_start).days + 1
    month = per_month(projection.kwh, days) if not 28 <= days <= 31 else projection.kwh
    if usual is None or usual <= 0 or month <= usual * HIGH_FACTOR:
        return False
    return alerts.high_usage_message(s, account_id, projection.period_start, month,
                                     usual) > 0


# -- staff -----------------------------------------------------------------------------------

def held_self_reads(db: Database, actor: Actor, account_number: str | None = None,
                    limit: int = 200) -> list[SelfRead]:
    """Customer self-reads held for review (``pending``), newest first."""
    require(actor, "reading.confirm")
    with db.read() as s:
        account_id = None
        if account_number:
            account_id = store.account_id_of(s, account_number.strip())
            if account_id is None:
                raise NotFound(f"no account {account_number!r}")
        return [_self_read(r) for r in store.customer_reads(s, account_id=account_id,
                                                            limit=limit)]


def self_read_photo(db: Database, actor: Actor, reading_id: int) -> tuple[bytes, str]:
    """The photo sent with a self-read (bytes, content type), for the reviewer."""
    require(actor, "reading.confirm")
    with db.read() as s:
        found = store.customer_read_photo(s, reading_id)
    if found is None:
        raise NotFound(f"no photo for reading {reading_id}")
    return found


__all__ = ["MeterChoice", "SelfRead", "SelfReadResult", "UsageOverview", "change_percent",
           "held_self_reads", "parse_value", "reencode_photo",
           "self_read_photo", "submit_self_read", "usage_overview"]
