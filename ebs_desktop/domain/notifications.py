"""What the product tells customers, and how: notification kinds, channels, states.

Pure data shared by the outbox (what is waiting), the templates (what it says), the
senders (how it leaves) and the preferences (who wants what). Qt-free, SQL-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Kind(StrEnum):
    """Why a customer is told something. The value is the template's name."""

    BILL_ISSUED = "bill_issued"
    PAYMENT_POSTED = "payment_posted"
    PAYMENT_REVERSED = "payment_reversed"
    REMINDER = "reminder"  # before the due date
    OVERDUE_NOTICE = "overdue_notice"
    FINAL_NOTICE = "final_notice"  # names the disconnection date
    DISCONNECTION_NOTICE = "disconnection_notice"
    RECONNECTION = "reconnection"
    ACCOUNT_PROBLEM = "account_problem"  # e.g. a bounced cheque


# Notices the law requires: a customer may choose the channel, never opt out of them.
LEGALLY_REQUIRED: frozenset[Kind] = frozenset({
    Kind.FINAL_NOTICE, Kind.DISCONNECTION_NOTICE, Kind.RECONNECTION,
})

# A message in the outbox: waiting, leased by a sender, delivered, or given up on.
OUTBOX_STATES = ("pending", "sending", "sent", "failed", "cancelled")


@dataclass(frozen=True)
class RenderedMessage:
    """A notification as the customer will read it. ``html`` is empty for SMS."""

    subject: str
    text: str
    html: str = ""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "application/pdf"
    data: bytes
