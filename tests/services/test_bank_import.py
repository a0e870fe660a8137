"""Bank statements: stored once, credits with a valid account number paid, the rest reviewed."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ebs_desktop.domain.bankstatements import UnbalancedStatement, parse_statement_file
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, Money
from ebs_desktop.errors import ConflictError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    AuditEntry,
    BankLine,
    BankStatement,
    Payment,
    PaymentTender,
    Receipt,
)
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.bank import assign_line, ignore_line, import_statement, review_lines
from ebs_desktop.services.bank.importer import import_statement_file, store_statements
from ebs_desktop.services.settings import set_settings
from tests.books_check import books_problems
from tests.conformance import conformance_dir
from tests.support.counter_scratch import Scratch, seed_counter_scratch

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
STATEMENTS = REFERENCE / "bank-statements"


def camt053(entries: list[tuple[str, str, str]], stmt_id: str = "STMT-2025-001",
            currency: str = "EUR", closing: Decimal | None = None) -> bytes:
    """A camt.053.001.02 statement with one booked entry per (amount, CRDT/DBIT, text).

    The closing balance is the opening (0) plus the entries, as a bank's would be, unless
    ``closing`` says otherwise."""
    if closing is None:
        closing = sum((Decimal(a) if side == "CRDT" else -Decimal(a)
                       for a, side, _ in entries), Decimal(0))
    ntry = "".join(
        f"<Ntry><Amt Ccy=\"{currency}\">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd>"
        f"<Sts>BOOK</Sts><BookgDt><Dt>2025-03-0{i + 1}</Dt></BookgDt>"
        f"<ValDt><Dt>2025-03-0{i + 1}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>E2E-{i}</EndToEndId></Refs>"
        f"<RmtInf><Ustrd>{remit}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for i, (amount, side, remit) in enumerate(entries))
    return (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-03-10T10:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{stmt_id}</Id><CreDtTm>2025-03-10T10:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>{currency}</Ccy></Acct>"
        f"<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"{currency}\">0</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-01</Dt></Dt></Bal>"
        f"<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"{currency}\">"
        f"{abs(closing)}</Amt><CdtDbtInd>{'CRDT' if closing >= 0 else 'DBIT'}</CdtDbtInd>"
        "<Dt><Dt>2025-03-09</Dt></Dt></Bal>"
        f"{ntry}</Stmt></BkToCstmrStmt></Document>").encode()


@pytest.fixture
def bank(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3, with_users=False)
    with db.write() as s:
        set_settings(s, currency="EUR")  # the reference statements are in euros
    return scratch, Actor(None, "bea", frozenset({"billing"}))


def counts(db: Database) -> tuple[int, ...]:
    """Statements, lines, payments, receipts and audit entries."""
    with db.read() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(model)) or 0)
                     for model in (BankStatement, BankLine, Payment, Receipt, AuditEntry))


@pytest.mark.parametrize("name", ["mt940_jejik_rabobank-iban.sta",
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


def test_rabobank_debits_are_ignored_and_camt_credits_go_to_review(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    _, actor = bank
    rabo = import_statement_file(db, actor, STATEMENTS / "mt940_jejik_rabobank-iban.sta")
    assert rabo.statements_new == 2 and rabo.review == 0 and rabo.ignored == rabo.lines_new
    camt = import_statement_file(db, actor, STATEMENTS / "camt053_genkgo_v2_multi_statement.xml")
    assert camt.review == 1
    (line,) = review_lines(db, actor)
    assert (line.amount, line.reason) == (Money(885, "EUR"), "no account number in the reference")


@pytest.mark.parametrize("name", ["mt940_jejik_abnamro.sta",
                                  "mt940_betterplace_sepa_snippet.sta"])
def test_statement_whose_balances_do_not_add_up_stores_nothing(
        db: Database, bank: tuple[Scratch, Actor], name: str) -> None:
    _, actor = bank
    before = counts(db)
    with pytest.raises(ValidationError, match="balances do not add up"):
        import_statement_file(db, actor, STATEMENTS / name)
    assert counts(db) == before
    summary = import_statement_file(db, actor, STATEMENTS / name, accept_unbalanced=True)
    unbalanced = {"mt940_jejik_abnamro.sta": 2, "mt940_betterplace_sepa_snippet.sta": 1}
    assert (summary.unbalanced, summary.matched) == (unbalanced[name], 0)


# -- the balances override: imported, audited, every line to review (both backends) -------
def audits(db: Database, action: str) -> list[dict[str, object]]:
    with db.read() as s:
        return [json.loads(e.after or "{}") for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]


def test_unbalanced_statement_is_refused_then_imported_on_the_override_all_to_review(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    """Without the override nothing is stored; with it nothing is paid automatically."""
    scratch, actor = bank
    acct = scratch.account_numbers[0]
    data = camt053([("45.50", "CRDT", f"Electricity acc {acct} March"),
                    ("2.50", "DBIT", "Bank fee")], closing=Decimal("60.00"))  # 43.00 adds up
    before = counts(db)
    with pytest.raises(UnbalancedStatement, match="balances do not add up: opening 0.00 "
                       r"\+ 2 entries 43.00 = 43.00 EUR, but the closing balance is 60.00"):
        import_statement(db, actor, data, "u.xml")
    assert counts(db) == before
    summary = import_statement(db, actor, data, "u.xml", accept_unbalanced=True)
    assert (summary.unbalanced, summary.matched, summary.review, summary.ignored) == (1, 0, 2, 0)
    assert counts(db)[2] == 0  # no payment: the credit naming an account was not posted
    credit, debit = review_lines(db, actor)
    reason = ("the statement's balances do not add up (closing: expected EUR 43.00, stated "
              "EUR 60.00): check the line with the bank")
    assert (credit.reason, debit.reason) == (reason, reason)
    assert (credit.amount, debit.amount) == (Money(4550, "EUR"), Money(-250, "EUR"))
    (audited,) = audits(db, "bank.statement.unbalanced")
    assert audited["accepted_unbalanced"] is True and audited["lines_to_review"] == 2
    assert (audited["expected_closing"], audited["stated_closing"]) == ("EUR 43.00",
                                                                        "EUR 60.00")
    assert audits(db, "bank.statement") == []
    with db.read() as s:
        assert s.scalars(select(BankStatement.closing_minor)).one() == 6000
    # a person decides: the credit is assigned as any review line, the fee ignored
    assert assign_line(db, actor, credit.line_id, acct).amount == Money(4550, "EUR")
    ignore_line(db, actor, debit.line_id, "bank fee, checked with the bank")
    assert review_lines(db, actor) == []
    again = import_statement(db, actor, data, "u.xml", accept_unbalanced=True)
    assert (again.lines_new, again.unbalanced, again.statements_seen) == (0, 0, 1)
    assert books_problems(db) == []


def test_store_statements_refuses_unbalanced_statements_without_the_override(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    _, actor = bank
    data = camt053([("45.50", "CRDT", "no number")], closing=Decimal("1.00"))
    statements = parse_statement_file(data, "u.xml", check_balances=False)
    before = counts(db)
    with pytest.raises(UnbalancedStatement):
        store_statements(db, actor, statements, "u.xml")
    assert counts(db) == before


def test_oca_camt_is_imported_on_the_override_with_its_entries_summing_to_minus_12_99(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    """Issue 17, point 15: opening 15568.27, entries -12.99, closing 15121.12."""
    _, actor = bank
    path = conformance_dir("camt053") / (
        "oca__account_statement_import_camt_test_files_test-camt053.xml")
    with pytest.raises(UnbalancedStatement, match=r"test-camt053\.xml:7"):
        import_statement_file(db, actor, path)
    summary = import_statement_file(db, actor, path, accept_unbalanced=True)
    assert (summary.unbalanced, summary.matched) == (1, 0)
    assert summary.review == summary.lines_new > 0
    with db.read() as s:
        assert s.scalar(select(func.sum(BankLine.amount_minor))) == -1299
        assert set(s.scalars(select(BankLine.status))) == {"review"}
    (audited,) = audits(db, "bank.statement.unbalanced")
    assert (audited["expected_closing"], audited["stated_closing"]) == (
        "EUR 15555.28", "EUR 15121.12")


def test_balance_in_another_currency_is_audited_not_stored_as_the_statement_currency(
        db: Database, usd_bank: tuple[Scratch, Actor]) -> None:
    """genkgo's EUR statement with a SEK closing balance, for a utility booking USD."""
    _, actor = usd_bank
    path = conformance_dir("camt053") / "genkgo__camt053.v2.minimal.xml"
    with pytest.raises(UnbalancedStatement, match="closing balance is in SEK"):
        import_statement_file(db, actor, path)
    summary = import_statement_file(db, actor, path, accept_unbalanced=True)
    assert (summary.unbalanced, summary.review, summary.foreign) == (1, 1, 1)
    with db.read() as s:
        row = s.scalars(select(BankStatement)).one()
        assert (row.currency, row.opening_minor, row.closing_minor) == ("EUR", 1815, None)
    (audited,) = audits(db, "bank.statement.unbalanced")
    assert (audited["expected_closing"], audited["stated_closing"]) == ("EUR 27.00",
                                                                        "SEK -27.00")
    (line,) = review_lines(db, actor)
    assert line.reason.startswith("in EUR, not the utility's USD")
    assert "the statement's balances do not add up" in line.reason


