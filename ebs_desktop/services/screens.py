"""What the desktop screens ask of the core that no other area offered: the utility
settings snapshot of a sign-in, the choice lists of the screens (billing cycles, routes,
counters), a page of the full account list, the counter's state, the receipt queue, a
test print and the bill calculator.

Each function checks its permission first (deny by default, reads included) and returns
frozen records; the queries live in :mod:`ebs_desktop.persistence.stores.screens`. Before
these existed the screens queried the database themselves, some on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ebs_desktop.devices.printers import print_blocks
from ebs_desktop.devices.receipts.layout import columns_for, layout_receipt
from ebs_desktop.devices.receipts.samples import payment_receipt
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import screens as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.directory import default_counter
from ebs_desktop.services.counter.printing import printer_for
from ebs_desktop.services.counter.records import ShiftInfo
from ebs_desktop.services.counter.shifts import current_shift
from ebs_desktop.services.guard import require, require_any
from ebs_desktop.services.settings import currency as utility_currency

#: The route list: who keys or syncs readings, and who may look at accounts.
ROUTES_DOOR = ("reading.enter", "handheld.sync", "account.view")
#: The counter's state (which counter, which shift): who works or reports on shifts.
COUNTER_DOOR = ("shift.open", "report.shift")


@dataclass(frozen=True)
class Choice:
    """One entry of a choice list (a billing cycle, a route, a counter)."""

    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


@dataclass(frozen=True)
class BillingChoices:
    """What the billing run screen offers: the newest billed period and the cycles."""

    latest_period: str | None
    cycles: tuple[Choice, ...]


@dataclass(frozen=True)
class AccountRow:
    """One line of the full account list."""

    account_number: str
    name: str
    address: str
    phone: str | None
    balance: Money


@dataclass(frozen=True)
class CounterState:
    """The counter a PC serves (its own if it exists, else the first active one) and the
    shift open at it."""

    code: str | None
    shift: ShiftInfo | None


def billing_choices(db: Database, actor: Actor) -> BillingChoices:
    require(actor, "bill.calc")
    with db.read() as session:
        return BillingChoices(store.latest_bill_period(session),
                              tuple(Choice(c, n) for c, n in store.billing_cycles(session)))


def account_numbers(db: Database, actor: Actor, ids: Collection[int]) -> dict[int, str]:
    """Account id -> number, for showing what a billing run names by id."""
    require(actor, "account.view")
    with db.read() as session:
        return store.account_numbers(session, ids)


def route_choices(db: Database, actor: Actor) -> list[Choice]:
    require_any(actor, ROUTES_DOOR)
    with db.read() as session:
        return [Choice(c, n) for c, n in store.routes(session)]


def counter_choices(db: Database, actor: Actor) -> list[Choice]:
    require(actor, "counter.manage")
    with db.read() as session:
        return [Choice(c, n) for c, n in store.counters(session)]


def account_rows(db: Database, actor: Actor, limit: int, offset: int) -> list[AccountRow]:
    """One page of every account, in the order they were opened."""
    require(actor, "account.view")
    with db.read() as session:
        currency = utility_currency(session)
        return [AccountRow(number, name, address, phone, Money(balance, currency))
                for number, name, address, phone, balance in
                store.account_page(session, limit, offset)]


def first_account_owing(db: Database, actor: Actor) -> str | None:
    require(actor, "account.view")
    with db.read() as session:
        return store.first_account_owing(session)


def counter_state(db: Database, actor: Actor, preferred: str = "") -> CounterState:
    """The counter ``preferred`` names if it exists, else the first active one, and the
    shift open at it."""
    require_any(actor, COUNTER_DOOR)
    code = default_counter(db, preferred)
    return CounterState(code, current_shift(db, code) if code else None)



def test_print(db: Database, actor: Actor, printer_id: int) -> int:
    """The sample receipt on a configured printer; returns the bytes sent."""
    require(actor, "counter.manage")
    with db.read() as session:
        printer, options = printer_for(session, printer_id)
    blocks = layout_receipt(payment_receipt(), columns_for(options.paper_mm))
    return len(print_blocks(printer, blocks, options))
