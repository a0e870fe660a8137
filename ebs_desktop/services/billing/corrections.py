"""Corrections: a posted bill is never edited; it is cancelled by a credit note and, when
the reading or tariff was wrong, replaced by a rebill.

- **Cancel** issues a credit note (its own gapless series per year, ``C2026-0000001``)
  for the bill's full total and reverses the bill in the ledger: one journal with AR
  ``-total`` on the account and SALES ``+total``, both naming the credit note. Payments
  already allocated to the bill stay where they are: the customer's balance simply drops
  by the total (it may go into credit). A bill is cancelled at most once (the credit
  note's bill is unique).
- **Rebill** recomputes the same account and period from the current readings and tariff
  through the billing run's own pricing, as the next revision (kind ``rebill``,
  ``replaces_bill_id``), numbered in the bills' series, posted to the ledger. Only a
  cancelled bill can be rebilled, and only once (a later revision must be cancelled
  before another rebill).

Both are audited and run in one transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import read_date
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Bill
from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing import inputs
from ebs_desktop.services.billing.batch import write_batch
from ebs_desktop.services.billing.pricing import PricingContext, price_account
from ebs_desktop.services.guard import require
from ebs_desktop.services.numbering import take_number
from ebs_desktop.services.settings import currency as utility_currency
from ebs_desktop.services.settings import get_settings


@dataclass(frozen=True)
class CreditNoteResult:
    number: str
    bill_number: str
    account_number: str
    amount: Money
    reason: str


@dataclass(frozen=True)
class RebillResult:
    bill_number: str
    replaces: str
    revision: int
    total: Money
    estimated: bool
    exceptions: tuple[tuple[str, str], ...]


def find_bill(session: Session, ref: str) -> Bill:
    """A bill by number (``B2026-0000001``) or by id."""
    ref = ref.strip()
    bill = store.find_bill(session, ref)
    if bill is None:
        raise NotFound(f"no bill {ref!r}")
    return bill


def cancel_bill(db: Database, actor: Actor, ref: str, reason: str,
                on: date | None = None) -> CreditNoteResult:
    """Cancel a bill with a credit note (see the module docstring)."""
    require(actor, "bill.cancel")
    reason = reason.strip()
    if not reason:
        raise ValidationError("a reason is required to cancel a bill", location="--reason")
    day = on or date.today()
    with db.write() as session:
        bill = find_bill(session, ref)
        existing = store.credit_note_of(session, bill.id)
        if existing is not None:
            raise ConflictError(f"bill {bill.bill_number} is already cancelled by credit "
                                f"note {existing}")
        currency = utility_currency(session)
        number, _seq = take_number(session, f"CN-{day.year}", f"C{day.year}-")
        note_id = store.add_credit_note(session, number, bill.id, bill.total_minor, reason,
                                        actor.user_id)
        ledger.post_journal(
            session, "credit_note", day,
            f"Credit note {number} cancelling bill {bill.bill_number}", actor.user_id, [
                {"gl_code": ledger.AR, "account_id": bill.account_id,
                 "amount_minor": -bill.total_minor, "bill_id": bill.id,
                 "credit_note_id": note_id},
                {"gl_code": "SALES", "amount_minor": bill.total_minor, "bill_id": bill.id,
                 "credit_note_id": note_id}])
        account_number = store.account_number(session, bill.account_id)
        audit.record(session, actor, "bill.cancel", "bill", bill.id,
                     after={"bill": bill.bill_number, "credit_note": number,
                            "amount_minor": bill.total_minor, "reason": reason})
        return CreditNoteResult(number, bill.bill_number, account_number,
                                Money(bill.total_minor, currency), reason)


def rebill(db: Database, actor: Actor, ref: str, issue_date: date | None = None
           ) -> RebillResult:
    """Issue the corrected bill for a cancelled one (see the module docstring)."""
    require(actor, "bill.rebill")
    issue = issue_date or date.today()
    with db.write() as session:
        bill = find_bill(session, ref)
        if store.credit_note_of(session, bill.id) is None:
            raise ConflictError(f"bill {bill.bill_number} is not cancelled; cancel it with a "
                                "credit note before issuing a rebill")
        live = store.live_bill_number(session, bill.account_id, bill.period)
        if live is not None:
            raise ConflictError(f"account already has bill {live} for {bill.period}; "
                                "cancel it first")
        revision = store.last_revision(session, bill.account_id, bill.period) + 1
        settings = get_settings(session)
        read_day = store.read_day_of_account(session, bill.account_id) or 31
        year, month = int(bill.period[:4]), int(bill.period[5:7])
        period_end = max(read_date(year, month, read_day), bill.period_end)
        conn = session.connection()
        acc = inputs.load_batch(conn, [bill.account_id], period_end,
                                before_period=bill.period,
                                starts={bill.account_id: bill.period_start})[0]
        states = inputs.load_register_states(
            conn, [] if acc.energy_registers else [acc.account_id], period_end)
        ctx = PricingContext(session, settings)
        priced = price_account(ctx, acc, period_end, issue, states)
        if priced.total_minor is None:
            detail = "; ".join(f"{c}: {d}" for c, d in priced.exceptions)
            raise ConflictError(f"cannot rebill {bill.bill_number}: {detail}")
        taken = store.registers_read_on(conn, period_end)
        priced = priced._replace(estimated_readings=tuple(
            e for e in priced.estimated_readings if (e[0], e[1]) not in taken))
        written = write_batch(session, None, actor.user_id, bill.period, [priced], issue,
                              issue + timedelta(days=settings.bill_due_days),
                              datetime.now(UTC), kind="rebill", revision=revision,
                              replaces={bill.account_id: bill.id})
        assert written.first_number is not None
        audit.record(session, actor, "bill.rebill", "bill", written.bill_ids[0],
                     after={"bill": written.first_number, "replaces": bill.bill_number,
                            "revision": revision, "total_minor": written.total_minor})
        return RebillResult(written.first_number, bill.bill_number, revision,
                            Money(written.total_minor, settings.currency), priced.estimated,
                            priced.exceptions)
