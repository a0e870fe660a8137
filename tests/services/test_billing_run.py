"""Billing run, corrections and export on both backends, over a small demo utility.

The demo (30 customers, readings from February, March to May billed by the same run)
is built once per test; June is read but not billed, so each test bills June itself.
"""

from __future__ import annotations

import csv
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.errors import ConflictError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AuditEntry,
    Bill,
    BillLine,
    CreditNote,
    LedgerEntry,
    Meter,
    MeterRegister,
    Reading,
)
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.corrections import cancel_bill, rebill
from ebs_desktop.services.billing.engine import bill_period
from ebs_desktop.services.billing.export import export_bills
from ebs_desktop.services.billing.pipeline import PricingHelper
from ebs_desktop.services.billing.run import RunCancelled, run_billing
from ebs_desktop.services.books import check_books
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.progress import Progress, TaskState
from ebs_desktop.services.readings import save_reading
from ebs_desktop.services.settings import get_settings
from ebs_desktop.services.tariffs import load_tariff

ACTOR = system_actor("test")
PERIOD = "2026-06"
ISSUE = date(2026, 7, 1)
CUSTOMERS = 30


@pytest.fixture
def utility(db: Database) -> Database:
    build_demo(db, customers=CUSTOMERS, months=4, until=PERIOD, seed=7)
    return db


def _count(db: Database, table: str) -> int:
    with db.read() as s:
        return int(s.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def _bills(db: Database, period: str) -> list[tuple[int, str, int, int]]:
    with db.read() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(Bill.account_id, Bill.bill_number, Bill.total_minor, Bill.revision)
            .where(Bill.period == period).order_by(Bill.bill_number))]


def _ledger_problems(db: Database) -> list[str]:
    with db.read() as s:
        unbalanced = s.execute(select(LedgerEntry.journal_id, func.sum(LedgerEntry.amount_minor))
                               .group_by(LedgerEntry.journal_id)
                               .having(func.sum(LedgerEntry.amount_minor) != 0)).all()
        ar = dict(s.execute(select(LedgerEntry.account_id, func.sum(LedgerEntry.amount_minor))
                            .where(LedgerEntry.gl_code == "AR")
                            .group_by(LedgerEntry.account_id)).all())
        wrong = [f"account {a}: balance {b} != AR {ar.get(a, 0)}"
                 for a, b in s.execute(select(Account.id, Account.balance_minor))
                 if int(ar.get(a, 0)) != b]
    return [f"journal {j} sums to {t}" for j, t in unbalanced] + wrong


def _cancel_after(batches: int) -> TaskState:
    """A task whose person presses Cancel once ``batches`` batches have been reported."""
    seen: list[Progress] = []

    def heard(progress: Progress) -> None:
        seen.append(progress)
        if len(seen) == batches:
            state.cancel()

    state = TaskState(heard)
    return state


def _gapless(numbers: list[str]) -> bool:
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    return seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_run_bills_every_account_once_and_rerun_creates_nothing(utility: Database) -> None:
    before = _bills(utility, "2026-05")
    assert len(before) == CUSTOMERS  # the demo billed May through the same run
    result = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=7)
    bills = _bills(utility, PERIOD)
    assert result.bills == len(bills) == CUSTOMERS
    assert len({b[0] for b in bills}) == CUSTOMERS
    assert sum(b[2] for b in bills) == result.total.minor > 0  # type: ignore[union-attr]
    every = [b[1] for p in ("2026-03", "2026-04", "2026-05", PERIOD) for b in _bills(utility, p)]
    assert _gapless(every)
    assert result.first_number == bills[0][1] and result.last_number == bills[-1][1]
    counts = {t: _count(utility, t) for t in ("bills", "bill_lines", "ledger_entries",
                                              "journals", "readings", "billing_runs")}
    again = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE)
    assert again.bills == 0 and again.accounts == 0
    assert {t: _count(utility, t) for t in counts} == counts
    assert _ledger_problems(utility) == []


