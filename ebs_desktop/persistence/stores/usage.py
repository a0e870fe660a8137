"""Queries behind usage insights, high-usage alerts and customer self-reads.

* :func:`period_consumption` streams a period's live bills (latest revision, no credit
  note) with what groups them (category, tariff, sanctioned load), once per billing run;
  :func:`replace_benchmarks` keeps the summaries, :func:`benchmark` reads one group's.
  (Counting the group in the database on every page view cost 0.4-0.5 s on the
  100k-customer demo on SQLite, so the page reads the run's summary instead.)
* :func:`account_meters` lists the meters on an account's premise now, with their energy
  registers, for the self-read form; :func:`add_customer_read` records who submitted a
  self-read; :func:`customer_reads` lists them (by default those held for staff).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, and_, delete, func, insert, select, text, type_coerce
from sqlalchemy.orm import Session, aliased

from ebs_desktop.persistence.models import (
    Account,
    Bill,
    CreditNote,
    CustomerRead,
    Meter,
    MeterInstallation,
    MeterRegister,
    Premise,
    Reading,
    UsageBenchmark,
)

# account id, category, tariff id, sanctioned load (kW) or None
AccountFacts = tuple[int, str, int, Decimal | None]
# meter serial, register code, dials
MeterRow = tuple[str, str, int]


def account_facts(s: Session, numbers: Collection[str], number: str) -> AccountFacts | None:
    """The facts an account is compared by, if ``number`` is among ``numbers``."""
    if number not in numbers:
        return None
    row = s.execute(
        select(Account.id, Account.category, Account.tariff_id, Premise.sanctioned_load_kw)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .where(Account.account_number == number)).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def _live(bill: Any) -> Any:
    """The bill is its period's latest revision and not cancelled by a credit note."""
    newer = aliased(Bill)
    return and_(
        ~select(CreditNote.id).where(CreditNote.bill_id == bill.id).exists(),
        ~select(newer.id).where(newer.account_id == bill.account_id,
                                newer.period == bill.period,
                                newer.revision > bill.revision).exists())


def account_meters(s: Session, account_id: int) -> list[MeterRow]:
    """(serial, energy register code, dials) of the meters installed on the account now."""
    rows = s.execute(
        select(Meter.serial, MeterRegister.code, Meter.dials)
        .join(MeterRegister, MeterRegister.meter_id == Meter.id)
        .join(MeterInstallation, MeterInstallation.meter_id == Meter.id)
        .join(Premise, Premise.id == MeterInstallation.premise_id)
        .where(Premise.account_id == account_id, MeterInstallation.removed_on.is_(None),
               MeterRegister.kind == "energy")
        .order_by(Meter.serial, MeterRegister.code))
    return [(r[0], r[1], r[2]) for r in rows]


def reading_id(s: Session, serial: str, register: str, read_on: date) -> int | None:
    """The current reading of a register on a day (what a self-read just stored)."""
    return s.execute(
        select(Reading.id).join(MeterRegister, MeterRegister.id == Reading.register_id)
        .join(Meter, Meter.id == MeterRegister.meter_id)
        .where(Meter.serial == serial, MeterRegister.code == register,
               Reading.read_on == read_on, Reading.status != "superseded")).scalar()


def add_customer_read(s: Session, *, reading_id: int, account_id: int, login_id: int | None,
                      photo: bytes | None, photo_type: str | None, at: datetime) -> int:
    return int(s.execute(insert(CustomerRead).values(
        reading_id=reading_id, account_id=account_id, login_id=login_id, photo=photo,
        photo_type=photo_type, submitted_at=at).returning(CustomerRead.id)).scalar_one())


# reading id, account number, meter serial, register, read on, value, status, flags,
# submitted at, has a photo
HeldRow = tuple[int, str, str, str, date, Decimal, str, str, datetime, bool]


def customer_reads(s: Session, *, account_id: int | None = None,
                   statuses: Sequence[str] = ("pending",), limit: int = 200
                   ) -> list[HeldRow]:
    """Self-reads, newest first: by default those held for review (``pending``)."""
    query = (
        select(Reading.id, Account.account_number, Meter.serial, MeterRegister.code,
               Reading.read_on, Reading.value, Reading.status, Reading.flags,
               CustomerRead.submitted_at, CustomerRead.photo.is_not(None))
        .select_from(CustomerRead)
        .join(Reading, Reading.id == CustomerRead.reading_id)
        .join(Account, Account.id == CustomerRead.account_id)
        .join(MeterRegister, MeterRegister.id == Reading.register_id)
        .join(Meter, Meter.id == MeterRegister.meter_id)
        .where(Reading.status.in_(list(statuses)))
        .order_by(CustomerRead.submitted_at.desc(), Reading.id.desc()).limit(limit))
    if account_id is not None:
        query = query.where(CustomerRead.account_id == account_id)
    return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]))
            for r in s.execute(query)]


