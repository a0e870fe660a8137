"""Demo payments: most customers pay their balance before the due date, some pay part,
some fall behind.

The last months (``ebs demo``: three) are paid at the counter with every row the counter
writes (shift, payment, tender, allocation, receipt, ledger; one journal per shift), so
the counter screens, Z-reports and receipts have realistic recent history. Older months are paid
through the bank channel (payment, allocation, ledger; one journal per day), as a
utility's older history mostly is: about half the rows per payment, which is what keeps
``ebs demo --customers 100000 --months 12`` quick.

What each account still owes is kept in memory between months (:class:`OpenBills`)
instead of being recomputed from all bills and allocations every month.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, text

from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.raw import fetch_rows
from ebs_desktop.services.billing.batch import timestamp_text
from ebs_desktop.services.billing.writer import (
    JOURNAL_COLUMNS,
    bulk_insert,
    bump_balances,
    reserve_ids,
)

TENDERS = (("cash", 0.6, "CASH"), ("card", 0.25, "CARD"), ("cheque", 0.05, "CHEQUE"),
           ("transfer", 0.10, "BANK"))
FLOAT_MINOR = 10_000
ENTRY_COLUMNS = ("journal_id", "gl_code", "account_id", "amount_minor", "entry_date",
                 "bill_id", "payment_id", "credit_note_id")
PAYMENT_COLUMNS = ("id", "idempotency_key", "account_id", "shift_id", "amount_minor",
                   "clerk_id", "channel", "received_at")
SHIFT_COLUMNS = ("id", "counter_id", "clerk_id", "status", "opening_float_minor",
                 "opened_at", "closed_at", "approved_by")
TENDER_COLUMNS = ("payment_id", "tender", "amount_minor", "tendered_minor", "change_minor",
                  "card_scheme", "card_last4", "approval_code", "cheque_number",
                  "cheque_bank", "cheque_date", "reference")
ALLOCATION_COLUMNS = ("payment_id", "bill_id", "amount_minor", "reversal_id")
RECEIPT_COLUMNS = ("series", "seq", "number", "kind", "payment_id", "reversal_id",
                   "created_at")
FLUSH_PAYMENTS = 50_000  # counter payments held before their rows are inserted
Plan = tuple[date, int, int, list[tuple[int, int]]]  # day, account, amount, allocations


class OpenBills:
    """account -> [[bill id, open minor], ...] oldest first, for accounts that owe."""

    def __init__(self) -> None:
        self.by_account: dict[int, list[list[int]]] = defaultdict(list)

    def add_period(self, conn: Connection, period: str) -> None:
        by_account = self.by_account
        for acc, bill, total in fetch_rows(conn, "SELECT account_id, id, total_minor FROM bills"
                                                 " WHERE period = ? AND total_minor > 0"
                                                 " ORDER BY id", (period,)):
            by_account[acc].append([bill, total])

    def plan(self, issue: date, rng: random.Random) -> list[Plan]:
        """Who pays what this month (allocated to the oldest bills first); settled
        bills and accounts leave the book."""
        out: list[Plan] = []
        settled: list[int] = []
        rand, randint = rng.random, rng.randint
        for acc, bills in self.by_account.items():
            balance = bills[0][1] if len(bills) == 1 else sum(b[1] for b in bills)
            r = rand()
            if balance <= 0 or r >= 0.90:
                continue
            amount = balance if r < 0.86 else max(100, balance // 2)
            amount = min(amount, balance)
            allocs, left = [], amount
            for bill in bills:
                if left <= 0:
                    break
                take = min(left, bill[1])
                allocs.append((bill[0], take))
                bill[1] -= take
                left -= take
            if amount == balance:
                settled.append(acc)
            elif bills[0][1] <= 0:
                bills[:] = [b for b in bills if b[1] > 0]
            out.append((issue + timedelta(days=randint(1, 14)), acc, amount, allocs))
        for acc in settled:
            del self.by_account[acc]
        out.sort()
        return out


def pay_period(db: Database, period: str, issue: date, rng: random.Random,
               ids: dict[str, int], open_bills: OpenBills, counter: bool) -> int:
    with db.write_connection() as conn:
        use_bulk_cache(conn)  # payments land all over the account indexes
        open_bills.add_period(conn, period)
        plan = open_bills.plan(issue, rng)
        if not plan:
            return 0
        if counter:
            _counter_payments(conn, period, issue.year, plan, rng, ids)
        else:
            _bank_payments(conn, period, plan, rng)
    return len(plan)


def _bank_payments(conn: Connection, period: str, plan: list[Plan],
                   rng: random.Random) -> None:
    days = sorted({p[0] for p in plan})
    journal_ids = dict(zip(days, reserve_ids(conn, "journals", len(days)), strict=True))
    pay_ids = reserve_ids(conn, "payments", len(plan))
    pays: list[tuple[object, ...]] = []
    allocs: list[tuple[object, ...]] = []
    entries: list[tuple[object, ...]] = []
    deltas: list[tuple[int, int]] = []
    totals: dict[date, int] = defaultdict(int)
    # the moment's text as timestamp_text writes it, without a datetime per payment
    zone = timestamp_text(conn, datetime(2000, 1, 1, tzinfo=UTC))[26:]
    iso = {day: day.isoformat() for day in journal_ids}
    for pid, (day, acc, amount, bill_allocs) in zip(pay_ids, plan, strict=True):
        pays.append((pid, f"demo-{period}-{acc}", acc, None, amount, None, "bank",
                     f"{iso[day]} 06:{rng.randint(0, 59):02d}:00.000000{zone}"))
        allocs.extend([(pid, bill, take, None) for bill, take in bill_allocs])
        entries.append((journal_ids[day], "AR", acc, -amount, iso[day], None, pid, None))
        totals[day] += amount
        deltas.append((-amount, acc))
    for day, total in totals.items():
        entries.append((journal_ids[day], "BANK", None, total, day.isoformat(), None, None,
                        None))
    stamp = timestamp_text(conn, datetime.now(UTC))
    bulk_insert(conn, "journals", JOURNAL_COLUMNS,
                [(j, "bank_payment", day.isoformat(), f"Bank payments {day}", None, stamp)
                 for day, j in journal_ids.items()])
    bulk_insert(conn, "payments", PAYMENT_COLUMNS, pays)
    bulk_insert(conn, "payment_allocations", ALLOCATION_COLUMNS, allocs)
    bulk_insert(conn, "ledger_entries", ENTRY_COLUMNS, entries)
    bump_balances(conn, deltas)


def _counter_payments(conn: Connection, period: str, year: int, plan: list[Plan],
                      rng: random.Random, ids: dict[str, int]) -> None:
    by_day: dict[date, list[Plan]] = defaultdict(list)
    for item in plan:
        by_day[item[0]].append(item)
    shift_ids = reserve_ids(conn, "shifts", len(by_day) * 2)
    pay_ids = reserve_ids(conn, "payments", len(plan))
    journal_ids = reserve_ids(conn, "journals", len(shift_ids))
    seq = {code: _next_receipt(conn, code, year) for code in ("C01", "C02")}
    shifts: list[tuple[object, ...]] = []
    pays: list[tuple[object, ...]] = []
    tenders: list[tuple[object, ...]] = []
    allocs_rows: list[tuple[object, ...]] = []
    receipts: list[tuple[object, ...]] = []
    entries: list[tuple[object, ...]] = []
    deltas: list[tuple[int, int]] = []
    journals: list[tuple[object, ...]] = []
    p = 0
    s_index = 0

    def ts(moment: datetime) -> str:
        return timestamp_text(conn, moment)

    def flush() -> None:
        """Insert what is held (in foreign-key order) and start again: a month of a big
        utility's counter payments held at once took over a gigabyte."""
        for table, columns, held in (("shifts", SHIFT_COLUMNS, shifts),
                                     ("journals", JOURNAL_COLUMNS, journals),
                                     ("payments", PAYMENT_COLUMNS, pays),
                                     ("payment_tenders", TENDER_COLUMNS, tenders),
                                     ("payment_allocations", ALLOCATION_COLUMNS, allocs_rows),
                                     ("receipts", RECEIPT_COLUMNS, receipts),
                                     ("ledger_entries", ENTRY_COLUMNS, entries)):
            bulk_insert(conn, table, columns, held)
            held.clear()
        bump_balances(conn, deltas)
        deltas.clear()

    for day, items in sorted(by_day.items()):
        if len(pays) >= FLUSH_PAYMENTS:
            flush()
        iso = day.isoformat()
        for c, code in enumerate(("C01", "C02")):
            shift_id, journal_id = shift_ids[s_index], journal_ids[s_index]
            s_index += 1
            opened = datetime.combine(day, time(8, 0), tzinfo=UTC)
            clerk = ids["user:clerk" if c == 0 else "user:clerk2"]
            shifts.append((shift_id, ids[f"counter:{code}"], clerk, "closed", FLOAT_MINOR,
                           ts(opened), ts(opened + timedelta(hours=9)), None))
            journals.append((journal_id, "payment", iso, f"Counter {code} {day}", clerk,
                             ts(opened)))
            side: dict[str, int] = defaultdict(int)
            for _day, acc, amount, allocs in items[c::2]:
                pid = pay_ids[p]
                p += 1
                at = ts(opened + timedelta(minutes=rng.randint(0, 520)))
                pays.append((pid, f"demo-{period}-{acc}", acc, shift_id, amount, clerk,
                             "counter", at))
                kind, gl = _tender(rng)
                tendered = (amount + rng.choice((0, 0, 500, 1000, 2000))
                            if kind == "cash" else None)
                tenders.append((pid, kind, amount, tendered,
                                (tendered - amount) if tendered else 0,
                                "VISA" if kind == "card" else None,
                                f"{rng.randint(0, 9999):04d}" if kind == "card" else None,
                                f"A{rng.randint(10000, 99999)}" if kind == "card" else None,
                                f"{rng.randint(100000, 999999)}" if kind == "cheque" else None,
                                "First Riverside Bank" if kind == "cheque" else None,
                                iso if kind == "cheque" else None,
                                f"TRF{pid}" if kind == "transfer" else None))
                for bill_id, take in allocs:
                    allocs_rows.append((pid, bill_id, take, None))
                seq[code] += 1
                receipts.append((f"{code}-{year}", seq[code],
                                 f"{code}-{year}-{seq[code]:06d}", "payment", pid, None, at))
                entries.append((journal_id, "AR", acc, -amount, iso, None, pid, None))
                side[gl] += amount
                deltas.append((-amount, acc))
            for gl, total in side.items():
                entries.append((journal_id, gl, None, total, iso, None, None, None))
    flush()
    for code in ("C01", "C02"):
        conn.execute(text(
            "INSERT INTO number_series (code, prefix, next_value) VALUES (:c, :p, :n) "
            "ON CONFLICT (code) DO UPDATE SET next_value = :n"),
            {"c": f"{code}-{year}", "p": f"{code}-{year}-", "n": seq[code] + 1})


def _next_receipt(conn: Connection, code: str, year: int) -> int:
    value = conn.execute(text("SELECT next_value FROM number_series WHERE code = :c"),
                         {"c": f"{code}-{year}"}).scalar()
    return int(value) - 1 if value else 0


def _tender(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    for kind, share, gl in TENDERS:
        if r < share:
            return kind, gl
        r -= share
    return TENDERS[0][0], TENDERS[0][2]