def test_dry_run_writes_nothing_and_lists_exceptions(utility: Database) -> None:
    with utility.write() as s:  # account 4 (read on the 31st) loses its June reading
        s.execute(text("UPDATE readings SET status = 'superseded' WHERE read_on = '2026-06-30'"
                       " AND register_id IN (SELECT id FROM meter_registers WHERE meter_id = 4)"))
    tables = ("bills", "bill_lines", "ledger_entries", "journals", "readings", "billing_runs",
              "billing_exceptions", "audit_log", "number_series")
    counts = {t: _count(utility, t) for t in tables if _has_table(utility, t)}
    with utility.read() as s:
        series = s.execute(text("SELECT code, next_value FROM number_series ORDER BY code")).all()
    result = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, dry_run=True)
    assert result.bills == CUSTOMERS and result.run_id is None
    assert {t: _count(utility, t) for t in counts} == counts
    with utility.read() as s:
        assert s.execute(text("SELECT code, next_value FROM number_series ORDER BY code")
                         ).all() == series
    estimated = [e for e in result.exceptions if e.code == "estimated"]
    assert [e.account_id for e in estimated] == [4]
    assert estimated[0].account_number  # named for a person to look up
    real = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE)
    assert real.total == result.total and real.bills == result.bills


def _has_table(db: Database, name: str) -> bool:
    from sqlalchemy import inspect

    return name in inspect(db.engine).get_table_names()


def test_racing_runs_bill_each_account_once(utility: Database) -> None:
    results = []
    errors: list[BaseException] = []

    def go() -> None:
        try:
            results.append(run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=4,
                                       workers=0))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    bills = _bills(utility, PERIOD)
    assert len(bills) == CUSTOMERS == len({b[0] for b in bills})
    assert sum(r.bills for r in results) == CUSTOMERS
    assert _gapless([b[1] for p in ("2026-05", PERIOD) for b in _bills(utility, p)])
    assert _ledger_problems(utility) == []


def test_estimate_then_true_up_on_next_actual_reading(utility: Database) -> None:
    with utility.read() as s:  # a residential account read on the 31st (cycle C1)
        acc = s.execute(select(Account.id).where(Account.category == "residential",
                                                 Account.id % 3 != 0).order_by(Account.id)
                        ).scalars().first()
        serial = s.execute(select(Meter.serial).where(Meter.id == acc)).scalar_one()
        reg = s.execute(select(MeterRegister.id).where(MeterRegister.meter_id == acc,
                                                       MeterRegister.code == "kwh")).scalar_one()
        may = s.execute(select(Reading.value).where(Reading.register_id == reg,
                                                    Reading.read_on == date(2026, 5, 31))
                        ).scalar_one()
    with utility.write() as s:
        s.execute(text("UPDATE readings SET status = 'superseded' WHERE read_on > '2026-05-31'"
                       f" AND register_id = {reg}"))
    run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE)
    with utility.read() as s:
        june = s.execute(select(Bill.estimated, Bill.consumption_kwh).where(
            Bill.account_id == acc, Bill.period == PERIOD)).one()
        est = s.execute(select(Reading.value, Reading.consumption, Reading.source).where(
            Reading.register_id == reg, Reading.read_on == date(2026, 6, 30),
            Reading.status != "superseded")).one()
    assert june.estimated and est.source == "estimated" and june.consumption_kwh > 0
    assert est.value == may + est.consumption == may + june.consumption_kwh
    actual_july = est.value + Decimal("123.456")
    saved = save_reading(utility, ACTOR, serial, "kwh", date(2026, 7, 31), actual_july,
                         confirm=True, today=date(2026, 8, 1))
    assert saved.consumption == Decimal("123.456")  # consumption since the estimate
    run_billing(utility, ACTOR, "2026-07", issue_date=date(2026, 8, 1))
    with utility.read() as s:
        july = s.execute(select(Bill.estimated, Bill.consumption_kwh).where(
            Bill.account_id == acc, Bill.period == "2026-07")).one()
    assert not july.estimated
    # true-up: June's estimate plus July's bill cover exactly what the meter measured
    assert june.consumption_kwh + july.consumption_kwh == actual_july - may