def test_credit_with_account_number_becomes_a_payment(db: Database,
                                                      bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = bank
    acct = scratch.account_numbers[0]
    data = camt053([("45.50", "CRDT", f"Electricity acc {acct} March"),
                    ("12.00", "CRDT", "Electricity for my mother"),
                    ("2.50", "DBIT", "Bank fee")])
    summary = import_statement(db, actor, data, "march.xml")
    assert (summary.matched, summary.review, summary.ignored) == (1, 1, 1)
    assert summary.receipts == ("BANK-2025-000001",)
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


# -- issue 17, point 1: a line keeps its currency; another currency is reviewed --------------
@pytest.fixture
def usd_bank(db: Database) -> tuple[Scratch, Actor]:
    scratch = seed_counter_scratch(db, 3, with_users=False)  # the utility books USD
    return scratch, Actor(None, "bea", frozenset({"billing"}))


@pytest.mark.parametrize(("currency", "amount", "shown", "minor"), [
    ("KWD", "45.500", "45.500", 45500), ("JPY", "4550", "4550", 4550),
    ("EUR", "45.50", "45.50", 4550)])
def test_foreign_line_keeps_its_currency_and_goes_to_review(
        db: Database, usd_bank: tuple[Scratch, Actor], currency: str, amount: str, shown: str,
        minor: int) -> None:
    """KWD 45.500 was shown and posted as USD 455.00, JPY 4550 as USD 45.50."""
    scratch, actor = usd_bank
    acct = scratch.account_numbers[0]
    summary = import_statement(db, actor, camt053([(amount, "CRDT", f"acc {acct}")],
                                                  currency=currency), "f.xml")
    (line,) = review_lines(db, actor)
    assert (line.amount, str(line.amount)) == (Money(minor, currency), shown)
    assert (summary.matched, summary.review, summary.foreign, line.foreign) == (0, 1, 1, True)
    assert line.reason.startswith(f"in {currency}, not the utility's USD")
    assert line.to_json()["currency"] == currency and line.to_json()["amount"] == shown
    with db.read() as s:
        row = s.scalars(select(BankLine)).one()
        statement = s.scalars(select(BankStatement)).one()
        assert (row.amount_minor, row.currency, statement.currency) == (minor, currency, currency)
        assert s.scalar(select(func.count()).select_from(Payment)) == 0


def test_foreign_line_is_assigned_with_amount_and_rate_audited(
        db: Database, usd_bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = usd_bank
    acct = scratch.account_numbers[1]
    import_statement(db, actor, camt053([("45.500", "CRDT", "family transfer")],
                                        currency="KWD"), "k.xml")
    (line,) = review_lines(db, actor)
    with pytest.raises(ValidationError, match="give the amount received in USD and the rate"):
        assign_line(db, actor, line.line_id, acct)
    with pytest.raises(ValidationError, match=r"KWD 45\.500 x 3\.2535 = USD 148\.03425, not "
                                              r"148\.05"):
        assign_line(db, actor, line.line_id, acct, amount="148.05", rate="3.2535")
    with pytest.raises(ValidationError, match="not a number"):
        assign_line(db, actor, line.line_id, acct, amount="148.03", rate="three")
    with pytest.raises(ValidationError, match="beyond the ceiling"):
        assign_line(db, actor, line.line_id, acct, amount="1e999999999", rate="3")
    assert counts(db)[2] == 0  # nothing posted by the refusals
    result = assign_line(db, actor, line.line_id, acct, amount="148.03", rate="3.2535")
    assert result.amount == Money(14803, "USD")
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "bank.assign")).one()
        after = json.loads(entry.after or "{}")
        assert after == {"account": acct, "payment": result.payment_id, "amount": "148.03",
                         "currency": "USD", "original_amount": "45.500",
                         "original_currency": "KWD", "rate": "3.2535"}
        tender = s.scalars(select(PaymentTender)).one()
        assert tender.reference is not None and tender.reference.startswith("KWD 45.500 @ 3.2535")
    assert review_lines(db, actor) == []
    assert books_problems(db) == []


