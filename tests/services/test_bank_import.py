"""Bank statements: stored once, credits with a valid account number paid, the rest reviewed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ebs_desktop.errors import ConflictError, PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import BankLine, BankStatement, Payment
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.bank import assign_line, ignore_line, import_statement, review_lines
from ebs_desktop.services.bank.importer import import_statement_file
from ebs_desktop.services.counter.checks import books_problems
from ebs_desktop.services.counter.scratch import Scratch, seed_counter_scratch
from ebs_desktop.services.settings import set_settings

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
STATEMENTS = REFERENCE / "bank-statements"


def camt053(entries: list[tuple[str, str, str]], stmt_id: str = "STMT-2025-001") -> bytes:
    """A camt.053.001.02 statement with one booked entry per (amount, CRDT/DBIT, text)."""
    ntry = "".join(
        f"<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>2025-03-0{i + 1}</Dt></BookgDt><ValDt><Dt>2025-03-0{i + 1}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>"
        f"<RmtInf><Ustrd>{remit}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for i, (amount, side, remit) in enumerate(entries))
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-03-10T10:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{stmt_id}</Id><CreDtTm>2025-03-10T10:00:00</CreDtTm>"
        "<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-01</Dt></Dt></Bal>"
        "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-09</Dt></Dt></Bal>"
        f"{ntry}</Stmt></BkToCstmrStmt></Document>").encode()


@pytest.fixture
def bank(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3, with_users=False)
    with db.write() as s:
        set_settings(s, currency="EUR")  # the reference statements are in euros
    return scratch, Actor(None, "bea", frozenset({"billing"}))


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (int(s.scalar(select(func.count()).select_from(BankStatement)) or 0),
                int(s.scalar(select(func.count()).select_from(BankLine)) or 0),
                int(s.scalar(select(func.count()).select_from(Payment)) or 0))


@pytest.mark.parametrize("name", ["mt940_jejik_rabobank-iban.sta", "mt940_jejik_abnamro.sta",
                                  "mt940_betterplace_sepa_snippet.sta",
                                  "camt053_genkgo_v2_multi_statement.xml"])
def test_reference_statements_import_once(db: Database, bank: tuple[Scratch, Actor],
                                          name: str) -> None:
    _, actor = bank
    first = import_statement_file(db, actor, STATEMENTS / name)
    assert first.statements_new >= 1 and first.lines_new > 0
    assert first.matched == 0  # no customer of ours is named in these references
    assert first.review + first.ignored == first.lines_new
    before = counts(db)
    again = import_statement_file(db, actor, STATEMENTS / name)
    assert (again.statements_new, again.lines_new) == (0, 0)
    assert again.lines_skipped == first.lines_new
    assert counts(db) == before


def test_rabobank_debits_are_ignored_and_betterplace_credits_go_to_review(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    _, actor = bank
    rabo = import_statement_file(db, actor, STATEMENTS / "mt940_jejik_rabobank-iban.sta")
    assert rabo.statements_new == 2 and rabo.review == 0 and rabo.ignored == rabo.lines_new
    better = import_statement_file(db, actor, STATEMENTS / "mt940_betterplace_sepa_snippet.sta")
    assert better.review > 0
    lines = review_lines(db, actor)
    assert any(str(line.amount) == "50990.05" for line in lines)
    assert all(line.amount.minor > 0 for line in lines)


def test_credit_with_account_number_becomes_a_payment(db: Database,
                                                      bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = bank
    acct = scratch.account_numbers[0]
    data = camt053([("45.50", "CRDT", f"Electricity acc {acct} March"),
                    ("12.00", "CRDT", "Electricity for my mother"),
                    ("2.50", "DBIT", "Bank fee")])
    summary = import_statement(db, actor, data, "march.xml")
    assert (summary.matched, summary.review, summary.ignored) == (1, 1, 1)
    assert summary.receipts == ["BANK-2025-000001"]
    with db.read() as s:
        pay = s.scalars(select(Payment)).one()
        line = s.scalars(select(BankLine).where(BankLine.status == "matched")).one()
        assert (pay.channel, pay.shift_id, pay.amount_minor) == ("bank", None, 4550)
        assert line.payment_id == pay.id
    again = import_statement(db, actor, data, "march-copy.xml")
    assert (again.lines_new, again.matched) == (0, 0)
    assert counts(db)[2] == 1
    assert books_problems(db) == []


def test_review_line_is_assigned_once(db: Database, bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = bank
    import_statement(db, actor, camt053([("20.00", "CRDT", "no number here"),
                                         ("5.00", "CRDT", "test transfer")]), "a.xml")
    first, second = review_lines(db, actor)
    result = assign_line(db, actor, first.line_id, scratch.account_numbers[1])
    assert result.amount.minor == 2000 and result.balance.minor == 9100 - 2000
    with pytest.raises(ConflictError, match="assigned"):
        assign_line(db, actor, first.line_id, scratch.account_numbers[2])
    ignore_line(db, actor, second.line_id, "our own test transfer")
    assert review_lines(db, actor) == []
    with pytest.raises(PermissionDenied):
        review_lines(db, Actor(None, "carl", frozenset({"clerk"})))
    assert books_problems(db) == []
    assert date(2025, 3, 1) <= first.booked_on


def test_ambiguous_or_unknown_account_numbers_go_to_review(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    scratch, _ = bank
    a, b, _ = scratch.account_numbers
    summary = import_statement(db, system_actor(), camt053([
        ("10.00", "CRDT", f"for {a} and {b}"), ("10.00", "CRDT", "acc 100000011")]), "x.xml")
    assert (summary.matched, summary.review) == (0, 2)
