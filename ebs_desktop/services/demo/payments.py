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
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.bulk import bulk_insert, reserve_ids, timestamp_text
from ebs_desktop.persistence.engine import Database, use_bulk_cache
from ebs_desktop.persistence.stores import demo as store
from ebs_desktop.persistence.tx import Connection

TENDERS = (("cash", 0.6, "CASH"), ("card", 0.25, "CARD"), ("cheque", 0.05, "CHEQUE"),
           ("transfer", 0.10, "BANK"))
FLOAT_MINOR = 10_000
# Each table's columns given per row; the rest are the same for every row of a write
# (``bulk_insert(fixed=...)``: bound once per statement, not once per row).
ENTRY_COLUMNS = ledger.ENTRY_COLUMNS
AR_ENTRY_COLUMNS = ("journal_id", "account_id", "amount_minor", "entry_date", "payment_id")
AR_ENTRY_FIXED = {"gl_code": "AR", "bill_id": None, "credit_note_id": None}
PAYMENT_COLUMNS = ("id", "idempotency_key", "account_id", "amount_minor", "received_at")
BANK_PAYMENT_FIXED = {"shift_id": None, "clerk_id": None, "channel": "bank"}
COUNTER_PAYMENT_COLUMNS = ("id", "idempotency_key", "account_id", "shift_id", "amount_minor",
                           "clerk_id", "received_at")
SHIFT_COLUMNS = ("id", "counter_id", "clerk_id", "status", "opening_float_minor",
                 "opened_at", "closed_at", "approved_by")
TENDER_COLUMNS = ("payment_id", "tender", "amount_minor", "tendered_minor", "change_minor",
                  "card_scheme", "card_last4", "approval_code", "cheque_number",
                  "cheque_bank", "cheque_date", "reference")
ALLOCATION_COLUMNS = ("payment_id", "bill_id", "amount_minor")
ALLOCATION_FIXED = {"reversal_id": None}
RECEIPT_COLUMNS = ("series", "seq", "number", "payment_id", "created_at")
RECEIPT_FIXED = {"kind": "payment", "reversal_id": None}
FLUSH_PAYMENTS = 50_000  # accounts' payments written at a time when no billing run asks
Plan = tuple[date, int, int, list[tuple[int, int]]]  # day, account, amount, allocations


class OpenBills:
    """account -> [[bill id, open minor], ...] oldest first, for accounts that owe."""

    def __init__(self) -> None:
        self.by_account: dict[int, list[list[int]]] = defaultdict(list)

    def add_period(self, conn: Connection, period: str) -> None:
        by_account = self.by_account
        for acc, bill, total in store.owed_bills(conn, period):
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