def test_line_in_the_utility_currency_takes_no_amount_or_rate(
        db: Database, usd_bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = usd_bank
    import_statement(db, actor, camt053([("20.00", "CRDT", "no number")], currency="USD"),
                     "u.xml")
    (line,) = review_lines(db, actor)
    assert (line.foreign, line.reason) == (False, "no account number in the reference")
    with pytest.raises(ValidationError, match="without an amount or a rate"):
        assign_line(db, actor, line.line_id, scratch.account_numbers[0], amount="20.00",
                    rate="1")
    assert assign_line(db, actor, line.line_id, scratch.account_numbers[0]).amount == Money(
        2000, "USD")


# -- issue 17, point 3: a file is stored whole or not at all ------------------------------
def test_amount_beyond_the_ceiling_leaves_no_statement_row_or_audit_entry(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    """Before: the statement row and its audit entry were committed, the line failed."""
    scratch, actor = bank
    data = camt053([("45.50", "CRDT", f"acc {scratch.account_numbers[0]}"),
                    ("99999999999999999999.99", "CRDT", "huge")])
    before = counts(db)
    with pytest.raises(ValidationError, match="beyond the ceiling") as exc:
        import_statement(db, actor, data, "huge.xml")
    assert exc.value.location is not None and exc.value.location.startswith("huge.xml:")
    assert counts(db) == before


def test_a_failure_while_storing_rolls_the_whole_file_back(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    """A line the database refuses after a payment was posted: nothing of the file stays."""
    scratch, actor = bank
    good = parse_statement_file(camt053([("45.50", "CRDT",
                                          f"acc {scratch.account_numbers[0]}")]), "g.xml")
    (st,) = good
    # beyond a single amount's ceiling, which only the database's CHECK still refuses here
    too_big = replace(st.entries[0], amount=Money(MAX_AMOUNT_MINOR + 1, "EUR"), key="k" * 32)
    broken = (replace(st, entries=(st.entries[0], too_big)),)  # past the parser's checks
    before = counts(db)
    with pytest.raises(Exception):  # noqa: B017 - the database's own CHECK
        store_statements(db, actor, broken, "broken.xml")
    assert counts(db) == before
    summary = store_statements(db, actor, good, "g.xml")  # the receipt number was not used
    assert summary.receipts == ("BANK-2025-000001",)


# -- any file: imported, or refused with the database unchanged (both backends) -----------
SAMPLE = (":20:FUZZ\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C250301EUR100,00\n"
          ":61:2503020302CR45,50NTRFNONREF//B1\n:86:/REMI/acc {acct} March\n"
          ":61:2503030303D5,00NMSCNONREF\n:86:fee\x01\n:62F:C250303EUR140,50\n")


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**4), st.integers(0, 3),
                          st.sampled_from(["\x00", "9", ",", "D", ":61:", "\n", "é", "KWD",
                                           "\ud800", "0230", "//", "", "acc 200000018"])),
                max_size=3), st.booleans())
