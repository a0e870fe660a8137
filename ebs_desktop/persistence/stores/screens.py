"""Queries behind :mod:`ebs_desktop.services.screens`: the choice lists and pages the desktop
screens show (billing cycles, routes, counters, the account list), each a plain read."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Account, Bill, BillingCycle, Counter, Customer, Route


def latest_bill_period(session: Session) -> str | None:
    """The newest period any bill was written for (``YYYY-MM``), None before the first."""
    latest = session.scalar(select(func.max(Bill.period)))
    return None if latest is None else str(latest)


def billing_cycles(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every billing cycle, by code."""
    return [(str(c), str(n)) for c, n in
            session.execute(select(BillingCycle.code, BillingCycle.name)
                            .order_by(BillingCycle.code))]


def routes(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every meter-reading route, by code."""
    return [(str(c), str(n)) for c, n in
            session.execute(select(Route.code, Route.name).order_by(Route.code))]


def counters(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every cash counter, by code."""
    return [(str(c), str(n)) for c, n in
            session.execute(select(Counter.code, Counter.name).order_by(Counter.code))]


def account_numbers(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Account id -> account number for the given ids (unknown ids are left out)."""
    if not ids:
        return {}
    return {int(i): str(n) for i, n in session.execute(
        select(Account.id, Account.account_number).where(Account.id.in_(list(ids))))}


def account_page(session: Session, limit: int, offset: int
                 ) -> list[tuple[str, str, str, str | None, int]]:
    """(number, name, address, phone, balance in minor units) of accounts in id order: one
    page of the full list (the primary key orders it, so any page costs an index walk)."""
    return [(str(r[0]), str(r[1]), str(r[2]), r[3], int(r[4])) for r in session.execute(
        select(Account.account_number, Customer.name, Customer.address, Customer.phone,
               Account.balance_minor)
        .join(Customer, Customer.id == Account.customer_id)
        .order_by(Account.id).limit(limit).offset(offset))]


def first_account_owing(session: Session) -> str | None:
    """The number of the first account (by id) with a balance owed, if any."""
    number = session.scalar(select(Account.account_number).where(Account.balance_minor > 0)
                            .order_by(Account.id).limit(1))
    return None if number is None else str(number)
