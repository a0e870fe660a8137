"""SMS use cases: what a bulk send will cost before it goes, and the delivery receipts
the providers send back.

* :func:`estimate_sms`: the SMS messages waiting in the outbox (of one kind, or all),
  rendered as they will be sent, cut into segments (GSM-7 or UCS-2), counted and priced
  at the ``sms.segment_price`` setting (or a price given).
* :func:`record_sms_receipts`: receipts (HTTP callback, SMPP ``deliver_sm``) written on
  the outbox rows their provider ids name; a receipt saying the number cannot be reached
  marks the customer's mobile unreachable (audited), as a refused send does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Channel, Kind
from ebs_desktop.domain.sms_receipts import UNREACHABLE, DeliveryReceipt
from ebs_desktop.domain.sms_text import GSM7, SmsTooLong, cost, plan
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import outbox as outbox_store
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.persistence.stores import sms as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify.content import TemplateProblem, render
from ebs_desktop.services.settings import currency

PRICE_KEY = "sms.segment_price"


@dataclass(frozen=True)
class SmsEstimate:
    """Length and cost of the SMS messages waiting to be sent."""

    kind: str | None  # None: every kind
    messages: int
    segments: int
    gsm7: int  # messages in GSM-7
    ucs2: int  # messages in UCS-2 (one character outside GSM-7 is enough)
    by_segments: tuple[tuple[int, int], ...]  # (segments per message, messages), ascending
    longest_units: int  # septets or UTF-16 code units of the longest text
    forcing_ucs2: tuple[tuple[str, int], ...]  # characters sending texts as UCS-2, most first
    price_per_segment: Decimal | None  # None: no price set or given
    cost: Money | None
    unrenderable: int  # messages whose template fails (they would fail when sent)
    first_problem: str = ""


def _price(session: Session, given: Decimal | None) -> Decimal | None:
    if given is not None:
        return given
    raw = settings_store.stored_value(session, PRICE_KEY)
    if raw is None:
        return None
    try:
        value = Decimal(str(json.loads(raw)))
    except (ValueError, InvalidOperation) as exc:
        raise ValidationError(f"setting {PRICE_KEY}: {raw!r} is not a price") from exc
    return value


def estimate_sms(db: Database, actor: Actor, kind: str | None = None,
                 price: Decimal | None = None) -> SmsEstimate:
    """Render every waiting SMS message (of ``kind``) and count segments and cost."""
    require(actor, "notification.estimate")
    if kind is not None and kind not in {k.value for k in Kind}:
        raise ValidationError(f"kind {kind!r} is not a notification kind; one of: "
                              + ", ".join(k.value for k in Kind))
    if price is not None and (not price.is_finite() or price < 0):
        raise ValidationError(f"price {price} per segment must be zero or more")
    with db.read() as session:
        waiting = store.waiting_sms(session, kind)
        per_segment = _price(session, price)
        money_currency = currency(session)
    segments = gsm7 = ucs2 = longest = unrenderable = 0
    histogram: Counter[int] = Counter()
    forcing: Counter[str] = Counter()
    first_problem = ""
    for message in waiting:
        try:
            text = render(Kind(message.kind), Channel.SMS, message.language,
                          json.loads(message.context)).text
            cut = plan(text)
        except (TemplateProblem, SmsTooLong) as exc:
            unrenderable += 1
            first_problem = first_problem or f"outbox message {message.outbox_id}: {exc}"
            continue
        segments += cut.count
        histogram[cut.count] += 1
        longest = max(longest, cut.units)
        if cut.encoding == GSM7:
            gsm7 += 1
        else:
            ucs2 += 1
            forcing.update(cut.forcing_ucs2)
    return SmsEstimate(
        kind=kind, messages=gsm7 + ucs2, segments=segments, gsm7=gsm7, ucs2=ucs2,
        by_segments=tuple(sorted(histogram.items())), longest_units=longest,
        forcing_ucs2=tuple(forcing.most_common(10)), price_per_segment=per_segment,
        cost=None if per_segment is None else cost(segments, per_segment, money_currency),
        unrenderable=unrenderable, first_problem=first_problem)


@dataclass(frozen=True)
class ReceiptsRecorded:
    recorded: int  # receipts written on an outbox row
    unknown: int  # receipts naming no message of ours
    numbers_marked_unreachable: int


def record_sms_receipts(db: Database, actor: Actor,
                        receipts: Sequence[DeliveryReceipt]) -> ReceiptsRecorded:
    """Write each receipt on its outbox row, in one transaction."""
    require(actor, "notification.receipt")
    recorded = unknown = marked = 0
    with db.write() as session:
        for receipt in receipts:
            target = store.record_receipt(session, receipt)
            if target is None:
                unknown += 1
                continue
            recorded += 1
            if (receipt.state == UNREACHABLE and target.customer_phone == target.recipient
                    and target.phone_status != "unreachable"):
                problem = f"SMS to {target.recipient} not deliverable: " + (
                    receipt.error or "the network rejected the number")
                outbox_store.mark_contact_unreachable(session, target.account_id, "sms",
                                                      problem)
                audit.record(session, actor, "customer.phone_unreachable", "customer",
                             target.customer_id,
                             before={"phone_status": target.phone_status},
                             after={"phone_status": "unreachable", "phone_problem": problem,
                                    "outbox_id": target.outbox_id})
                marked += 1
    return ReceiptsRecorded(recorded, unknown, marked)
