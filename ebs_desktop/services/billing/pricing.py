"""Pricing one account's bill for a period, from the inputs of its batch.

Turns an :class:`~ebs_desktop.services.billing.inputs.AccountInput` into a
:class:`PricedBill`: consumption per register from the readings (or an estimate from the
average daily use when no valid reading exists), exceptions for a person to look at, and
the bill from the pure calculation, already reduced to the plain values the writer stores
(ints and strings). Keeping the result plain lets a helper process price batches while
the main process writes, and keeps the writer free of formatting work. :func:`price_batch`
loads a batch's inputs (``inputs``) and prices each account: what the run's process and
its helper process both call (``pipeline``).

Line rows are cached per line object: the calculation shares one ``BillLine`` between all
bills for lines that do not depend on consumption (fixed charges, slabs used in full), so
their description and decimal texts are built once per run, not once per bill.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ebs_desktop.domain.billcalc import (
    AccountFacts,
    AmountOverLimit,
    BillLine,
    Usage,
    calculate_bill,
)
from ebs_desktop.domain.money import Money, currency_exponent
from ebs_desktop.domain.tariffs.model import TariffVersion
from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.persistence.tx import Connection, Session
from ebs_desktop.persistence.types import quantity_to_milli
from ebs_desktop.services.billing import inputs
from ebs_desktop.services.billing.inputs import AccountInput, RegisterState
from ebs_desktop.services.settings import UtilitySettings
from ebs_desktop.services.tariffs import version_ids, versions_for

ZERO = Decimal(0)
_MILLI = Decimal("0.001")
_THOUSAND = Decimal(1000)

# (code, description, quantity text, rate text, amount minor, tariff_versions.id)
LineRow = tuple[str, str, str, str, int, int | None]
# (register id, read on as ISO text, value milli, consumption milli)
EstimatedRow = tuple[int, str, int, int]


class PricedBill(NamedTuple):
    """One account's result: a bill to write (``total_minor`` set) or only exceptions.
    Plain values only (ints, text, dates as ISO text, tuples): batches of them cross from
    the helper process through ``marshal``, several times faster than pickling, and the
    dates are the text the writer stores anyway."""

    account_id: int
    tariff_id: int
    start: str
    end: str
    kwh_milli: int
    demand_milli: int | None
    estimated: bool
    total_minor: int | None
    after_due_minor: int
    lines: tuple[LineRow, ...]
    estimated_readings: tuple[EstimatedRow, ...]
    exceptions: tuple[tuple[str, str], ...]


class PricingContext:
    """Per-run state: every tariff's versions (loaded and compiled once: the calculation
    caches its compiled plans by the identity of the version objects), version row ids,
    settings, and the line-row cache."""

    def __init__(self, session: Session, settings: UtilitySettings) -> None:
        self.currency = settings.currency
        self.cash_step = settings.cash_step_money
        self.high = settings.decimal("high_consumption_factor")
        self.low = settings.decimal("low_consumption_factor")
        self.versions: dict[int, tuple[TariffVersion, ...]] = {}
        self.version_row_ids: dict[str, int] = {}
        for tariff_id in store.tariff_ids(session):
            versions = versions_for(session, tariff_id)
            self.versions[tariff_id] = versions
            by_number = version_ids(session, tariff_id)
            for v in versions:
                if v.version in by_number:
                    self.version_row_ids[v.ref] = by_number[v.version]
        self._shared: dict[int, tuple[BillLine, LineRow]] = {}
        self._rates: dict[int, tuple[Decimal, str]] = {}
        self.facts: dict[tuple[str, Decimal | None, bool], AccountFacts] = {}
        self._exp = currency_exponent(self.currency)

    def line_row(self, line: BillLine) -> LineRow:
        """The stored form of a line; its description is exactly ``line.description``,
        built here from the quantity text (needed anyway) without formatting it twice."""
        hit = self._shared.get(id(line))
        if hit is not None and hit[0] is line:
            return hit[1]
        ref = line.version_ref
        quantity = _text(line.quantity)
        rate = line.rate
        known = self._rates.get(id(rate))
        if known is not None and known[0] is rate:
            rate_text = known[1]
        else:
            rate_text = _text(rate)
            if line.mid:  # a rate held by the compiled tariff: the same object every bill
                self._rates[id(rate)] = (rate, rate_text)
        if line.text:
            description = line.text
        elif line.mid:
            description = (f"{line.head}{quantity}{line.mid}"
                           f"{_money_text(line.amount_minor, self._exp)}")
        else:
            description = line.description
        row = (line.code, description, quantity, rate_text, line.amount_minor,
               self.version_row_ids.get(ref) if ref else None)
        if line.text:  # pre-built text: a line shared by many bills
            self._shared[id(line)] = (line, row)
        return row


def _money_text(minor: int, exp: int) -> str:
    """Minor units as the calculation writes them (``-5`` cents -> ``-0.05``)."""
    if exp == 0:
        return str(minor)
    whole, frac = divmod(abs(minor), 10**exp)
    return f"{'-' if minor < 0 else ''}{whole}.{frac:0{exp}d}"


def _text(value: Decimal) -> str:
    text = str(value)
    return f"{value:f}" if "E" in text else text


def _no_bill(acc: AccountInput, start: date, end: date, kwh: Decimal, demand: Decimal | None,
             estimated: bool, exceptions: list[tuple[str, str]]) -> PricedBill:
    return PricedBill(acc.account_id, acc.tariff_id, start.isoformat(), end.isoformat(),
                      quantity_to_milli(kwh),
                      None if demand is None else quantity_to_milli(demand), estimated, None,
                      0, (), (), tuple(exceptions))


def price_account(ctx: PricingContext, acc: AccountInput, period_end: date, issue: date,
                  states: dict[int, list[RegisterState]]) -> PricedBill:
    exceptions: list[tuple[str, str]] = []
    energy = {code: Decimal(milli) / _THOUSAND for code, milli in acc.energy_milli.items()}
    demand = None if acc.demand_milli is None else Decimal(acc.demand_milli) / _THOUSAND
    last_read = acc.last_read
    estimated_rows: list[EstimatedRow] = []
    estimated = last_read is None
    start = acc.start
    end = period_end if last_read is None else last_read
    if estimated:
        regs = [s for s in states.get(acc.account_id, ()) if s.kind == "energy"]
        if not regs or any(s.daily is None for s in regs):
            exceptions.append(("no_reading", "no reading and no history to estimate from"))
            return _no_bill(acc, start, end, ZERO, None, True, exceptions)
        for s in regs:
            days = (end - s.last_read).days
            kwh = (s.daily * days).quantize(_MILLI) if s.daily else ZERO
            energy[s.code] = kwh
            estimated_rows.append((s.register_id, end.isoformat(),
                                   quantity_to_milli(s.last_value + kwh),
                                   quantity_to_milli(kwh)))
        exceptions.append(("estimated", "no valid reading: estimated from history"))
    if len(acc.energy_registers) > len(energy):
        exceptions.append(("meter_changed", "readings of more than one meter in the period"))
    # A TOU meter's own total can differ from the sum of its registers by the display's
    # last digit; the registers are what is priced, so they make the total.
    total_kwh = energy.pop("kwh", ZERO)
    if energy:
        total_kwh = sum(energy.values(), ZERO)
    if end < start:
        exceptions.append(("no_reading", f"latest reading {end} is before the period start"))
        return _no_bill(acc, start, end, ZERO, demand, estimated, exceptions)
    if total_kwh < 0:
        exceptions.append(("negative", f"consumption {total_kwh} kWh is negative"))
        return _no_bill(acc, start, end, total_kwh, demand, estimated, exceptions)
    if total_kwh == 0:
        exceptions.append(("zero", "zero consumption"))
    if acc.history and not estimated and total_kwh > 0:  # zero is its own exception
        hist = acc.history_daily()
        if hist:
            daily = total_kwh / ((end - start).days + 1)
            if daily > hist * ctx.high:
                exceptions.append(("high", f"{daily:.2f} kWh/day against {hist:.2f} usual"))
            elif daily < hist * ctx.low:
                exceptions.append(("low", f"{daily:.2f} kWh/day against {hist:.2f} usual"))
    overdue = ZERO
    days_past_due = 0
    balance = acc.balance_minor
    if acc.prev_due is not None and balance > 0 and issue > acc.prev_due:
        overdue = Money(balance, ctx.currency).amount
        days_past_due = (issue - acc.prev_due).days
    prompt = acc.prev_end is not None and balance <= 0
    if days_past_due:
        facts = AccountFacts(acc.category, acc.sanctioned_kw, prompt, overdue, days_past_due)
    else:  # most accounts: one shared (frozen) facts object per kind of account
        key = (acc.category, acc.sanctioned_kw, prompt)
        facts = ctx.facts.get(key) or ctx.facts.setdefault(
            key, AccountFacts(acc.category, acc.sanctioned_kw, prompt))
    versions = ctx.versions.get(acc.tariff_id)
    try:
        if versions is None:
            raise EbsError(f"no tariff with id {acc.tariff_id}")
        usage = Usage(total_kwh, energy, demand, acc.demand_by_register()) \
            if acc.demand_registers_milli else Usage(total_kwh, energy, demand)
        calc = calculate_bill(versions, start, end, usage, facts, ctx.currency, ctx.cash_step)
    except AmountOverLimit as exc:  # absurd consumption: a person looks, nothing is written
        exceptions.append(("over_limit", str(exc)))
        return _no_bill(acc, start, end, total_kwh, demand, estimated, exceptions)
    except EbsError as exc:
        exceptions.append(("no_tariff", str(exc)))
        return _no_bill(acc, start, end, total_kwh, demand, estimated, exceptions)
    line_row = ctx.line_row
    return PricedBill(acc.account_id, acc.tariff_id, start.isoformat(), end.isoformat(),
                      quantity_to_milli(total_kwh),
                      None if demand is None else quantity_to_milli(demand), estimated,
                      calc.total.minor, calc.after_due.minor,
                      tuple([line_row(line) for line in calc.lines]), tuple(estimated_rows),
                      tuple(exceptions))


def price_batch(conn: Connection, ctx: PricingContext, batch: list[int], period_end: date,
                issue: date) -> list[PricedBill]:
    """Load the inputs of ``batch`` and price every account (no writes)."""
    accs = inputs.load_batch(conn, batch, period_end)
    missing = [a.account_id for a in accs if not a.energy_registers]
    states = inputs.load_register_states(conn, missing, period_end)
    return [price_account(ctx, a, period_end, issue, states) for a in accs]
