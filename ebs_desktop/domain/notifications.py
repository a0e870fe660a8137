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
    SUPPORT_REPLY = "support_reply"  # staff answered a service request (issue 21)


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


@dataclass(frozen=True)
class Contact:
    """How a customer can be reached, as the account holds it now."""

    email: str | None = None
    email_ok: bool = True
    phone: str | None = None  # E.164
    phone_ok: bool = True

    def address(self, channel: Channel) -> str | None:
        """The address on ``channel`` if there is one that still reaches the customer."""
        if channel is Channel.EMAIL:
            return self.email if self.email and self.email_ok else None
        return self.phone if self.phone and self.phone_ok else None


# Without a choice of the customer's: everything by email; by SMS too what is urgent (money
# due, money reversed, the collection path); a customer without email gets the bill notice
# by SMS (a short text with the amount and due date).
DEFAULT_CHANNELS: dict[Kind, tuple[Channel, ...]] = {
    Kind.BILL_ISSUED: (Channel.EMAIL,),
    Kind.PAYMENT_POSTED: (Channel.EMAIL,),
    Kind.PAYMENT_REVERSED: (Channel.EMAIL, Channel.SMS),
    Kind.REMINDER: (Channel.EMAIL, Channel.SMS),
    Kind.OVERDUE_NOTICE: (Channel.EMAIL, Channel.SMS),
    Kind.FINAL_NOTICE: (Channel.EMAIL, Channel.SMS),
    Kind.DISCONNECTION_NOTICE: (Channel.EMAIL, Channel.SMS),
    Kind.RECONNECTION: (Channel.EMAIL, Channel.SMS),
    Kind.ACCOUNT_PROBLEM: (Channel.EMAIL, Channel.SMS),
    Kind.SUPPORT_REPLY: (Channel.EMAIL,),
}
_SMS_WHEN_NO_EMAIL = frozenset({Kind.BILL_ISSUED, Kind.PAYMENT_POSTED, Kind.SUPPORT_REPLY})


def choose_channels(kind: Kind, contact: Contact,
                    chosen: dict[str, list[str]] | None = None,
                    reminders: bool = True) -> list[tuple[Channel, str]]:
    """Where a notification of ``kind`` goes: ``[(channel, address), ...]``, maybe empty.

    ``chosen`` is the customer's own choice per kind (``{"bill_issued": ["sms"]}``; an
    empty list opts out of that kind); ``reminders`` False opts out of reminders. A notice
    the law requires ignores an opt-out and goes to any contact that still reaches the
    customer when the chosen ones do not.
    """
    if kind is Kind.REMINDER and not reminders:
        return []
    if chosen is not None and kind.value in chosen:
        wanted = tuple(Channel(c) for c in chosen[kind.value])
    else:
        wanted = DEFAULT_CHANNELS[kind]
        if kind in _SMS_WHEN_NO_EMAIL and contact.address(Channel.EMAIL) is None:
            wanted = (Channel.SMS,)
    found = [(c, a) for c in wanted if (a := contact.address(c)) is not None]
    if not found and kind in LEGALLY_REQUIRED:
        found = [(c, a) for c in (Channel.EMAIL, Channel.SMS)
                 if (a := contact.address(c)) is not None]
    return found
