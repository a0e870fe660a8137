"""Importing a bank statement file: validated whole, then stored whole in one transaction.

Why one transaction for the whole file: a file is the bank's account of what moved; half
of it stored (a statement row and its audit entry without their lines, as a too-large
amount once left) is a record that matches neither the bank nor the books. The parsers
refuse a file with any fault before anything is written (see
:mod:`ebs_desktop.domain.bankstatements.checks`); whatever fails while storing rolls the
whole file back. Importing the same file again, or an overlapping statement, adds
nothing: ``bank_lines.line_key`` is unique, and the payment's idempotency key is
``bank:<line key>``.

Why the accounts are locked first, in id order: every line that becomes a payment locks
its account, then the bank receipt series, then the audit head, in the same order a
counter payment does. Holding several accounts while taking the series and the audit head
could deadlock with a counter that holds one of them, unless all of them were taken
before anything else; taking them sorted also keeps two imports from deadlocking.

Why an override for the balances, and why it sends every line to review: a statement
whose stated balances disagree with its entries (opening + entries != closing, a balance
in another currency, an MT940 statement without its closing balance) is refused by
default, because the file may be damaged or cut short. Some real files are like that and
the bank confirms them (test exports, a bank reporting the closing balance in another
currency), so ``accept_unbalanced`` imports them anyway. The override is audited per
statement (``bank.statement.unbalanced``, with the expected and the stated closing
balance), and no line of such a statement is matched or posted automatically: each goes
to review with the reason, and a person assigns or ignores it.

Matching is deliberately strict: a credit in the utility's currency whose reference or
remittance text holds exactly one valid (check-digit) account number that exists becomes
a payment (channel ``bank``, no shift, a ``BANK-<year>`` receipt); every other credit goes
to the review list with the reason (a line in another currency than the utility's always
does: only a person can say what it is worth, see :func:`.review.assign_line`); debits
(bank fees, refunds) are stored as ``ignored``. Every line keeps its own currency, so
KWD 45.500 stays 45.500 dinars and is never shown or posted as 455.00 of anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ebs_desktop.domain.bankstatements import BankStatement, StatementEntry, parse_statement_file
from ebs_desktop.domain.bankstatements.checks import check_balances
from ebs_desktop.domain.cash import TransferTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ConflictError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import bank as store
from ebs_desktop.persistence.tx import IntegrityError, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.posting import PaymentRequest, post_payment_in
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import currency as utility_currency


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored (counts, and the receipts of the credits it posted)."""

    statements_new: int = 0
    statements_seen: int = 0
    lines_new: int = 0
    lines_skipped: int = 0
    """Lines already imported (the same file, or an overlapping statement)."""
    matched: int = 0
    review: int = 0
    ignored: int = 0
    foreign: int = 0
    """Of the lines to review, those in another currency than the utility's."""
    unbalanced: int = 0
    """New statements imported on the override although their balances disagree."""
    receipts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {**asdict(self), "receipts": list(self.receipts)}


@dataclass
class _Tally:
    """An import's counts as it goes (frozen into an ImportSummary at the end)."""

    statements_new: int = 0
    statements_seen: int = 0
    lines_new: int = 0
    lines_skipped: int = 0
    """Lines already imported (the same file, or an overlapping statement)."""
    matched: int = 0
    review: int = 0
    ignored: int = 0
    foreign: int = 0
    """Of the lines to review, those in another currency than the utility's."""
    unbalanced: int = 0
    """New statements imported on the override although their balances disagree."""
    receipts: list[str] = field(default_factory=list)

    def frozen(self) -> ImportSummary:
        return ImportSummary(**{**self.__dict__, "receipts": tuple(self.receipts)})


def line_text(entry: StatementEntry) -> str:
    parts = [entry.reference, entry.remittance, entry.counterparty_name, entry.bank_reference]
    return " | ".join(p for p in parts if p)


def foreign_reason(line_currency: str, utility_currency: str) -> str:
    return (f"in {line_currency}, not the utility's {utility_currency}: assign it with the "
            f"amount received in {utility_currency} and the rate")


#: How the review reason of every line of a statement imported on the override starts.
UNBALANCED = "the statement's balances do not add up"


def _money(value: Money | None) -> str | None:
    return None if value is None else f"{value.currency} {value}"