def customer_read_photo(s: Session, reading_id: int) -> tuple[bytes, str] | None:
    row = s.execute(select(CustomerRead.photo, CustomerRead.photo_type)
                    .where(CustomerRead.reading_id == reading_id)).first()
    if row is None or row[0] is None:
        return None
    return bytes(row[0]), str(row[1] or "image/jpeg")


def account_id_of(s: Session, number: str) -> int | None:
    found: int | None = s.execute(
        select(Account.id).where(Account.account_number == number)).scalar()
    return found


# bill id, account id, period, period start, kWh
BillUse = tuple[int, int, str, date, Decimal]


def high_use_candidates(s: Session, bill_ids: Sequence[int], since: str, factor: Decimal
                        ) -> list[BillUse]:
    """The bills among ``bill_ids`` (not estimated) whose kWh pass ``factor`` times the
    *lowest* earlier actual period of their account since ``since``.

    A necessary condition for passing ``factor`` times the median, checked in the database
    so a billing batch fetches the history of these few accounts only, not of all."""
    earlier = aliased(Bill)
    lowest = (select(func.min(earlier.consumption_kwh))
              .where(earlier.account_id == Bill.account_id, earlier.period < Bill.period,
                     earlier.period >= since, earlier.estimated.is_(False))
              .scalar_subquery())
    rows = s.execute(
        select(Bill.id, Bill.account_id, Bill.period, Bill.period_start, Bill.consumption_kwh,
               lowest)
        .where(Bill.id.in_(list(bill_ids)), Bill.estimated.is_(False),
               Bill.consumption_kwh > 0))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows
            if r[5] is not None and r[4] > r[5] * factor]


def first_period(s: Session, bill_ids: Sequence[int]) -> str | None:
    found = s.execute(select(func.min(Bill.period)).where(Bill.id.in_(list(bill_ids)))).scalar()
    return None if found is None else str(found)


def period_consumption(s: Session, period: str) -> Sequence[tuple[str, int, int | None, int]]:
    """(category, tariff id, sanctioned load, kWh) of every live bill of ``period``, the
    quantities as stored (integer thousandths: 100,000 Decimals cost more than the query)."""
    load = type_coerce(Premise.sanctioned_load_kw, BigInteger)
    kwh = type_coerce(Bill.consumption_kwh, BigInteger)
    return [(r[0], r[1], r[2], r[3]) for r in s.execute(
        select(Account.category, Account.tariff_id, load, kwh)
        .select_from(Bill)
        .join(Account, Account.id == Bill.account_id)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .where(Bill.period == period, _live(Bill)))]


def replace_benchmarks(s: Session, period: str,
                       groups: Sequence[tuple[str, int, Decimal, int, str]],
                       at: datetime) -> None:
    """The period's summaries: (category, tariff id, band low, accounts, points JSON).

    Two runs of one period finishing at once (racing runs, workers on several machines)
    replace them one after the other: on PostgreSQL a lock per period, held to commit,
    makes the second wait and then delete what the first wrote (SQLite writes one at a
    time anyway)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                  {"key": f"usage_benchmarks:{period}"})
    s.execute(delete(UsageBenchmark).where(UsageBenchmark.period == period))
    if groups:
        s.execute(insert(UsageBenchmark), [
            {"period": period, "category": c, "tariff_id": t, "band_low": low,
             "accounts": n, "points": points, "computed_at": at}
            for c, t, low, n, points in groups])


def benchmark(s: Session, period: str, category: str, tariff_id: int,
              band_low: Decimal) -> tuple[int, str] | None:
    row = s.execute(select(UsageBenchmark.accounts, UsageBenchmark.points)
                    .where(UsageBenchmark.period == period,
                           UsageBenchmark.category == category,
                           UsageBenchmark.tariff_id == tariff_id,
                           UsageBenchmark.band_low == band_low)).first()
    return None if row is None else (int(row[0]), str(row[1]))
