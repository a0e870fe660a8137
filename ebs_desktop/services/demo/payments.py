"""Demo payments: most customers pay their balance at the counter before the due date,
some pay part, some fall behind. Written in bulk with the same rows the counter writes
(shift, payment, tender, allocation, receipt, ledger), one journal per shift.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection, text

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.billing.writer import bulk_insert, bump_balances, reserve_ids

TENDERS = (("cash", 0.6, "CASH"), ("card", 0.25, "CARD"), ("cheque", 0.05, "CHEQUE"),
           ("transfer", 0.10, "BANK"))
FLOAT_MINOR = 10_000


def _open_bills(conn: Connection) -> dict[int, list[tuple[int, int]]]:
    """account -> [(bill id, open minor)] oldest first, for accounts that owe."""
    rows = conn.execute(text(
        "SELECT b.account_id, b.id, b.total_minor - COALESCE(SUM(pa.amount_minor), 0)"
        " FROM bills b JOIN accounts a ON a.id = b.account_id AND a.balance_minor > 0"
        " LEFT JOIN payment_allocations pa ON pa.bill_id = b.id"
        " GROUP BY b.account_id, b.id, b.total_minor, b.period_end"
        " HAVING b.total_minor - COALESCE(SUM(pa.amount_minor), 0) > 0"
        " ORDER BY b.account_id, b.period_end"))
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for acc, bill, open_minor in rows:
        out[acc].append((bill, int(open_minor)))
    return out


def pay_period(db: Database, period: str, issue: date, rng: random.Random,
               ids: dict[str, int]) -> int:
    year = issue.year
    with db.write_connection() as conn:
        owing = _open_bills(conn)
        balances: dict[int, int] = dict(conn.execute(text(
            "SELECT id, balance_minor FROM accounts WHERE balance_minor > 0")).all())
        plan: list[tuple[date, int, int, list[tuple[int, int]]]] = []
        for acc, bills in owing.items():
            r = rng.random()
            balance = int(balances.get(acc, 0))
            if r < 0.86:
                amount = balance
            elif r < 0.90:
                amount = max(100, balance // 2)
            else:
                continue
            day = issue + timedelta(days=rng.randint(1, 14))
            allocs, left = [], amount
            for bill_id, open_minor in bills:
                if left <= 0:
                    break
                take = min(left, open_minor)
                allocs.append((bill_id, take))
                left -= take
            if amount > 0:
                plan.append((day, acc, amount, allocs))
        plan.sort()
        if not plan:
            return 0
        by_day: dict[date, list[tuple[date, int, int, list[tuple[int, int]]]]] = defaultdict(list)
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
        for day, items in sorted(by_day.items()):
            for c, code in enumerate(("C01", "C02")):
                shift_id, journal_id = shift_ids[s_index], journal_ids[s_index]
                s_index += 1
                opened = datetime.combine(day, time(8, 0), tzinfo=UTC)
                clerk = ids["user:clerk" if c == 0 else "user:clerk2"]
                shifts.append((shift_id, ids[f"counter:{code}"], clerk, "closed", FLOAT_MINOR,
                               opened, opened + timedelta(hours=9), None))
                journals.append((journal_id, "payment", day, f"Counter {code} {day}", clerk,
                                 opened))
                side: dict[str, int] = defaultdict(int)
                for _day, acc, amount, allocs in items[c::2]:
                    pid = pay_ids[p]
                    p += 1
                    at = opened + timedelta(minutes=rng.randint(0, 520))
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
                                    day if kind == "cheque" else None,
                                    f"TRF{pid}" if kind == "transfer" else None))
                    for bill_id, take in allocs:
                        allocs_rows.append((pid, bill_id, take, None))
                    seq[code] += 1
                    receipts.append((f"{code}-{year}", seq[code],
                                     f"{code}-{year}-{seq[code]:06d}", "payment", pid, None, at))
                    entries.append((journal_id, "AR", acc, -amount, day, None, pid, None))
                    side[gl] += amount
                    deltas.append((-amount, acc))
                for gl, total in side.items():
                    entries.append((journal_id, gl, None, total, day, None, None, None))
        bulk_insert(conn, "shifts", ("id", "counter_id", "clerk_id", "status",
                                     "opening_float_minor", "opened_at", "closed_at",
                                     "approved_by"), shifts)
        bulk_insert(conn, "journals", ("id", "kind", "entry_date", "description", "user_id",
                                       "created_at"), journals)
        bulk_insert(conn, "payments", ("id", "idempotency_key", "account_id", "shift_id",
                                       "amount_minor", "clerk_id", "channel", "received_at"),
                    pays)
        bulk_insert(conn, "payment_tenders", (
            "payment_id", "tender", "amount_minor", "tendered_minor", "change_minor",
            "card_scheme", "card_last4", "approval_code", "cheque_number", "cheque_bank",
            "cheque_date", "reference"), tenders)
        bulk_insert(conn, "payment_allocations", ("payment_id", "bill_id", "amount_minor",
                                                  "reversal_id"), allocs_rows)
        bulk_insert(conn, "receipts", ("series", "seq", "number", "kind", "payment_id",
                                       "reversal_id", "created_at"), receipts)
        bulk_insert(conn, "ledger_entries", ("journal_id", "gl_code", "account_id",
                                             "amount_minor", "entry_date", "bill_id",
                                             "payment_id", "credit_note_id"), entries)
        bump_balances(conn, deltas)
        for code in ("C01", "C02"):
            conn.execute(text(
                "INSERT INTO number_series (code, prefix, next_value) VALUES (:c, :p, :n) "
                "ON CONFLICT (code) DO UPDATE SET next_value = :n"),
                {"c": f"{code}-{year}", "p": f"{code}-{year}-", "n": seq[code] + 1})
    return len(plan)


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