def test_any_mutation_is_imported_or_refused_with_nothing_stored(
        db: Database, bank: tuple[Scratch, Actor], edits: list[tuple[int, int, str]],
        accept_unbalanced: bool) -> None:
    scratch, actor = bank
    text = SAMPLE.format(acct=scratch.account_numbers[0])
    for position, length, piece in edits:
        at = position % (len(text) + 1)
        text = text[:at] + piece + text[at + length:]
    before = counts(db)
    try:
        summary = import_statement(db, actor, text.encode("utf-8", "surrogatepass"),
                                   "fuzz.sta", accept_unbalanced=accept_unbalanced)
    except ValidationError as exc:
        assert exc.location is not None and exc.location.startswith("fuzz.sta:")
        assert counts(db) == before
    else:
        assert summary.matched == 0 or summary.unbalanced == 0  # never paid unbalanced
    assert books_problems(db) == []


def test_the_same_file_imported_at_once_by_four_clerks_is_stored_once(
        db: Database, bank: tuple[Scratch, Actor]) -> None:
    scratch, actor = bank
    data = camt053([("45.50", "CRDT", f"acc {scratch.account_numbers[0]}"),
                    ("12.00", "CRDT", "no number")], stmt_id="RACE")
    with ThreadPoolExecutor(4) as pool:
        summaries = list(pool.map(lambda _: import_statement(db, actor, data, "race.xml"),
                                  range(4)))
    assert sorted(s.lines_new for s in summaries) == [0, 0, 0, 2]
    assert sum(s.statements_new for s in summaries) == 1
    assert counts(db)[:3] == (1, 2, 1)
    assert books_problems(db) == []
