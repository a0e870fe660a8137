"""SMS in the outbox: delivery receipts recorded by provider id, and the waiting SMS
messages a bulk estimate renders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from ebs_desktop.domain.sms_receipts import DELIVERED, DeliveryReceipt
from ebs_desktop.persistence.models import Account, Customer, OutboxMessage
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class ReceiptTarget:
    """The outbox row a receipt was recorded on, and whose number it went to."""

    outbox_id: int
    account_id: int
    customer_id: int
    recipient: str
    customer_phone: str | None
    phone_status: str


def record_receipt(session: Session, receipt: DeliveryReceipt) -> ReceiptTarget | None:
    """Write ``receipt`` on the SMS row the provider's id names; None when no row has that
    id (a receipt of a message sent by another system, or of a row since deleted).

    A later receipt replaces an earlier one (a network may report "failed" and then
    "delivered" after a retry of its own); the words of a failure go to ``last_error``.
    """
    row = session.execute(
        select(OutboxMessage.id, OutboxMessage.account_id, OutboxMessage.recipient,
               Customer.id.label("customer_id"), Customer.phone, Customer.phone_status)
        .join(Account, Account.id == OutboxMessage.account_id)
        .join(Customer, Customer.id == Account.customer_id)
        .where(OutboxMessage.provider_id == receipt.provider_id,
               OutboxMessage.channel == "sms")
        .order_by(OutboxMessage.id.desc()).limit(1)).first()
    if row is None:
        return None
    values: dict[str, object] = {"receipt_state": receipt.state,
                                 "receipt_at": receipt.done_at or utcnow()}
    if receipt.state != DELIVERED:
        values["last_error"] = (f"delivery receipt: {receipt.state}"
                                + (f" ({receipt.error})" if receipt.error else ""))
    session.execute(update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values))
    return ReceiptTarget(int(row.id), int(row.account_id), int(row.customer_id),
                         row.recipient, row.phone, row.phone_status)


@dataclass(frozen=True)
class WaitingSms:
    outbox_id: int
    kind: str
    language: str
    context: str  # JSON


def waiting_sms(session: Session, kind: str | None = None) -> list[WaitingSms]:
    """The SMS messages not sent yet (pending, or leased by a sender), oldest first."""
    query = (select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.language,
                    OutboxMessage.context)
             .where(OutboxMessage.channel == "sms",
                    OutboxMessage.status.in_(("pending", "sending")))
             .order_by(OutboxMessage.id))
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return [WaitingSms(int(r.id), r.kind, r.language, r.context)
            for r in session.execute(query)]


def receipt_of(session: Session, outbox_id: int) -> tuple[str | None, datetime | None,
                                                          str | None]:
    """(receipt state, receipt time, last error) of one outbox row."""
    row = session.execute(select(OutboxMessage.receipt_state, OutboxMessage.receipt_at,
                                 OutboxMessage.last_error)
                          .where(OutboxMessage.id == outbox_id)).one()
    return row.receipt_state, row.receipt_at, row.last_error
