"""Message templates an administrator replaced (``notification_templates``), and the facts
of a real account a template preview is filled with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from ebs_desktop.persistence.models import (
    Account,
    AccountPreferences,
    Bill,
    Customer,
    NotificationTemplate,
    Payment,
    Receipt,
)
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class StoredTemplate:
    language: str
    name: str
    source: str
    updated_by: str
    updated_at: datetime


def overrides(session: Session, language: str) -> dict[str, str]:
    """The replaced templates of ``language``: name -> source."""
    return {str(name): str(source) for name, source in session.execute(
        select(NotificationTemplate.name, NotificationTemplate.source)
        .where(NotificationTemplate.language == language))}


def all_overrides(session: Session) -> list[StoredTemplate]:
    return [StoredTemplate(r.language, r.name, r.source, r.updated_by, r.updated_at)
            for r in session.scalars(select(NotificationTemplate).order_by(
                NotificationTemplate.language, NotificationTemplate.name))]


def stored(session: Session, language: str, name: str) -> StoredTemplate | None:
    row = session.get(NotificationTemplate, (language, name))
    return None if row is None else StoredTemplate(row.language, row.name, row.source,
                                                   row.updated_by, row.updated_at)


def save(session: Session, language: str, name: str, source: str, by: str) -> None:
    row = session.get(NotificationTemplate, (language, name), with_for_update=True)
    if row is None:
        session.add(NotificationTemplate(language=language, name=name, source=source,
                                         updated_by=by, updated_at=utcnow()))
    else:
        row.source, row.updated_by, row.updated_at = source, by, utcnow()
    session.flush()


def remove(session: Session, language: str, name: str) -> bool:
    done = session.execute(delete(NotificationTemplate).where(
        NotificationTemplate.language == language, NotificationTemplate.name == name))
    return bool(getattr(done, "rowcount", 0))


@dataclass(frozen=True)
class AccountFacts:
    """What a preview fills a template with, read from one real account."""

    account_id: int
    account_number: str
    customer_name: str
    email: str | None
    phone: str | None
    language: str | None
    balance_minor: int
    bill_number: str | None
    bill_total_minor: int | None
    bill_due: date | None
    bill_from: date | None
    bill_to: date | None
    payment_minor: int | None
    paid_at: datetime | None
    receipt_number: str | None


def account_facts(session: Session, account_number: str) -> AccountFacts | None:
    head = session.execute(
        select(Account.id, Account.account_number, Account.balance_minor, Customer.name,
               Customer.email, Customer.phone, AccountPreferences.language)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(Account.account_number == account_number)).first()
    if head is None:
        return None
    bill = session.execute(
        select(Bill.bill_number, Bill.total_minor, Bill.due_date, Bill.period_start,
               Bill.period_end)
        .where(Bill.account_id == head.id)
        .order_by(Bill.period.desc(), Bill.revision.desc()).limit(1)).first()
    payment = session.execute(
        select(Payment.amount_minor, Payment.received_at, Receipt.number)
        .outerjoin(Receipt, Receipt.payment_id == Payment.id)
        .where(Payment.account_id == head.id)
        .order_by(Payment.id.desc()).limit(1)).first()
    return AccountFacts(
        account_id=head.id, account_number=head.account_number, customer_name=head.name,
        email=head.email, phone=head.phone, language=head.language,
        balance_minor=int(head.balance_minor),
        bill_number=bill.bill_number if bill else None,
        bill_total_minor=int(bill.total_minor) if bill else None,
        bill_due=bill.due_date if bill else None,
        bill_from=bill.period_start if bill else None,
        bill_to=bill.period_end if bill else None,
        payment_minor=int(payment.amount_minor) if payment else None,
        paid_at=payment.received_at if payment else None,
        receipt_number=payment.number if payment else None)
