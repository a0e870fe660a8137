"""Building the demo utility (see the package docstring)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.domain.periods import parse_period, period_text, read_date
from ebs_desktop.domain.tariffs.toml_io import read_tariff_file
from ebs_desktop.errors import ConflictError, ValidationError
from ebs_desktop.paths import resources_dir
from ebs_desktop.persistence.bulk import (
    READING_OWN_COLUMNS,
    bulk_insert,
    reading_fixed,
    timestamp_text,
)
from ebs_desktop.persistence.bulk_load import bulk_load
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import accounts as accounts_store
from ebs_desktop.persistence.stores import demo as store
from ebs_desktop.services import audit, tariffs, users
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.billing.engine import bill_period
from ebs_desktop.services.billing.pipeline import PricingHelper, default_workers
from ebs_desktop.services.demo.collections import add_collection_holds
from ebs_desktop.services.demo.payments import MonthPayments, OpenBills
from ebs_desktop.services.demo.people import (
    address,
    customer_name,
    demo_contact,
    demo_preferences,
)
from ebs_desktop.services.demo.support import add_service_requests
from ebs_desktop.services.gc_pause import pausing_gc
from ebs_desktop.services.notify_settings import put_settings
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import set_settings

TARIFF_DIR = resources_dir() / "tariffs"
TOWNS = ("Riverside", "Millbrook", "Oakdale", "Stonebridge")
# (username, full name, role, password): documented in the README.
DEMO_USERS = (
    ("admin", "Ada Admin", "admin", "admin-demo"),
    ("clerk", "Carl Clerk", "clerk", "clerk-demo"),
    ("clerk2", "Clara Clerk", "clerk", "clerk-demo"),
    ("reader", "Rita Reader", "reader", "reader-demo"),
    ("billing", "Bill Billing", "billing", "billing-demo"),
    ("manager", "Mona Manager", "manager", "manager-demo"),
)
# category: (share, tariff code, base kWh per month range, dials)
CATEGORIES = {
    "residential": (0.85, "RES-1", (120, 650), 6),
    "commercial": (0.10, "COM-TOU", (900, 6000), 7),
    "industrial": (0.03, "IND-MD", (15000, 120000), 8),
    "agricultural": (0.02, "AGR-1", (300, 3000), 7),
}
TOU_SHARES = (("offpeak", Decimal("0.45")), ("shoulder", Decimal("0.35")),
              ("peak", Decimal("0.20")))
ROUTE_SIZE = 400


@dataclass(frozen=True)
class DemoResult:
    customers: int
    months: int
    until: str
    readings: int
    bills: int
    payments: int


def last_complete_month(today: date | None = None) -> str:
    today = today or date.today()
    first = today.replace(day=1) - timedelta(days=1)
    return period_text(first.year, first.month)


def _month_add(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _reference_data(db: Database, actor: Actor) -> dict[str, int]:
    with db.write() as s:
        set_settings(s, utility_name="Riverside Electric Co-op",
                     address="1 Power House Road, Riverside RV1 2EC", phone="+1 555 0100",
                     tax_id="US-EIN 12-3456789", currency="USD", bill_due_days=15,
                     cash_step="0.01")
        # the demo's addresses are on reserved example domains, which take no mail
        put_settings(s, {"notify.country": "US", "notify.check_email_domain": "false",
                         "smtp.from": "Riverside Electric <bills@example.com>",
                         "sms.sender": "Riverside"})
        audit.record(s, actor, "settings.update", "settings", "utility",
                     after={"utility_name": "Riverside Electric Co-op"})
        for username, full, role, password in DEMO_USERS:
            users.add_user_in(s, actor, username, full, password, [role])
        for path in sorted(TARIFF_DIR.glob("*.toml")):
            tariffs.save_tariff_in(s, actor, read_tariff_file(path))
        store.add_cycles(s, [("C1", "Month-end cycle", 31), ("C2", "Mid-month cycle", 15)])
        printer = store.add_printer(s, name="Counter 1 printer", kind="file",
                                    target="receipts-c01.bin", paper_mm=80, logo=True,
                                    drawer_kick=True)
        store.add_counters(s, [("C01", "Main office counter 1", printer),
                               ("C02", "Main office counter 2", None)])
        return store.reference_ids(s, ("reader", "clerk", "clerk2"))


# written by the demo and not read back while it runs (their indexes are built at the end)
DEFERRED_INDEXES = ("bill_lines", "customer_words", "ledger_entries", "payments",
                    "payment_tenders", "payment_allocations", "receipts")


@pausing_gc
def build_demo(db: Database, customers: int, months: int, until: str | None = None,
               seed: int = 1, *, counter_months: int | None = None,
               workers: int | None = None, task: TaskState | None = None) -> DemoResult:
    """Fill an empty database with the demo utility.

    ``counter_months``: how many of the last billed months are paid at the counter (every
    counter row); older months are paid through the bank (fewer rows, much faster for a
    big demo). None: every month at the counter. ``workers``: pricing helper processes
    (0 or 1; None: one for a demo big enough to gain from it). The garbage collector is
    paused meanwhile (``gc_pause``), and on SQLite the rows go in as a bulk load
    (``persistence.bulk_load``: foreign keys checked and the indexes of
    ``DEFERRED_INDEXES`` built once, at the end).

    ``task``: hears each stage as it ends (``report(done, total, stage)``: ``accounts``,
    ``readings``, then ``billing`` once a month); a cancel is seen between stages and
    months, leaving the months billed so far, paid as planned (the books balance), and
    raising ``TaskCancelled``.
    """
    if customers < 1 or months < 2:
        raise ValidationError("the demo needs at least 1 customer and 2 months",
                              location="--customers/--months")
    until = until or last_complete_month()
    parse_period(until)  # a bad --until is refused before anything is touched
    with db.read() as s:
        if store.has_accounts(s):
            raise ConflictError("the database already has accounts; the demo needs an empty one")
    with bulk_load(db, DEFERRED_INDEXES) as loader:
        return _build(loader, customers, months, until, seed, task or TaskState(),
                      counter_months, workers)


def _build(db: Database, customers: int, months: int, until: str, seed: int,
           task: TaskState, counter_months: int | None, workers: int | None) -> DemoResult:
    uy, um = parse_period(until)
    actor = system_actor("demo")
    ids = _reference_data(db, actor)
    rng = random.Random(seed)
    start_y, start_m = _month_add(uy, um, -months)  # month of the opening readings
    cycles = [(ids["cycle:C1"], 31), (ids["cycle:C2"], 15)]

    # one pricing helper for every month (starting one per run costs a second each),
    # started now: it needs only the tariffs and settings, and its start-up (imports,
    # about a second of CPU) then overlaps writing the network and the readings
    use_helper = default_workers(customers) if workers is None else workers
    helper = PricingHelper(db) if use_helper and months > 2 else None
    bills = paid = 0
    open_bills = OpenBills()
    owed: MonthPayments | None = None  # the month before's, not all written yet
    try:
        plan = _plan_accounts(rng, customers, cycles, start_y, start_m)
        _write_network(db, plan, ids, task)
        task.check_cancelled()
        n_readings = _write_readings(db, plan, rng, start_y, start_m, months, task)
        store.analyze(db)
        for k in range(1, months):
            _stop_if_cancelled(task, owed)
            y, m = _month_add(start_y, start_m, k)
            period = period_text(y, m)
            issue = _month_add(y, m, 1)
            issue_date = date(issue[0], issue[1], 1)
            # each batch's payments of the month before are written just before the batch
            # is priced (its balances and rebates need them), so the helper prices this
            # month while the payments are written
            result = bill_period(db, actor, period, issue_date=issue_date, batch_size=10000,
                                 helper=helper, workers=use_helper,
                                 before_pricing=None if owed is None else owed.write_for)
            bills += result.bills
            if owed is not None:
                owed.finish()
            at_counter = counter_months is None or k >= months - counter_months
            owed = MonthPayments(db, period, issue_date, rng, ids, open_bills, at_counter)
            paid += len(owed.plan)
            task.report(k, months - 1, "billing")
        if owed is not None:
            owed.finish()
    finally:
        if helper is not None:
            helper.close()
    last_billed = period_text(*_month_add(start_y, start_m, months - 1))
    store.settle_told_history(db, last_billed)
    last_issue = _month_add(uy, um, 1)
    add_collection_holds(db, date(last_issue[0], last_issue[1], 1))
    add_service_requests(db, date(last_issue[0], last_issue[1], 1))
    store.analyze(db)
    return DemoResult(customers, months, until, n_readings, bills, paid)


def _stop_if_cancelled(task: TaskState, owed: MonthPayments | None) -> None:
    """Between months: on a cancel, the month planned is paid in full first (its shifts,
    journals and receipt numbers are already taken), then ``TaskCancelled``."""
    if task.is_cancelled:
        if owed is not None:
            owed.finish()
        task.check_cancelled()


@dataclass(slots=True)
class _PlannedAccount:
    serial: int
    category: str
    cycle_id: int
    read_day: int
    base_kwh: int
    dials: int
    opened_on: date
    tou: bool
    demand: bool


def _plan_accounts(rng: random.Random, n: int, cycles: list[tuple[int, int]], y: int,
                   m: int) -> list[_PlannedAccount]:
    cats = list(CATEGORIES.items())
    weights = [c[1][0] for c in cats]
    out = []
    for i in range(1, n + 1):
        category, (_share, _tariff, (lo, hi), dials) = rng.choices(cats, weights)[0]
        cycle_id, read_day = cycles[0] if i % 3 else cycles[1]
        opened = read_date(y, m, read_day) + timedelta(days=1)
        out.append(_PlannedAccount(i, category, cycle_id, read_day, rng.randint(lo, hi), dials,
                                   opened, category == "commercial",
                                   category == "industrial"))
    return out


NETWORK_CHUNK = 100_000  # accounts built and inserted at a time (a multiple of ROUTE_SIZE)
NETWORK_COLUMNS = {
    "routes": ("id", "code", "name", "cycle_id", "reader_id"),
    "customers": ("id", "name", "name_key", "phone", "email", "tax_id", "address",
                  "created_at"),
    "accounts": ("id", "account_number", "customer_id", "category", "tariff_id", "cycle_id",
                 "route_id", "walk_order", "status", "opened_on", "closed_on",
                 "balance_minor", "created_at"),
    "premises": ("id", "account_id", "address", "sanctioned_load_kw", "phases",
                 "connected_on"),
    "meters": ("id", "serial", "make", "model", "dials", "multiplier", "is_tou",
               "has_demand"),
    "meter_registers": ("id", "meter_id", "code", "obis", "kind"),
    "meter_installations": ("id", "meter_id", "premise_id", "installed_on", "removed_on"),
}
LOAD_KW = {"residential": 5, "commercial": 25, "industrial": 400, "agricultural": 15}
PREFERENCE_COLUMNS = ("account_id", "paperless", "language", "reminders", "channels",
                      "updated_at")
OBIS = {"kwh": "1.8.0", "offpeak": "1.8.1", "shoulder": "1.8.2", "peak": "1.8.3",
        "md": "1.6.0"}


def _write_network(db: Database, plan: list[_PlannedAccount], ids: dict[str, int],
                   task: TaskState) -> None:
    """Routes, customers, accounts, premises, meters, registers and installations, a
    chunk of accounts at a time in one transaction (a million accounts' rows at once
    held ~1 GB). Dates are ISO text: sqlite3's per-value date adapters cost more than
    the inserts."""
    rng = random.Random(len(plan))
    reg_id = 0
    with db.write_connection() as conn:
        now = timestamp_text(conn, datetime.now(UTC))
        for start in range(0, len(plan), NETWORK_CHUNK):
            rows: dict[str, list[tuple[object, ...]]] = {
                t: [] for t in (*NETWORK_COLUMNS, "account_preferences")}
            reg_id = _network_rows(plan[start:start + NETWORK_CHUNK], ids, rng, now,
                                   reg_id, rows)
            for table, columns in NETWORK_COLUMNS.items():
                bulk_insert(conn, table, columns, rows[table])
            bulk_insert(conn, "account_preferences", PREFERENCE_COLUMNS,
                        rows["account_preferences"])
            accounts_store.insert_customer_words(
                conn, [(int(str(c[0])), str(c[1]), str(c[6])) for c in rows["customers"]])
        store.fix_sequences(conn, tuple(NETWORK_COLUMNS))
    task.report(len(plan), len(plan), "accounts")


def _network_rows(chunk: list[_PlannedAccount], ids: dict[str, int], rng: random.Random,
                  now: str, reg_id: int, rows: dict[str, list[tuple[object, ...]]]) -> int:
    """Append the rows of ``chunk`` to ``rows``; returns the last register id used."""
    routes, customers, accounts = rows["routes"], rows["customers"], rows["accounts"]
    premises, meters = rows["premises"], rows["meters"]
    registers, installs = rows["meter_registers"], rows["meter_installations"]
    for p in chunk:
        i = p.serial
        route_no = (i - 1) // ROUTE_SIZE + 1
        town = TOWNS[(route_no - 1) % len(TOWNS)]
        if (i - 1) % ROUTE_SIZE == 0:
            routes.append((route_no, f"R{route_no:04d}", f"{town} route {route_no}",
                           p.cycle_id, ids["user:reader"]))
        name = customer_name(rng, p.category)
        addr = address(rng, town)
        phone, email = demo_contact(i, name)
        customers.append((i, name, name.lower(), phone, email, None, addr, now))
        prefs = demo_preferences(i, phone, email)
        if prefs is not None:
            rows["account_preferences"].append((i, *prefs, now))
        tariff_id = ids[f"tariff:{CATEGORIES[p.category][1]}"]
        opened = p.opened_on.isoformat()
        accounts.append((i, make_account_number(10_000_000 + i), i, p.category, tariff_id,
                         p.cycle_id, route_no, (i - 1) % ROUTE_SIZE + 1, "active",
                         opened, None, 0, now))
        load = LOAD_KW[p.category]
        premises.append((i, i, addr, load * 1000, 3 if load > 10 else 1, opened))
        smart = p.tou or p.demand
        meters.append((i, f"{'ISK' if smart else 'EBS'}{1_000_000 + i}",
                       "Iskra" if smart else "Landis+Gyr", "MT174" if smart else "E350",
                       p.dials, 1000, int(p.tou), int(p.demand)))
        codes = ["kwh"] + ([c for c, _ in TOU_SHARES] if p.tou else []) + (
            ["md"] if p.demand else [])
        for code in codes:
            reg_id += 1
            registers.append((reg_id, i, code, OBIS[code],
                              "demand" if code == "md" else "energy"))
        installs.append((i, i, i, (p.opened_on - timedelta(days=1)).isoformat(), None))
    return reg_id


def _season(month: int) -> float:
    """Consumption swing over the year: peaks in July (cooling) and January (heating)."""
    return 1.0 + 0.22 * math.cos(2 * math.pi * (month - 7) / 12) ** 2 - 0.08


def _write_readings(db: Database, plan: list[_PlannedAccount], rng: random.Random, y0: int,
                    m0: int, months: int, task: TaskState) -> int:
    """Every register's readings, generated and inserted a chunk of accounts at a time.

    Values are integer thousandths and dates ISO text from the start: Decimal arithmetic
    and sqlite3's per-value date adapters cost more than the inserts (1.7 million readings
    for a 100,000-customer demo)."""
    months_ym = [_month_add(y0, m0, k) for k in range(months + 1)]
    seasons = [_season(m) for _y, m in months_ym]
    day_text: dict[tuple[int, int], str] = {}
    shares = [int(share * 100) for _c, share in TOU_SHARES[:-1]]  # percent, last = rest
    written = 0
    with db.write_connection() as conn:
        fixed = reading_fixed("handheld", timestamp_text(conn, datetime.now(UTC)))
        rows: list[tuple[object, ...]] = []
        reg_id = 0
        for p in plan:
            n_tou = len(TOU_SHARES) if p.tou else 0
            first_reg = reg_id + 1
            reg_id += 1 + n_tou + (1 if p.demand else 0)
            value = rng.randint(0, 10 ** (p.dials - 2)) * 1000
            tou_values = [value * int(share * 100) // 100 for _c, share in TOU_SHARES]
            skip_month = rng.randint(2, months) if rng.random() < 0.02 else -1
            for k in range(months + 1):
                y, m = months_ym[k]
                day = day_text.get((k, p.read_day))
                if day is None:
                    day = day_text[(k, p.read_day)] = read_date(y, m, p.read_day).isoformat()
                if k == skip_month:
                    continue  # no access this month: the billing run will estimate
                kwh = 0
                if k:
                    kwh = int(p.base_kwh * seasons[k] * rng.uniform(0.85, 1.15) * 1000)
                    if rng.random() < 0.003:
                        kwh = 0
                value += kwh
                rows.append((first_reg, day, value, kwh if k else None))
                if n_tou:
                    left = kwh
                    for j in range(n_tou):
                        part = left if j == n_tou - 1 else (kwh * shares[j] + 50) // 100
                        left -= part
                        tou_values[j] += part
                        rows.append((first_reg + 1 + j, day, tou_values[j],
                                     part if k else None))
                if p.demand and k:
                    md = rng.randint(60, 180) * 1000 + rng.randint(0, 999)
                    rows.append((first_reg + 1 + n_tou, day, md, None))
            if len(rows) >= 100_000:
                bulk_insert(conn, "readings", READING_OWN_COLUMNS, rows, fixed)
                written += len(rows)
                rows = []
        bulk_insert(conn, "readings", READING_OWN_COLUMNS, rows, fixed)
        written += len(rows)
    task.report(written, written, "readings")
    return written


def business_moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=UTC)
