"""Online payments: what we asked a gateway to collect, and every event it sent us.

``gateway_payments`` is our record of each payment started online (the customer's key,
the account, the bill, the amount), found again by the gateway's payment id. A payment
is *posted* through the same ledger writer as the counter, under the idempotency key
``<gateway>:<payment id>``: the webhook, its redeliveries and the poller all meet there.

``gateway_events`` keeps each callback once, by the gateway's event id, with its raw body
for audit, and what was done with it (``outcome``; ``parked`` ones wait for staff).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import EVENT_OUTCOMES, GATEWAY_STATES


class GatewayPayment(Base):
    __tablename__ = "gateway_payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(16))
    request_key: Mapped[str] = mapped_column(String(64), unique=True)  # ours: one per click
    payment_ref: Mapped[str | None] = mapped_column(String(64))  # the gateway's payment id
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    bill_id: Mapped[int | None] = mapped_column(ForeignKey("bills.id"))
    amount_minor: Mapped[int] = money_column()
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))  # once posted
    failure: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("gateway", "payment_ref"),
        one_of("state", GATEWAY_STATES, "state_known"),
        Index("ix_gateway_payments_waiting", "state", "updated_at"),
    )


class GatewayEvent(Base):
    __tablename__ = "gateway_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    gateway: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(64))  # the gateway's own name for it
    kind: Mapped[str] = mapped_column(String(24))  # ours (devices.payments.EventKind)
    amount_minor: Mapped[int | None] = money_column(nullable=True)
    payment_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    received_at: Mapped[datetime] = created_at()
    body: Mapped[str] = mapped_column(Text)  # the raw body, as received, for audit
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)  # why it was parked or ignored
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    # what the drainer needs besides the columns: {"currency": ..., "metadata": {...}}
    detail: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("gateway", "event_id"),
        one_of("outcome", EVENT_OUTCOMES, "outcome_known"),
        # the drainer's queue: received events only (migration 0019)
        Index("ix_gateway_events_received", "id",
              postgresql_where=text("outcome = 'received'"),
              sqlite_where=text("outcome = 'received'")),
    )


class AutopayMandate(Base):
    """A customer's standing order to charge a saved payment method on each due date.

    Only the gateway's ids are kept (its customer and payment method), never card data.
    One live mandate per account: turning autopay off keeps the row (``disabled_at``)."""

    __tablename__ = "autopay_mandates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    gateway: Mapped[str] = mapped_column(String(16))
    customer_ref: Mapped[str] = mapped_column(String(64))
    method_ref: Mapped[str] = mapped_column(String(64))
    method_label: Mapped[str] = mapped_column(String(64))  # "Visa ending 4242"
    enabled: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = created_at()
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
