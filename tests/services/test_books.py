"""The books check: a sound demo passes; each kind of corruption is caught and named."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.billing.corrections import cancel_bill
from ebs_desktop.services.books import BooksReport, check_books, ranges
from ebs_desktop.services.counter import open_shift, reverse_payment
from ebs_desktop.services.demo import build_demo

ADMIN = system_actor("books-test")


def _utility(db: Database) -> None:
    """A small demo with every kind of document: bills, counter and bank payments,
    receipts, a credit note and a reversal (with its own receipt)."""
    build_demo(db, customers=20, months=3, until="2026-06", seed=3)
    with db.read() as s:
        bill = s.scalar(text("SELECT bill_number FROM bills ORDER BY id LIMIT 1"))
        receipt = s.scalar(text("SELECT number FROM receipts WHERE kind = 'payment'"
                                " ORDER BY id LIMIT 1"))
    cancel_bill(db, ADMIN, str(bill), "meter misread")
    clerk = login(db, "clerk", "clerk-demo")  # a reversal pays out of the clerk's drawer
    open_shift(db, clerk, "C01", Money(100000, "USD"))
    reverse_payment(db, clerk, str(receipt), "posted to the wrong account", "manager",
                    "manager-demo")


def _one(s: Session, sql: str) -> object:
    return s.execute(text(sql)).scalar_one()


def test_a_sound_utility_passes(db: Database) -> None:
    _utility(db)
    report = check_books(db, ADMIN)
    assert report.ok, report.problems
    codes = {s.code for s in report.series}
    assert {"BILL-2026", "CN-" + str(_year_of_credit_note(db))} <= codes
    assert any(c.startswith("C01-") for c in codes)
    assert report.journals > 0 and report.entries > report.journals
    assert report.accounts == 20 and report.audit_entries > 0
    assert report.summary().startswith("books balanced: ")


def _year_of_credit_note(db: Database) -> int:
    with db.read() as s:
        return int(str(_one(s, "SELECT number FROM credit_notes"))[1:5])


def test_only_roles_that_answer_for_the_books_may_check_them(db: Database) -> None:
    for role in ("manager", "billing", "admin"):
        assert check_books(db, Actor(None, role, frozenset({role}))).ok
    for role in ("clerk", "reader"):
        with pytest.raises(PermissionDenied):
            check_books(db, Actor(None, role, frozenset({role})))


# -- corruptions: (name, SQL-making function returning (statements, expected subject,
#    expected words in the message)) ---------------------------------------------------------

Corruption = Callable[[Session], tuple[list[str], str, str]]


def _unbalanced_journal(s: Session) -> tuple[list[str], str, str]:
    j = _one(s, "SELECT MIN(id) FROM journals WHERE kind = 'payment'")
    return ([f"INSERT INTO ledger_entries (journal_id, gl_code, amount_minor, entry_date)"
             f" VALUES ({j}, 'CASH', 1, '2026-06-01')"], f"journal {j}", "does not balance")


def _balance_off_by_one(s: Session) -> tuple[list[str], str, str]:
    number = _one(s, "SELECT MAX(account_number) FROM accounts")
    return ([f"UPDATE accounts SET balance_minor = balance_minor + 1"
             f" WHERE account_number = '{number}'"], f"account {number}", "cached balance")


def _deleted_receipt(s: Session) -> tuple[list[str], str, str]:
    rid, series = s.execute(text(
        "SELECT id, series FROM receipts WHERE seq = 3 ORDER BY id LIMIT 1")).one()
    return ([f"DELETE FROM print_jobs WHERE receipt_id = {rid}",
             f"DELETE FROM receipts WHERE id = {rid}"], f"series {series}",
            "1 number(s) missing: 3")


def _deleted_last_receipt(s: Session) -> tuple[list[str], str, str]:
    rid, series, seq = s.execute(text(
        "SELECT id, series, seq FROM receipts ORDER BY seq DESC, id LIMIT 1")).one()
    return ([f"DELETE FROM print_jobs WHERE receipt_id = {rid}",
             f"DELETE FROM receipts WHERE id = {rid}"], f"series {series}",
            f"1 number(s) missing: {seq}; the series counter has given out {seq}")


def _bill_numbers_skipped(s: Session) -> tuple[list[str], str, str]:
    code, next_value = s.execute(text(
        "SELECT code, next_value FROM number_series WHERE code LIKE 'BILL-%'"
        " ORDER BY code DESC LIMIT 1")).one()
    return ([f"UPDATE number_series SET next_value = next_value + 2 WHERE code = '{code}'"],
            f"series {code}", f"2 number(s) missing: {next_value}-{next_value + 1}")


def _edited_audit_entry(s: Session) -> tuple[list[str], str, str]:
    return (["UPDATE audit_log SET actor = 'someone-else' WHERE id = 2"], "audit entry 2",
            "was edited")


def _run_total(s: Session) -> tuple[list[str], str, str]:
    run, period = s.execute(text("SELECT id, period FROM billing_runs ORDER BY id LIMIT 1")
                            ).one()
    return ([f"UPDATE billing_runs SET total_minor = total_minor - 1 WHERE id = {run}"],
            f"billing run {run} ({period})", "totalling")


def _bill_line(s: Session) -> tuple[list[str], str, str]:
    bill_id, number = s.execute(text("SELECT id, bill_number FROM bills ORDER BY id DESC"
                                     " LIMIT 1")).one()
    return ([f"UPDATE bill_lines SET amount_minor = amount_minor + 7 WHERE bill_id = {bill_id}"
             " AND seq = 1"], f"bill {number}", "its lines sum to")


def _bill_total(s: Session) -> tuple[list[str], str, str]:
    bill_id, number = s.execute(text("SELECT id, bill_number FROM bills ORDER BY id DESC"
                                     " LIMIT 1")).one()
    return ([f"UPDATE bills SET total_minor = total_minor + 100 WHERE id = {bill_id}"],
            f"bill {number}", "AR ledger entries sum to")


def _payment_amount(s: Session) -> tuple[list[str], str, str]:
    pid = _one(s, "SELECT MAX(id) FROM payments WHERE channel = 'counter'")
    return ([f"UPDATE payments SET amount_minor = amount_minor + 5 WHERE id = {pid}"],
            f"payment {pid}", "tenders sum to")


def _counted_cash(s: Session) -> tuple[list[str], str, str]:
    shift = _one(s, "SELECT MIN(id) FROM shifts")
    return ([f"INSERT INTO shift_counts (shift_id, tender, denomination_minor, quantity,"
             f" amount_minor) VALUES ({shift}, 'cash', 2000, 3, 6001)"],
            f"shift {shift} count", "3 x 2000 cash recorded as 6001")


def _payment_over_allocated(s: Session) -> tuple[list[str], str, str]:
    """A payment that allocated something also given its whole amount to another bill."""
    pid, amount, bill = s.execute(text(
        "SELECT p.id, p.amount_minor, b.id FROM payments p JOIN bills b"
        " ON b.account_id = p.account_id WHERE EXISTS (SELECT 1 FROM payment_allocations x"
        " WHERE x.payment_id = p.id AND x.reversal_id IS NULL AND x.amount_minor > 0)"
        " AND NOT EXISTS (SELECT 1 FROM payment_allocations x WHERE x.bill_id = b.id)"
        " ORDER BY p.id LIMIT 1")).one()
    return ([f"INSERT INTO payment_allocations (payment_id, bill_id, amount_minor)"
             f" VALUES ({pid}, {bill}, {amount})"], f"payment {pid}",
            f"amount {amount} but allocated")


def _bill_over_allocated(s: Session) -> tuple[list[str], str, str]:
    """A bill whose allocations were raised above its total."""
    aid, number, total = s.execute(text(
        "SELECT pa.id, b.bill_number, b.total_minor FROM payment_allocations pa"
        " JOIN bills b ON b.id = pa.bill_id WHERE NOT EXISTS (SELECT 1 FROM"
        " payment_reversals r WHERE r.payment_id = pa.payment_id) ORDER BY pa.id LIMIT 1")).one()
    return ([f"UPDATE payment_allocations SET amount_minor = amount_minor + {total}"
             f" WHERE id = {aid}"], f"bill {number}", "payment allocations sum to")


CORRUPTIONS: dict[str, Corruption] = {
    "unbalanced journal": _unbalanced_journal,
    "balance off by one": _balance_off_by_one,
    "deleted receipt number": _deleted_receipt,
    "deleted last receipt": _deleted_last_receipt,
    "bill numbers skipped": _bill_numbers_skipped,
    "edited audit entry": _edited_audit_entry,
    "billing run total": _run_total,
    "bill line": _bill_line,
    "bill total": _bill_total,
    "payment amount": _payment_amount,
    "counted cash": _counted_cash,
    "payment over-allocated": _payment_over_allocated,
    "bill over-allocated": _bill_over_allocated,
}


def _corrupt(db: Database, how: Corruption) -> tuple[str, str]:
    with db.read() as s:
        statements, subject, words = how(s)
    with db.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))
    return subject, words


def _named(report: BooksReport, subject: str, words: str) -> bool:
    return any(p.subject == subject and words in p.message for p in report.problems)


@pytest.mark.books_broken
@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_each_corruption_is_caught_and_named(db: Database, name: str) -> None:
    _utility(db)
    assert check_books(db, ADMIN).ok
    subject, words = _corrupt(db, CORRUPTIONS[name])
    report = check_books(db, ADMIN)
    assert not report.ok
    assert _named(report, subject, words), [str(p) for p in report.problems]
    assert report.summary().startswith("BOOKS DO NOT ADD UP")


def test_missing_numbers_read_as_ranges() -> None:
    assert ranges([9, 1, 2, 3, 7, 10]) == "1-3, 7, 9-10"
    assert ranges([]) == ""


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    """``ebs books check`` as the demo's manager (PostgreSQL needs a real user)."""
    result = CliRunner().invoke(cli, ["--db", url, "--user", "manager", "books", "check",
                                      *args], env={"EBS_PASSWORD": "manager-demo"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception)
    return result.exit_code, result.stdout, result.stderr


def test_cli_passes_a_sound_utility(db: Database, db_url: str) -> None:
    _utility(db)
    code, out, err = _cli(db_url)
    assert code == 0, err
    assert out.startswith("books balanced: ") and out.count("\n") == 1
    code, out, _ = _cli(db_url, "--json")
    data = json.loads(out)
    assert code == 0 and data["ok"] is True and data["problems"] == []


@pytest.mark.books_broken
def test_cli_names_every_problem_and_exits_1(db: Database, db_url: str) -> None:
    _utility(db)
    found = [_corrupt(db, CORRUPTIONS[n]) for n in
             ("unbalanced journal", "balance off by one", "deleted receipt number",
              "edited audit entry")]
    code, out, err = _cli(db_url)
    assert code == 1
    assert err.startswith("BOOKS DO NOT ADD UP")
    for subject, words in found:
        assert any(line.startswith(f"{subject}: ") and words in line
                   for line in out.splitlines()), (subject, out)
    code, out, _ = _cli(db_url, "--json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert {p["check"] for p in data["problems"]} >= {"journal", "balance", "series", "audit"}
