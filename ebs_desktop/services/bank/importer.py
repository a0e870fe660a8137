"""Importing a bank statement: every line stored once, credits with an account number paid.

Why one transaction per line: a line that becomes a payment locks its account, the bank
receipt series and the audit head, in the same order a counter payment does; holding
one line's locks at a time never deadlocks with the counters, and a crash half-way
through a file leaves whole lines behind, which the next import of the same file skips
(``bank_lines.line_key`` is unique; the payment's idempotency key is ``bank:<line key>``).

Matching is deliberately strict: a credit in the utility's currency whose reference or
remittance text holds exactly one valid (check-digit) account number that exists becomes
a payment (channel ``bank``, no shift, a ``BANK-<year>`` receipt); every other credit goes
to the review list; debits (bank fees, refunds) are stored as ``ignored``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ebs_desktop.domain.bankstatements import BankStatement, StatementEntry, parse_statement_file
from ebs_desktop.domain.cash import TransferTender
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, BankLine
from ebs_desktop.persistence.models import BankStatement as StatementRow
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.posting import PaymentRequest, post_payment_in
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings


@dataclass
class ImportSummary:
    statements_new: int = 0
    statements_seen: int = 0
    lines_new: int = 0
    lines_skipped: int = 0
    """Lines already imported (the same file, or an overlapping statement)."""
    matched: int = 0
    review: int = 0
    ignored: int = 0
    receipts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def _statement_id(db: Database, actor: Actor, st: BankStatement, name: str,
                  summary: ImportSummary) -> int:
    ref = st.statement_id[:64] or "-"
    account = st.account[:64] or "-"
    for _attempt in range(2):
        try:
            with db.write() as s:
                found = s.scalar(select(StatementRow.id).where(
                    StatementRow.bank_account == account, StatementRow.statement_ref == ref))
                if found is not None:
                    summary.statements_seen += 1
                    return int(found)
                sid = int(s.execute(insert(StatementRow).values(
                    bank_account=account, statement_ref=ref, file_name=name[:400],
                    opening_minor=st.opening.minor, closing_minor=st.closing.minor,
                    user_id=actor.user_id).returning(StatementRow.id)).scalar_one())
                audit.record(s, actor, "bank.statement", "bank_statement", sid,
                             after={"account": account, "ref": ref, "file": name,
                                    "entries": len(st.entries)})
                summary.statements_new += 1
                return sid
        except IntegrityError:
            continue  # another import stored it at the same moment: read it back
    raise ValidationError(f"statement {ref} of {account} could not be stored", location=name)


def line_text(entry: StatementEntry) -> str:
    parts = [entry.reference, entry.remittance, entry.counterparty_name, entry.bank_reference]
    return " | ".join(p for p in parts if p)


def _match(session: Session, entry: StatementEntry, currency: str) -> int | None:
    if not entry.is_credit or entry.amount.currency != currency:
        return None
    if len(entry.account_numbers) != 1:
        return None
    found = session.scalar(select(Account.id).where(
        Account.account_number == entry.account_numbers[0]))
    return int(found) if found is not None else None


def post_bank_credit(session: Session, actor: Actor, entry_key: str, account_number: str,
                     entry: StatementEntry | None, amount_reference: tuple[int, str],
                     currency: str) -> tuple[int, str]:
    """Post a bank credit as a payment in the caller's transaction: (payment id, receipt)."""
    from ebs_desktop.domain.money import Money

    minor, reference = amount_reference
    tender = TransferTender(Money(minor, currency), (reference or "bank statement")[:140])
    result = post_payment_in(
        session, actor,
        PaymentRequest(account_number, (tender,), f"bank:{entry_key}"[:64], channel="bank"),
        today=entry.booking_date if entry is not None else None)
    return result.payment_id, result.receipt_number


def _import_line(db: Database, actor: Actor, statement_id: int, entry: StatementEntry,
                 summary: ImportSummary) -> None:
    with db.write() as s:
        if s.scalar(select(BankLine.id).where(BankLine.line_key == entry.key)) is not None:
            summary.lines_skipped += 1
            return
        currency = get_settings(s).currency
        account_id = _match(s, entry, currency)
        status, payment_id = ("review" if entry.is_credit else "ignored"), None
        text = line_text(entry)
        if account_id is not None:
            payment_id, receipt = post_bank_credit(
                s, actor, entry.key, entry.account_numbers[0], entry,
                (entry.amount.minor, entry.reference or entry.bank_reference or entry.remittance),
                currency)
            status = "matched"
            summary.receipts.append(receipt)
        s.execute(insert(BankLine).values(
            statement_id=statement_id, line_key=entry.key, booked_on=entry.booking_date,
            amount_minor=entry.amount.minor, reference=text, status=status,
            account_id=account_id, payment_id=payment_id))
        summary.lines_new += 1
        if status == "matched":
            summary.matched += 1
        elif status == "review":
            summary.review += 1
        else:
            summary.ignored += 1


def import_statement(db: Database, actor: Actor, data: bytes, name: str) -> ImportSummary:
    """Import every statement in a file; importing it again adds nothing."""
    require(actor, "bank.import")
    statements = parse_statement_file(data, name)
    summary = ImportSummary()
    for st in statements:
        statement_id = _statement_id(db, actor, st, name, summary)
        for entry in st.entries:
            try:
                _import_line(db, actor, statement_id, entry, summary)
            except IntegrityError:
                summary.lines_skipped += 1  # imported by another process meanwhile
    return summary


def import_statement_file(db: Database, actor: Actor, path: Path) -> ImportSummary:
    require(actor, "bank.import")  # before the file is looked at
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read the statement: {exc.strerror}",
                              location=str(path)) from None
    return import_statement(db, actor, data, path.name)