def unbalanced_reason(st: BankStatement) -> str:
    """The review reason of each line of a statement whose balances disagree."""
    return (f"{UNBALANCED} (closing: expected {_money(st.expected_closing()) or 'unknown'}, "
            f"stated {_money(st.closing) or 'none'}): check the line with the bank")[:200]


def review_reason(entry: StatementEntry, currency: str, known: dict[str, int]) -> str | None:
    """Why a credit cannot be paid automatically; None if it can (or is not a credit)."""
    if not entry.is_credit:
        return None
    if entry.amount.currency != currency:
        return foreign_reason(entry.amount.currency, currency)
    numbers = entry.account_numbers
    if not numbers:
        return "no account number in the reference"
    if len(numbers) > 1:
        return f"several account numbers: {', '.join(numbers)[:150]}"
    if numbers[0] not in known:
        return f"account number {numbers[0]} is not one of ours"
    return None


def post_bank_credit(session: Session, actor: Actor, entry_key: str, account_number: str,
                     entry: StatementEntry | None, amount: Money,
                     reference: str) -> tuple[int, str]:
    """Post a bank credit as a payment in the caller's transaction: (payment id, receipt)."""
    tender = TransferTender(amount, (reference.strip() or "bank statement")[:140])
    result = post_payment_in(
        session, actor,
        PaymentRequest(account_number, (tender,), f"bank:{entry_key}"[:64], channel="bank"),
        today=entry.booking_date if entry is not None else None)
    return result.payment_id, result.receipt_number


def _lock_accounts(s: Session, statements: tuple[BankStatement, ...],
                   currency: str) -> dict[str, int]:
    """Lock, in id order, every account a credit of the file may be paid to: number -> id."""
    numbers = sorted({e.account_numbers[0] for st in statements if st.balances_add_up()
                      for e in st.entries if e.is_credit and e.amount.currency == currency
                      and len(e.account_numbers) == 1})
    found = store.account_ids(s, numbers)
    store.lock_accounts(s, sorted(account_id for account_id, _ in found))
    return {number: account_id for account_id, number in found}


def _existing_keys(s: Session, statements: tuple[BankStatement, ...]) -> set[str]:
    return store.existing_line_keys(s, [e.key for st in statements for e in st.entries])


def _statement_row(s: Session, actor: Actor, st: BankStatement, name: str,
                   summary: _Tally) -> tuple[int, bool]:
    """(statement id, stored now?): an overlapping or repeated statement is found again."""
    ref = st.statement_id[:64] or "-"
    account = st.account[:64] or "-"
    found = store.statement_id(s, account, ref)
    if found is not None:
        summary.statements_seen += 1
        return found, False
    sid = store.insert_statement(
        s, bank_account=account, statement_ref=ref, file_name=name[:400], currency=st.currency,
        opening_minor=_minor_in(st.opening, st.currency),
        closing_minor=_minor_in(st.closing, st.currency), user_id=actor.user_id)
    summary.statements_new += 1
    return sid, True


def _minor_in(balance: Money | None, currency: str) -> int | None:
    """A balance as stored with its statement: only in the statement's currency (the row
    has one currency; a balance in another is kept in the audit entry instead)."""
    return balance.minor if balance is not None and balance.currency == currency else None


def _audit_statement(s: Session, actor: Actor, statement_id: int, st: BankStatement,
                     name: str) -> None:
    after: dict[str, object] = {
        "account": st.account[:64], "ref": st.statement_id[:64], "file": name,
        "currency": st.currency, "entries": len(st.entries),
        "opening": _money(st.opening), "closing": _money(st.closing)}
    fault = st.balance_fault()
    if fault is None:
        audit.record(s, actor, "bank.statement", "bank_statement", statement_id, after=after)
        return
    after.update(accepted_unbalanced=True, fault=fault,
                 expected_closing=_money(st.expected_closing()),
                 stated_closing=_money(st.closing), lines_to_review=len(st.entries))
    audit.record(s, actor, "bank.statement.unbalanced", "bank_statement", statement_id,
                 after=after)


