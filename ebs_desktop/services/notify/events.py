"""The business actions that tell the customer: their outbox rows, in the action's own
transaction (so a rolled-back payment sends nothing, and a committed one always tells).

Each function is called by the service of the action with its open session, after the
action's rows are written and before its audit entry (the last write). Keys name the
action once: ``payment_posted:<receipt>``, ``payment_reversed:<receipt>``,
``bill_issued:<bill number>``; the channel is appended by the store.

A billing run's bills are enqueued per written batch in bulk (:func:`bills_issued`),
with a small context (bill and account number): the sender fills in the figures from the
bill document it attaches, so the run formats nothing per bill.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ebs_desktop.domain.formatting import format_date, format_money
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.persistence.stores import outbox as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.settings import get_settings


def _common(session: Session, account_id: int) -> tuple[dict[str, str], str]:
    settings = get_settings(session)
    name, number = store.account_names(session, account_id)
    context = {"utility_name": settings.utility_name, "utility_phone": settings.phone,
               "customer_name": name, "account_number": number}
    return context, settings.locale


def payment_posted(session: Session, account_id: int, receipt: str, amount: Money,
                   paid_on: date, balance: Money) -> int:
    """The receipt of a payment (counter or bank): rows added."""
    context, locale = _common(session, account_id)
    _, _, _, own = store.contact_and_preferences(session, account_id)
    lang = own or locale
    context.update(amount=format_money(amount, lang), paid_on=format_date(paid_on, lang),
                   receipt_number=receipt, balance=format_money(balance, lang))
    return store.enqueue(session, kind=Kind.PAYMENT_POSTED, account_id=account_id,
                         dedupe_key=f"payment_posted:{receipt}", context=context,
                         language=locale)


def payment_reversed(session: Session, account_id: int, reversal_receipt: str,
                     original_receipt: str, amount: Money, reason: str,
                     balance: Money) -> int:
    """A reversed payment (a bounced cheque...): rows added."""
    context, locale = _common(session, account_id)
    _, _, _, own = store.contact_and_preferences(session, account_id)
    lang = own or locale
    context.update(amount=format_money(amount, lang), receipt_number=original_receipt,
                   reason=reason, balance=format_money(balance, lang))
    return store.enqueue(session, kind=Kind.PAYMENT_REVERSED, account_id=account_id,
                         dedupe_key=f"payment_reversed:{reversal_receipt}", context=context,
                         language=locale)


def account_problem(session: Session, account_id: int, key: str, problem: str) -> int:
    """A problem the customer should act on (an autopay charge that failed...): rows added.
    ``key`` names the problem once (``autopay_failed:<bill number>``)."""
    context, locale = _common(session, account_id)
    context.update(problem=problem)
    return store.enqueue(session, kind=Kind.ACCOUNT_PROBLEM, account_id=account_id,
                         dedupe_key=f"account_problem:{key}", context=context,
                         language=locale)


def bills_issued(session: Session, bill_ids: Sequence[int]) -> int:
    """The bill messages of a written billing batch, in bulk: rows added."""
    return store.enqueue_bills(session, bill_ids, get_settings(session).locale)
