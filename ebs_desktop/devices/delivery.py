"""Message delivery devices (an SMTP server, an SMS gateway) as small Protocols.

A sender of the outbox calls an adapter and reads the outcome from the exception it
raises, if any:

* :class:`TemporaryFailure`: try again later (connection refused, 4xx SMTP, throttling);
* :class:`PermanentFailure`: stop and show it (5xx SMTP, a message the provider rejects);
* :class:`UnreachableRecipient`: a permanent failure that says the address or number is
  bad (bounce, invalid number): the contact is marked unreachable.

Each send carries the message's dedupe key (the email's Message-ID, the SMS client
reference), so a crash between "sent" and "marked sent" repeats at most what the
provider itself cannot recognise as a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol


class DeliveryError(Exception):
    """A message did not leave. ``str(exc)`` is plain words for the outbox screen."""


class TemporaryFailure(DeliveryError):
    pass


class PermanentFailure(DeliveryError):
    pass


class UnreachableRecipient(PermanentFailure):
    pass


@dataclass(frozen=True)
class Sent:
    """What the provider said when it took the message: its id, for receipts and support."""

    provider_id: str
    parts: int = 1  # SMS segments billed


@dataclass(frozen=True)
class RawEmail:
    """An email already composed to its bytes (RFC 5322 lines ending in CRLF) with its
    envelope: what the sender hands over without building an ``EmailMessage`` (the
    standard library's header objects cost more than the SMTP exchange itself)."""

    sender: str
    recipient: str
    message_id: str
    data: bytes


class EmailTransport(Protocol):
    def send(self, message: EmailMessage | RawEmail) -> Sent:
        """Hand one composed message (with its Message-ID) to the mail server."""
        ...

    def close(self) -> None: ...


class SmsProvider(Protocol):
    def send(self, to: str, text: str, client_ref: str) -> Sent:
        """Send ``text`` to the E.164 number ``to``; ``client_ref`` is the dedupe key."""
        ...

    def close(self) -> None: ...