def _store(s: Session, actor: Actor, statements: tuple[BankStatement, ...], name: str,
           summary: _Tally, task: TaskState | None) -> None:
    currency = utility_currency(s)
    known = _lock_accounts(s, statements, currency)
    existing = _existing_keys(s, statements)
    new_statements: list[tuple[int, BankStatement]] = []
    total = len(statements)
    for number, st in enumerate(statements):
        if task is not None:  # between statements: a cancel rolls the whole file back
            task.report(number, total, f"{name}: statement {number + 1} of {total}")
            task.check_cancelled()
        statement_id, is_new = _statement_row(s, actor, st, name, summary)
        unbalanced = None if st.balances_add_up() else unbalanced_reason(st)
        if is_new:
            new_statements.append((statement_id, st))
            summary.unbalanced += int(unbalanced is not None)
        for entry in st.entries:
            if entry.key in existing:
                summary.lines_skipped += 1
                continue
            existing.add(entry.key)
            _store_line(s, actor, statement_id, entry, currency, known, summary, unbalanced)
    for statement_id, st in new_statements:  # last: the audit head stays locked to commit
        _audit_statement(s, actor, statement_id, st, name)


def _store_line(s: Session, actor: Actor, statement_id: int, entry: StatementEntry,
                currency: str, known: dict[str, int], summary: _Tally,
                unbalanced: str | None) -> None:
    """Store one line: paid, to review or ignored (``unbalanced``: always to review)."""
    reason = unbalanced or review_reason(entry, currency, known)
    account_id: int | None = None
    payment_id: int | None = None
    if unbalanced is None and not entry.is_credit:
        status = "ignored"
        summary.ignored += 1
    elif reason is not None:
        status = "review"
        summary.review += 1
        summary.foreign += int(entry.amount.currency != currency)
    else:
        number = entry.account_numbers[0]
        account_id = known[number]
        payment_id, receipt = post_bank_credit(
            s, actor, entry.key, number, entry, entry.amount,
            entry.reference or entry.bank_reference or entry.remittance)
        status = "matched"
        summary.matched += 1
        summary.receipts.append(receipt)
    store.insert_line(
        s, statement_id=statement_id, line_key=entry.key, booked_on=entry.booking_date,
        amount_minor=entry.amount.minor, currency=entry.amount.currency,
        reference=line_text(entry), status=status,
        review_reason=None if reason is None else reason[:200],
        account_id=account_id, payment_id=payment_id)
    summary.lines_new += 1


def store_statements(db: Database, actor: Actor, statements: tuple[BankStatement, ...],
                     name: str, *, accept_unbalanced: bool = False,
                     task: TaskState | None = None) -> ImportSummary:
    """Store parsed (validated) statements in one transaction; again adds nothing.

    A statement whose balances disagree is refused unless ``accept_unbalanced``; with it,
    the override is audited and every line of that statement goes to review.
    ``task`` hears of each statement and may cancel between statements: the file is one
    transaction, so a cancel (:class:`~ebs_desktop.services.progress.TaskCancelled`)
    stores nothing of it.
    """
    require(actor, "bank.import")
    if not accept_unbalanced:
        for number, st in enumerate(statements, start=1):
            check_balances(st, f"statement {number} ({st.statement_id[:35]})")
    for _attempt in range(2):
        summary = _Tally()
        try:
            with db.write() as s:
                _store(s, actor, statements, name, summary, task)
            if task is not None:
                task.report(len(statements), len(statements), f"{name}: stored")
            return summary.frozen()
        except IntegrityError:
            continue  # another import stored the same lines meanwhile: read them back
    raise ConflictError(f"{name}: another import of the same statements is running; "
                        "try again when it has finished")


def import_statement(db: Database, actor: Actor, data: bytes, name: str, *,
                     accept_unbalanced: bool = False,
                     task: TaskState | None = None) -> ImportSummary:
    """Import every statement in a file, all or nothing; importing it again adds nothing.

    ``accept_unbalanced`` is the explicit override for statements whose balances disagree
    with their entries (see the module notes); every other fault still refuses the file.
    """
    require(actor, "bank.import")
    statements = parse_statement_file(data, name, check_balances=not accept_unbalanced)
    return store_statements(db, actor, statements, name, accept_unbalanced=accept_unbalanced,
                            task=task)


def import_statement_file(db: Database, actor: Actor, path: Path, *,
                          accept_unbalanced: bool = False,
                          task: TaskState | None = None) -> ImportSummary:
    require(actor, "bank.import")  # before the file is looked at
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"cannot read the statement: {exc.strerror}",
                              location=str(path)) from None
    return import_statement(db, actor, data, path.name, accept_unbalanced=accept_unbalanced,
                            task=task)