class MonthPayments:
    """One month's payments: planned at once, written a batch of accounts at a time.

    The plan (who pays what, when, allocated to which bills) and everything that must
    follow time order (payment ids, shifts, journals, receipt numbers) are fixed when the
    month is planned, so the rows are the same whichever batch writes them. The demo
    writes each batch's payments just before the next month's billing run prices that
    batch (``billing.engine.bill_period(before_pricing=...)``): the pricing helper prices
    the next month while this process writes payments, instead of waiting for all of
    them. Each batch is one transaction and balanced on its own: its payments,
    allocations and ledger entries (the cash/card/bank side per journal included),
    posted through ``persistence.ledger``, which moves the balances.
    """

    def __init__(self, db: Database, period: str, issue: date, rng: random.Random,
                 ids: dict[str, int], open_bills: OpenBills, counter: bool) -> None:
        self.db, self.period, self.rng, self.ids = db, period, rng, ids
        self.counter, self.year = counter, issue.year
        with db.write_connection() as conn:
            use_bulk_cache(conn)
            open_bills.add_period(conn, period)
            self.plan = open_bills.plan(issue, rng)
            self._by_account: dict[int, list[int]] = defaultdict(list)
            for n, item in enumerate(self.plan):
                self._by_account[item[1]].append(n)
            self._pay_ids = reserve_ids(conn, "payments", len(self.plan))
            self._zone = timestamp_text(conn, datetime(2000, 1, 1, tzinfo=UTC))[26:]
            self._stamp = timestamp_text(conn, datetime.now(UTC))
            days = sorted({item[0] for item in self.plan})
            if counter:
                self._open_shifts(conn, days)
            else:
                self._open_bank_days(conn, days)

    def _open_bank_days(self, conn: Connection, days: list[date]) -> None:
        """One journal per day (opened now: its id is taken with MAX(id) on SQLite,
        and the billing run takes journal ids too); its entries follow batch by batch."""
        self._journal_of_day = dict(zip(days, ledger.open_journals(conn, [
            ("bank_payment", day.isoformat(), f"Bank payments {day}", None, self._stamp)
            for day in days]), strict=True))

    def _open_shifts(self, conn: Connection, days: list[date]) -> None:
        """Two counters' shifts a day, each with its journal, and every payment's shift
        and receipt number (in time order per counter), written or fixed now."""
        ids = self.ids
        shift_ids = reserve_ids(conn, "shifts", len(days) * 2)
        opened_at = {day: datetime.combine(day, time(8, 0), tzinfo=UTC) for day in days}
        journal_ids = ledger.open_journals(conn, [
            ("payment", day.isoformat(), f"Counter {code} {day}",
             ids["user:clerk" if c == 0 else "user:clerk2"],
             timestamp_text(conn, opened_at[day]))
            for day in days for c, code in enumerate(("C01", "C02"))])
        seq = {code: store.last_taken(conn, f"{code}-{self.year}") for code in ("C01", "C02")}
        shifts: list[tuple[object, ...]] = []
        # per payment: (shift id, journal id, clerk, counter code, receipt seq, opened)
        self._at_counter: list[tuple[int, int, int, str, int, datetime]] = [
            (0, 0, 0, "", 0, datetime.min)] * len(self.plan)
        by_day: dict[date, list[int]] = defaultdict(list)
        for n, item in enumerate(self.plan):
            by_day[item[0]].append(n)
        s_index = 0
        for day in days:
            for c, code in enumerate(("C01", "C02")):
                shift_id, journal_id = shift_ids[s_index], journal_ids[s_index]
                s_index += 1
                opened = opened_at[day]
                clerk = ids["user:clerk" if c == 0 else "user:clerk2"]
                shifts.append((shift_id, ids[f"counter:{code}"], clerk, "closed",
                               FLOAT_MINOR, timestamp_text(conn, opened),
                               timestamp_text(conn, opened + timedelta(hours=9)), None))
                for n in by_day[day][c::2]:
                    seq[code] += 1
                    self._at_counter[n] = (shift_id, journal_id, clerk, code, seq[code], opened)
        bulk_insert(conn, "shifts", SHIFT_COLUMNS, shifts)
        for code in ("C01", "C02"):
            store.set_series_next(conn, f"{code}-{self.year}", f"{code}-{self.year}-",
                                  seq[code] + 1)

    def write_for(self, account_ids: Sequence[int]) -> None:
        """Write the payments of these accounts (those not written yet), in one
        transaction."""
        by_account = self._by_account
        chosen = sorted(n for acc in account_ids for n in by_account.pop(acc, ()))
        if not chosen:
            return
        with self.db.write_connection() as conn:
            use_bulk_cache(conn)  # payments land all over the account indexes
            if self.counter:
                self._write_counter(conn, chosen)
            else:
                self._write_bank(conn, chosen)

    def finish(self) -> None:
        """Write every payment not written yet (the last month, or accounts the next
        billing run did not take)."""
        left = list(self._by_account)
        for start in range(0, len(left), FLUSH_PAYMENTS):
            self.write_for(left[start:start + FLUSH_PAYMENTS])

    def _write_bank(self, conn: Connection, chosen: list[int]) -> None:
        plan, pay_ids, rng, zone = self.plan, self._pay_ids, self.rng, self._zone
        pays: list[tuple[object, ...]] = []
        allocs: list[tuple[object, ...]] = []
        entries: list[tuple[object, ...]] = []
        totals: dict[date, int] = defaultdict(int)
        iso: dict[date, str] = {}
        for n in chosen:
            day, acc, amount, bill_allocs = plan[n]
            pid = pay_ids[n]
            text_day = iso.get(day) or iso.setdefault(day, day.isoformat())
            pays.append((pid, f"demo-{self.period}-{acc}", acc, amount,
                         f"{text_day} 06:{rng.randint(0, 59):02d}:00.000000{zone}"))
            allocs.extend([(pid, bill, take) for bill, take in bill_allocs])
            entries.append((self._journal_of_day[day], acc, -amount, text_day, pid))
            totals[day] += amount
        bulk_insert(conn, "payments", PAYMENT_COLUMNS, pays, BANK_PAYMENT_FIXED)
        bulk_insert(conn, "payment_allocations", ALLOCATION_COLUMNS, allocs, ALLOCATION_FIXED)
        _post(conn, entries, [(self._journal_of_day[day], "BANK", total, iso[day])
                              for day, total in totals.items()])

    def _write_counter(self, conn: Connection, chosen: list[int]) -> None:
        plan, pay_ids, rng, year = self.plan, self._pay_ids, self.rng, self.year
        pays: list[tuple[object, ...]] = []
        tenders: list[tuple[object, ...]] = []
        allocs_rows: list[tuple[object, ...]] = []
        receipts: list[tuple[object, ...]] = []
        entries: list[tuple[object, ...]] = []
        side: dict[tuple[int, str, str], int] = defaultdict(int)
        for n in chosen:
            day, acc, amount, allocs = plan[n]
            shift_id, journal_id, clerk, code, seq, opened = self._at_counter[n]
            pid = pay_ids[n]
            iso = day.isoformat()
            at = timestamp_text(conn, opened + timedelta(minutes=rng.randint(0, 520)))
            pays.append((pid, f"demo-{self.period}-{acc}", acc, shift_id, amount, clerk, at))
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
            allocs_rows.extend([(pid, bill_id, take) for bill_id, take in allocs])
            receipts.append((f"{code}-{year}", seq, f"{code}-{year}-{seq:06d}", pid, at))
            entries.append((journal_id, acc, -amount, iso, pid))
            side[(journal_id, iso, gl)] += amount
        bulk_insert(conn, "payments", COUNTER_PAYMENT_COLUMNS, pays, {"channel": "counter"})
        bulk_insert(conn, "payment_tenders", TENDER_COLUMNS, tenders)
        bulk_insert(conn, "payment_allocations", ALLOCATION_COLUMNS, allocs_rows,
                    ALLOCATION_FIXED)
        bulk_insert(conn, "receipts", RECEIPT_COLUMNS, receipts, RECEIPT_FIXED)
        _post(conn, entries, [(journal_id, gl, total, iso)
                              for (journal_id, iso, gl), total in side.items()])


def _post(conn: Connection, ar_entries: list[tuple[object, ...]],
          takings: list[tuple[int, str, int, str]]) -> None:
    """The ledger side of a write of payments, through the ledger writer: each payment's
    AR entry (``AR_ENTRY_COLUMNS``) and the money side per journal, GL code and day
    (journal, GL code, total, day), balanced per journal; the writer moves the accounts'
    balances by the AR entries."""
    ledger.post_entries(conn, [
        ledger.EntryGroup(AR_ENTRY_COLUMNS, ar_entries, AR_ENTRY_FIXED),
        ledger.EntryGroup(ENTRY_COLUMNS, [(journal_id, gl, None, total, day, None, None, None)
                                          for journal_id, gl, total, day in takings])])


def _tender(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    for kind, share, gl in TENDERS:
        if r < share:
            return kind, gl
        r -= share
    return TENDERS[0][0], TENDERS[0][2]