def test_run_agrees_with_bill_calc(utility: Database) -> None:
    """First bills (March: no arrears, no rebate) of flat-tariff accounts recomputed with
    the pure calculation ``ebs bill-calc`` uses: same lines, same total."""
    checked = 0
    with utility.read() as s:
        currency = get_settings(s).currency
        tariff = load_tariff(s, "RES-1")
        step = get_settings(s).cash_step_money
        rows = s.execute(select(Bill, Account.category).join(Account)
                         .where(Bill.period == "2026-03", Account.tariff_id == select(
                             text("id FROM tariffs WHERE code = 'RES-1'")).scalar_subquery()))
        for bill, category in rows:
            kwh = Decimal(int(bill.consumption_kwh * 1000)) / 1000  # as typed: 226.66
            calc = calculate_bill(tariff.versions, bill.period_start, bill.period_end,
                                  Usage(kwh), AccountFacts(category=category), currency, step)
            stored = [(x.code, x.description, x.amount_minor) for x in s.scalars(
                select(BillLine).where(BillLine.bill_id == bill.id).order_by(BillLine.seq))]
            assert stored == [(x.code, x.description, x.amount_minor) for x in calc.lines]
            assert bill.total_minor == calc.total.minor
            checked += 1
    assert checked >= 10


def test_cancel_and_rebill(utility: Database) -> None:
    run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE)
    account_id, number, total, _rev = _bills(utility, PERIOD)[3]
    with utility.read() as s:
        balance = s.get(Account, account_id).balance_minor  # type: ignore[union-attr]
    with pytest.raises(ConflictError, match="not cancelled"):
        rebill(utility, ACTOR, number)
    note = cancel_bill(utility, ACTOR, number, "meter misread", on=date(2026, 7, 5))
    assert note.number == "C2026-0000001" and note.amount.minor == total
    with pytest.raises(ConflictError, match="already cancelled"):
        cancel_bill(utility, ACTOR, number, "again")
    with utility.read() as s:
        assert s.get(Account, account_id).balance_minor == balance - total  # type: ignore[union-attr]
        entries = s.execute(select(LedgerEntry.gl_code, LedgerEntry.amount_minor)
                            .join(CreditNote, CreditNote.id == LedgerEntry.credit_note_id)
                            .where(CreditNote.number == note.number)).all()
    assert sorted(entries) == [("AR", -total), ("SALES", total)]
    second = cancel_bill(utility, ACTOR, _bills(utility, PERIOD)[5][1], "tariff error",
                         on=date(2026, 7, 5))
    assert second.number == "C2026-0000002"  # its own gapless series
    new = rebill(utility, ACTOR, number, issue_date=date(2026, 7, 6))
    assert new.revision == 1 and new.total.minor == total  # readings unchanged
    with pytest.raises(ConflictError, match="already has bill"):
        rebill(utility, ACTOR, number)
    with utility.read() as s:
        row = s.execute(select(Bill.kind, Bill.revision, Bill.account_id, Bill.replaces_bill_id)
                        .where(Bill.bill_number == new.bill_number)).one()
        actions = set(s.scalars(select(AuditEntry.action)))
    assert row.kind == "rebill" and row.revision == 1 and row.account_id == account_id
    assert row.replaces_bill_id is not None
    assert {"bill.cancel", "bill.rebill", "bill.run.batch"} <= actions
    last = max(_bills(utility, PERIOD), key=lambda b: b[1])
    assert last[1] == new.bill_number  # the next number of the bills' series
    assert _gapless([b[1] for b in _bills(utility, PERIOD)])
    assert _ledger_problems(utility) == []


def test_export_csv(utility: Database, tmp_path: Path) -> None:
    run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE)
    bills = _bills(utility, PERIOD)
    cancel_bill(utility, ACTOR, bills[0][1], "duplicate premise")
    out = tmp_path / "bills.csv"
    result = export_bills(utility, ACTOR, PERIOD, out)
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert result.rows == len(rows) == CUSTOMERS
    assert [r["bill_number"] for r in rows] == [b[1] for b in bills]
    for row, (_acc, _number, total, _rev) in zip(rows, bills, strict=True):
        assert Decimal(row["total"]) * 100 == total
        assert row["period"] == PERIOD and len(row["account_number"]) == 9
        assert row["issue_date"] == "2026-07-01" and row["due_date"] == "2026-07-16"
        assert Decimal(row["kwh"]) >= 0
    assert rows[0]["status"] == "cancelled" and rows[0]["credit_note"].startswith("C")
    assert {r["status"] for r in rows[1:]} == {"open"}
    assert Decimal(result.total) * 100 == sum(b[2] for b in bills[1:])


