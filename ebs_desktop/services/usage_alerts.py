"""High-usage alerts: a ``high_usage`` message when a period runs well above the
account's own history (:func:`ebs_desktop.domain.insights.high_usage`: 1.5 times the
median of up to 12 earlier actual periods, at least 3 of them).

Raised at two moments, in the transaction of the action that found it:

* a billing run's written batch (:func:`bills_high_usage`, called beside the bill notices):
  the database first narrows the batch to bills above 1.5 times their account's *lowest*
  earlier period (a necessary condition), then only those accounts' histories are read;
* a customer's self-read whose projection of the running period is high
  (:mod:`ebs_desktop.services.usage`).

The dedupe key names the account and the period's first day, so the self-read's alert and
the bill's are one message, never two.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.domain.insights import HIGH_FACTOR, HISTORY_PERIODS, high_usage, period_shift
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.stores import bill_documents as history_store
from ebs_desktop.persistence.stores import outbox as outbox_store
from ebs_desktop.persistence.stores import usage as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.settings import get_settings


def high_usage_message(s: Session, account_id: int, period_start: date, kwh: Decimal,
                       usual: Decimal) -> int:
    """The ``high_usage`` notification of one account's period (once per period)."""
    settings = get_settings(s)
    name, number = outbox_store.account_names(s, account_id)
    _, _, _, own = outbox_store.contact_and_preferences(s, account_id)
    lang = own or settings.locale
    times = (kwh / usual).quantize(Decimal("0.1"))
    context = {"utility_name": settings.utility_name, "utility_phone": settings.phone,
               "customer_name": name, "account_number": number,
               "period": period_start.strftime("%Y-%m"),
               "kwh": format_decimal(kwh.quantize(Decimal(1)), lang),
               "usual_kwh": format_decimal(usual.quantize(Decimal(1)), lang),
               "times": format_decimal(times, lang)}
    return outbox_store.enqueue(s, kind=Kind.HIGH_USAGE, account_id=account_id,
                                dedupe_key=f"high_usage:{number}:{period_start.isoformat()}",
                                context=context, language=settings.locale)


def bills_high_usage(s: Session, bill_ids: Sequence[int]) -> int:
    """The high-usage messages of a written billing batch: rows added."""
    if not bill_ids:
        return 0
    first = store.first_period(s, bill_ids)
    if first is None:
        return 0
    since = period_shift(first, -HISTORY_PERIODS)
    candidates = store.high_use_candidates(s, bill_ids, since, HIGH_FACTOR)
    if not candidates:
        return 0
    last = max(c[2] for c in candidates)
    history = history_store.usage_history(s, sorted({c[1] for c in candidates}), since, last)
    added = 0
    for _bill_id, account_id, period, start, kwh in candidates:
        periods = history.get(account_id, {})
        earlier = [k for p, (k, est) in sorted(periods.items())
                   if p < period and not est and p >= period_shift(period, -HISTORY_PERIODS)]
        hit = high_usage(kwh, earlier)
        if hit is not None:
            added += high_usage_message(s, account_id, start, kwh, hit.usual_kwh)
    return added
