"""Which bills of a period go by post (``ebs bill mail-export``): the printable bills of
accounts that are not paperless, with their route, walk order and mailing address, in the
order a print shop fills the bags (route, then walk order)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, select

from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    Bill,
    Customer,
    Premise,
    Route,
)
from ebs_desktop.persistence.stores.bill_documents import _printable
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class PostalBill:
    bill_id: int
    route_code: str
    route_name: str
    walk_order: int
    account_number: str
    customer_name: str
    customer_address: str
    premise_address: str


def postal_bills(session: Session, period: str) -> list[PostalBill]:
    printable = _printable(period, None).subquery()
    rows = session.execute(
        select(Bill.id, Route.code, Route.name, Account.walk_order, Account.account_number,
               Customer.name, Customer.address, Premise.address)
        .join(printable, printable.c.id == Bill.id)
        .join(Account, Account.id == Bill.account_id)
        .join(Route, Route.id == Account.route_id)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(Premise, Premise.account_id == Account.id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(func.coalesce(AccountPreferences.paperless, false()).is_(false()))
        .order_by(Route.code, Account.walk_order, Account.account_number))
    return [PostalBill(int(r[0]), r[1], r[2], int(r[3]), r[4], r[5], r[6] or "", r[7] or "")
            for r in rows]


def paperless_count(session: Session, period: str) -> int:
    """Printable bills of the period whose accounts are paperless (left out of the post)."""
    printable = _printable(period, None).subquery()
    return int(session.scalar(
        select(func.count()).select_from(Bill)
        .join(printable, printable.c.id == Bill.id)
        .join(AccountPreferences, AccountPreferences.account_id == Bill.account_id)
        .where(AccountPreferences.paperless.is_(True))) or 0)