def test_helper_process_bills_exactly_as_one_process(utility: Database) -> None:
    """The pricing helper (one for the whole run, both cycles, batches out of order):
    the same bills, totals and exceptions as a dry run priced in this process, numbers
    gapless in account order per cycle as written."""
    dry = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, dry_run=True, batch_size=3,
                      workers=0)
    real = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=3, workers=1)
    assert (real.bills, real.total) == (dry.bills, dry.total)
    assert sorted(real.exceptions) == sorted(dry.exceptions)
    bills = _bills(utility, PERIOD)
    assert len(bills) == real.bills == len({b[0] for b in bills})
    seqs = [int(b[1].rsplit("-", 1)[1]) for b in bills]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    with utility.read() as s:
        cycle_of = {int(a): int(c) for a, c in s.execute(select(Account.id, Account.cycle_id))}
    for cycle in set(cycle_of.values()):  # each cycle's bills in account order
        accounts = [b[0] for b in bills if cycle_of[b[0]] == cycle]
        assert accounts == sorted(accounts)
    assert _ledger_problems(utility) == []


def test_one_helper_kept_across_runs(utility: Database) -> None:
    """A caller's helper (the demo keeps one for every month) outlives each run: a run
    cancelled with batches still at the helper, then a dry run, then the real run all
    use it, and the real run equals a dry run priced in this process."""
    alone = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, dry_run=True, batch_size=3,
                        workers=0)
    with PricingHelper(utility) as helper:
        with pytest.raises(RunCancelled) as stopped:
            bill_period(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=3,
                        task=_cancel_after(2), helper=helper)
        cut = stopped.value.result
        assert cut.cancelled and 0 < cut.bills < alone.bills
        assert not helper.pending  # nothing left in flight for the next run
        dry = bill_period(utility, ACTOR, PERIOD, issue_date=ISSUE, dry_run=True,
                          batch_size=3, helper=helper)
        assert helper.delivered  # the helper priced some of it
        rest = bill_period(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=3,
                           helper=helper)
    assert dry.accounts == rest.accounts == alone.accounts - cut.bills
    assert cut.bills + rest.bills == alone.bills
    assert cut.total is not None and rest.total is not None
    assert cut.total + rest.total == alone.total
    bills = _bills(utility, PERIOD)
    assert len(bills) == alone.bills == len({b[0] for b in bills})
    assert _gapless([b[1] for b in bills])
    assert _ledger_problems(utility) == []


def test_a_run_cancelled_between_batches_keeps_them_and_resumes(utility: Database) -> None:
    """Cancel through the TaskState after two batches: those two batches stay written
    (bills, ledger, balances), the run is stored ``cancelled`` and audited, the books
    check passes, and billing the period again resumes the same run to the end."""
    alone = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, dry_run=True, batch_size=7,
                        workers=0)
    task = _cancel_after(2)
    with pytest.raises(RunCancelled) as stopped:
        run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=7, workers=0,
                    task=task)
    cut = stopped.value.result
    assert cut.cancelled and cut.run_id is not None and "resumes" in str(stopped.value)
    assert task.progress.done == 14 and task.progress.total == CUSTOMERS
    bills = _bills(utility, PERIOD)
    assert len(bills) == cut.bills and 0 < cut.bills <= 14
    with utility.read() as s:
        status = s.execute(text("SELECT status FROM billing_runs WHERE id = :i"),
                           {"i": cut.run_id}).scalar_one()
        audited = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "bill.run.cancelled"))
    assert status == "cancelled" and audited == 1
    assert _ledger_problems(utility) == []
    report = check_books(utility, ACTOR)
    assert report.ok, report.problems

    rest = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=7, workers=0)
    assert rest.run_id == cut.run_id and cut.bills + rest.bills == alone.bills
    bills = _bills(utility, PERIOD)
    assert len(bills) == alone.bills == len({b[0] for b in bills})
    assert _gapless([b[1] for b in bills])
    assert check_books(utility, ACTOR).ok
