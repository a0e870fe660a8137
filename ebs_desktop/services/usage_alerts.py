"""Usage summaries and high-usage alerts, written by the billing run.

**Comparison groups** (:func:`refresh_benchmarks`, when a billing run closes): the period's
live bills grouped by category, tariff and sanctioned-load band, each group summarised
(:func:`ebs_desktop.domain.insights.summarise`) into ``usage_benchmarks``, so the portal
places an account among 100,000 by reading one row. A rebill or credit note after the run
shifts a group by a bill or two; the next run of the period (or the next period) sums it
again.

**High-usage alerts**: a ``high_usage`` message when a period runs well above the
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

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.domain.insights import (
    HIGH_FACTOR,
    HISTORY_PERIODS,
    high_usage,
    load_band,
    period_shift,
    summarise,
)
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


def refresh_benchmarks(s: Session, period: str) -> int:
    """Summarise the period's comparison groups again; returns how many groups."""
    groups: dict[tuple[str, int, Decimal], list[int]] = defaultdict(list)
    bands: dict[int, Decimal] = {}
    for category, tariff_id, load_milli, kwh_milli in store.period_consumption(s, period):
        if load_milli is None:
            continue
        low = bands.get(load_milli)
        if low is None:
            low = bands[load_milli] = load_band(Decimal(load_milli) / _THOUSAND)[0]
        groups[(category, tariff_id, low)].append(kwh_milli)
    rows = []
    for (category, tariff_id, low), values in sorted(groups.items()):
        count, points = summarise(values)  # in thousandths: exact, then scaled once
        kwh = [(Decimal(p) / _THOUSAND).quantize(_MILLI) for p in points]
        rows.append((category, tariff_id, low, count, json.dumps([str(k) for k in kwh])))
    store.replace_benchmarks(s, period, rows, datetime.now(UTC))
    return len(rows)


_THOUSAND = Decimal(1000)
_MILLI = Decimal("0.001")
