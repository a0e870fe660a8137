"""Delivery receipts of SMS: what a provider reports after it took a message.

Both adapters (HTTP callback, SMPP ``deliver_sm``) turn their provider's words into a
:class:`DeliveryReceipt`; the service records it on the outbox row that carries the
provider's message id. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# What became of a message at the handset's network.
DELIVERED = "delivered"
FAILED = "failed"  # the network gave up (switched-off phone beyond validity, rejected)
EXPIRED = "expired"
UNREACHABLE = "unreachable"  # the number does not exist / cannot take SMS
RECEIPT_STATES = (DELIVERED, FAILED, EXPIRED, UNREACHABLE)

# SMPP 3.4 receipt ``stat:`` words (Appendix B) and common HTTP gateway words.
_WORDS = {
    "DELIVRD": DELIVERED, "DELIVERED": DELIVERED, "ACCEPTD": DELIVERED,
    "EXPIRED": EXPIRED,
    "UNDELIV": FAILED, "UNDELIVERABLE": FAILED, "FAILED": FAILED, "DELETED": FAILED,
    "REJECTD": UNREACHABLE, "REJECTED": UNREACHABLE, "UNKNOWN_NUMBER": UNREACHABLE,
    "INVALID_NUMBER": UNREACHABLE, "UNREACHABLE": UNREACHABLE,
}


class ReceiptUnreadable(ValueError):
    """A receipt whose state or message id cannot be read (answered 400, never recorded)."""


@dataclass(frozen=True)
class DeliveryReceipt:
    provider_id: str
    state: str  # one of RECEIPT_STATES
    error: str = ""  # the provider's code or words, for the outbox screen
    done_at: datetime | None = None


def receipt_state(word: str) -> str:
    """Our state for a provider's word (``DELIVRD``, ``delivered``, ``UNDELIV``...)."""
    state = _WORDS.get(word.strip().upper().replace(" ", "_"))
    if state is None:
        raise ReceiptUnreadable(f"unknown delivery state {word!r}")
    return state


def parse_smpp_receipt_text(text: str) -> dict[str, str]:
    """The fields of an SMPP receipt's text (``id:1 sub:001 dlvrd:001 submit date:...
    done date:... stat:DELIVRD err:000 text:...``), keys lower case."""
    fields: dict[str, str] = {}
    keys = ("id", "sub", "dlvrd", "submit date", "done date", "stat", "err", "text")
    lower = text.lower()
    starts = sorted((pos, key) for key in keys if (pos := lower.find(key + ":")) >= 0)
    for (pos, key), following in zip(starts, [*starts[1:], (len(text), "")], strict=True):
        fields[key] = text[pos + len(key) + 1:following[0]].strip()
    return fields


def smpp_done_date(value: str) -> datetime | None:
    """``YYMMDDhhmm`` (or with seconds) of an SMPP receipt, None when absent or unreadable."""
    for fmt in ("%y%m%d%H%M%S", "%y%m%d%H%M"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None
