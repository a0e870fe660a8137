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

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.periods import read_date
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence import bulk as writer
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill, BillingCycle, CreditNote
from ebs_desktop.persistence.raw import fetch_rows
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.billing import inputs
from ebs_desktop.services.billing.batch import timestamp_text, write_batch
from ebs_desktop.services.billing.pricing import PricingContext, price_account
from ebs_desktop.services.guard import require
from ebs_desktop.services.numbering import take_number
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
    bill = session.scalar(select(Bill).where(Bill.bill_number == ref))
    if bill is None and ref.isascii() and ref.isdigit() and int(ref) < 2**63:
        bill = session.get(Bill, int(ref))
    if bill is None:
        raise NotFound(f"no bill {ref!r}")
    return bill


def _credit_note_of(session: Session, bill_id: int) -> str | None:
    return session.scalar(select(CreditNote.number).where(CreditNote.bill_id == bill_id))


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
        existing = _credit_note_of(session, bill.id)
        if existing is not None:
            raise ConflictError(f"bill {bill.bill_number} is already cancelled by credit "
                                f"note {existing}")
        currency = get_settings(session).currency
        number, _seq = take_number(session, f"CN-{day.year}", f"C{day.year}-")
        note = CreditNote(number=number, bill_id=bill.id, amount_minor=bill.total_minor,
                          reason=reason, user_id=actor.user_id)
        session.add(note)
        session.flush()
        conn = session.connection()
        stamp = timestamp_text(conn, datetime.now(UTC))
        journal_id = writer.reserve_ids(conn, "journals", 1)[0]
        writer.bulk_insert(conn, "journals", writer.JOURNAL_COLUMNS, [(
            journal_id, "credit_note", day.isoformat(),
            f"Credit note {number} cancelling bill {bill.bill_number}", actor.user_id,
            stamp)])
        writer.bulk_insert(conn, "ledger_entries", writer.ENTRY_COLUMNS, [
            (journal_id, "AR", bill.account_id, -bill.total_minor, day.isoformat(), bill.id,
             None, note.id),
            (journal_id, "SALES", None, bill.total_minor, day.isoformat(), bill.id, None,
             note.id)])
        writer.bump_balances(conn, [(-bill.total_minor, bill.account_id)])
        account_number = session.scalar(select(Account.account_number)
                                         .where(Account.id == bill.account_id)) or ""
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
        if _credit_note_of(session, bill.id) is None:
            raise ConflictError(f"bill {bill.bill_number} is not cancelled; cancel it with a "
                                "credit note before issuing a rebill")
        live = session.scalar(select(Bill.bill_number).where(
            Bill.account_id == bill.account_id, Bill.period == bill.period,
            ~select(CreditNote.id).where(CreditNote.bill_id == Bill.id).exists()))
        if live is not None:
            raise ConflictError(f"account already has bill {live} for {bill.period}; "
                                "cancel it first")
        revision = int(session.scalar(select(func.max(Bill.revision)).where(
            Bill.account_id == bill.account_id, Bill.period == bill.period)) or 0) + 1
        settings = get_settings(session)
        account = session.get(Account, bill.account_id)
        assert account is not None
        read_day = session.scalar(select(BillingCycle.read_day)
                                  .where(BillingCycle.id == account.cycle_id)) or 31
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
        taken = {(r, _as_text(d)) for r, d in fetch_rows(conn,
            "SELECT register_id, read_on FROM readings WHERE status <> 'superseded'"
            " AND read_on = ?", (period_end.isoformat(),))}
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


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)[:10]
