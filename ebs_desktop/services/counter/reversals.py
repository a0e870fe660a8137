"""Reversing a payment: never a delete, always a new document approved by a supervisor.

Why the bills re-open through negative allocations: the original allocation rows stay as
they were (what the customer was told), and each gets a negative twin tied to the
reversal, so "open amount = bill - sum of allocations" holds with no special case. The
reversing journal mirrors the payment's (AR back up, each tender's GL code back down);
a bounced cheque can add the configured fee (AR up, FEES down) in the same journal.
The reversal gets its own receipt number in the counter's series and a print job.

Why the reversing clerk's shift: the cash part of a reversed counter payment is handed back
out of a drawer, the drawer of the clerk who reverses (their own open shift at the
counter, see :mod:`.ownership`). The reversal records that shift, whose expected cash goes
down by the amount and whose Z-report lists the pay-out; without such a shift a cash
reversal is refused. Card, cheque and transfer parts move no drawer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import verify_supervisor
from ebs_desktop.services.counter.ledger_ops import GL_FOR_TENDER
from ebs_desktop.services.counter.ownership import check_owner, open_shift_at
from ebs_desktop.services.counter.posting import receipt_series, take_receipt_number
from ebs_desktop.services.counter.records import ReversalResult
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import events as notify
from ebs_desktop.services.settings import get_settings


def _drawer_shift(session: Session, actor: Actor, code: str, cash: Money) -> int:
    """The reversing clerk's own open shift at ``code``: its drawer pays ``cash`` out."""
    try:
        shift = open_shift_at(session, code, for_update=True)
    except ConflictError:
        raise ConflictError(f"the reversal pays {cash} cash back out of a drawer: open your "
                            f"shift at counter {code} first") from None
    check_owner(session, actor, shift, code, "pay cash out of")
    return shift.id


def _reverse_in(session: Session, actor: Actor, approver: Actor, receipt_number: str,
                reason: str, bounced_cheque: bool, counter_code: str | None) -> ReversalResult:
    found = store.payment_of_receipt(session, receipt_number)
    if found is None:
        raise NotFound(f"no payment receipt {receipt_number!r}")
    payment_id, series = found
    payment = store.payment(session, payment_id)
    assert payment is not None
    if store.is_reversed(session, payment_id):
        raise ConflictError(f"payment {receipt_number} is already reversed")
    settings = get_settings(session)
    cur = settings.currency
    tenders = store.tender_amounts(session, payment_id)
    if bounced_cheque and not any(kind == "cheque" for kind, _ in tenders):
        raise ValidationError(f"payment {receipt_number} has no cheque to bounce",
                              location="bounced cheque")
    code = counter_code or series.rsplit("-", 1)[0]
    cash = sum(m for kind, m in tenders if kind == "cash")
    drawer: int | None = None
    if cash and payment.channel == "counter":
        drawer = _drawer_shift(session, actor, code, Money(cash, cur))
    fee = settings.money("bounced_cheque_fee") if bounced_cheque else Money.zero(cur)
    # lock first, then read the allocations to undo; the journal moves the balance
    ledger.lock_account_id(session, payment.account_id)
    user_id = actor.user_id if actor.user_id is not None else approver.user_id
    assert user_id is not None
    reversal_id = store.insert_reversal(session, payment_id, reason, fee.minor, user_id,
                                        approver.user_id, drawer)
    paid = store.live_allocations(session, payment_id)
    store.reopen_allocations(session, payment_id, reversal_id, paid)
    entries: list[dict[str, object]] = [
        {"gl_code": "AR", "account_id": payment.account_id, "amount_minor": payment.amount_minor,
         "payment_id": payment_id}]
    for kind, minor in tenders:
        gl = "BANK" if payment.channel == "bank" else GL_FOR_TENDER[kind]
        entries.append({"gl_code": gl, "amount_minor": -minor, "payment_id": payment_id})
    if fee.minor:
        entries += [{"gl_code": "AR", "account_id": payment.account_id,
                     "amount_minor": fee.minor, "payment_id": payment_id},
                    {"gl_code": "FEES", "amount_minor": -fee.minor, "payment_id": payment_id}]
    today = datetime.now(UTC).date()
    posted = ledger.post_journal(session, "reversal", today,
                                 f"reversal of {receipt_number}: {reason}", user_id, entries)
    new_series, prefix = receipt_series(code, today)
    number, seq = take_receipt_number(session, new_series, prefix)
    receipt_id = store.insert_reversal_receipt(session, new_series, seq, number, payment_id,
                                               reversal_id)
    store.queue_job(session, receipt_id, store.counter_printer_id(session, code),
                    duplicate=False)
    notify.payment_reversed(session, payment.account_id, number, receipt_number,
                            Money(payment.amount_minor, cur), reason,
                            Money(posted.balances[payment.account_id], cur))
    audit.record(session, actor, "payment.reverse", "payment", payment_id,
                 after={"receipt": number, "reverses": receipt_number, "reason": reason,
                        "fee": str(fee), "approved_by": approver.username,
                        "cash_paid_out": str(Money(cash if drawer else 0, cur)),
                        "shift": drawer})
    return ReversalResult(reversal_id, payment_id, number, receipt_number,
                          Money(payment.amount_minor, cur), fee,
                          Money(posted.balances[payment.account_id], cur), tuple(paid))


def reverse_payment(db: Database, actor: Actor, receipt_number: str, reason: str,
                    supervisor_username: str, supervisor_password: str, *,
                    bounced_cheque: bool = False,
                    counter_code: str | None = None) -> ReversalResult:
    """Reverse the payment of a receipt with a supervisor's credentials and a reason."""
    require(actor, "payment.post")
    if not reason.strip():
        raise ValidationError("give the reason for the reversal", location="reason")
    approver = verify_supervisor(db, supervisor_username, supervisor_password,
                                 "payment.reverse")
    with db.write() as session:
        return _reverse_in(session, actor, approver, receipt_number.strip(), reason.strip(),
                           bounced_cheque, counter_code)
