"""The CLI's money options under fuzz: ``ebs pay --amount/--tendered``, ``shift drop
--amount``, ``shift close --count/--card`` and ``bill-calc --kwh/--register/--demand-kw``.

Property: every input ends either in a correct posting (the amounts stored are exactly the
ones typed, within the ceiling) or in one ``error: ...`` line with a non-zero exit and the
database unchanged (every table but the sign-in's own rows). One SQLite database per
entry point, reused by all its cases; the books check runs on it at the end. The CLI signs
in as a real clerk (``--user``), as it must on PostgreSQL.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_QUANTITY, MAX_TOTAL_MINOR, Money
from ebs_desktop.domain.tariffs import read_tariff_file
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift
from ebs_desktop.services.demo.build import TARIFF_DIR
from tests.fuzz.checksum import (
    SIGN_IN_TABLES,
    audit_count,
    changes,
    new_audit_actions,
    snapshot,
)
from tests.fuzz.cli_run import Outcome, ebs
from tests.fuzz.profiles import CASES, FUZZ
from tests.fuzz.strategies import (
    amount_texts,
    exact,
    junk,
    minor_units,
    number_like,
    quantity_texts,
)
from tests.support.counter_scratch import CLERK, SUPERVISOR, Scratch, seed_counter_scratch

SIGN_IN_ACTIONS = {"user.login"}


@dataclass
class Counter:
    """The state a fuzz test carries from case to case."""

    url: str
    db: Database
    scratch: Scratch
    before: dict[str, tuple[int, str]]
    cases: int = 0
    postings: int = 0

    def refresh(self) -> None:
        self.before = snapshot(self.db, SIGN_IN_TABLES)

    def unchanged(self, out: Outcome, audit_from: int, what: object) -> None:
        """An error: nothing but the sign-in may have been written."""
        moved = changes(self.before, snapshot(self.db, SIGN_IN_TABLES))
        assert not moved, f"{what!r} was refused ({out.stderr.strip()}) but changed {moved}"
        extra = set(new_audit_actions(self.db, audit_from)) - SIGN_IN_ACTIONS
        assert not extra, f"{what!r} was refused but audited {extra}"


@pytest.fixture
def counter(sqlite_file: tuple[str, Database], cheap_passwords: None) -> Counter:
    url, db = sqlite_file
    scratch = seed_counter_scratch(db, 40)  # each account owes 2 bills of 45.50
    out = ebs(url, CLERK, "shift", "open", "--counter", "C01", "--float", "100")
    assert out.ok, out.stderr
    return Counter(url, db, scratch, snapshot(db, SIGN_IN_TABLES))


def _one(db: Database, sql: str) -> tuple[object, ...]:
    with db.read() as s:
        return tuple(s.execute(text(sql)).one())


# -- ebs pay ----------------------------------------------------------------------------------

@pytest.mark.timeout(900)
def test_pay_amount_and_tendered(counter: Counter) -> None:
    @FUZZ
    @given(amount=amount_texts, tender=st.sampled_from(["cash", "cash", "card"]),
           tendered=st.none() | amount_texts, account=st.integers(0, 39))
    def case(amount: str, tender: str, tendered: str | None, account: int) -> None:
        counter.cases += 1
        args = ["pay", "--counter", "C01", "--account", counter.scratch.account_numbers[account],
                "--amount", amount, "--tender", tender, "--key", uuid.uuid4().hex]
        if tender == "cash" and tendered is not None:
            args += ["--tendered", tendered]
        if tender == "card":
            args += ["--card-last4", "4242", "--approval", "A1B2C3"]
        audit_from = audit_count(counter.db)
        out = ebs(counter.url, CLERK, *args)
        if not out.ok:
            counter.unchanged(out, audit_from, (amount, tendered))
            return
        minor = minor_units(amount)
        assert minor is not None, f"--amount {amount!r} was posted"
        paid, tender_kind, given_minor, change = _one(counter.db, (
            "SELECT p.amount_minor, t.tender, t.tendered_minor, t.change_minor FROM payments p"
            " JOIN payment_tenders t ON t.payment_id = p.id ORDER BY p.id DESC LIMIT 1"))
        assert (paid, tender_kind) == (minor, tender), (amount, paid)
        if tender == "cash":  # an empty --tendered is no --tendered: the amount exactly
            expected = minor if not tendered else minor_units(tendered)
            assert expected is not None, f"--tendered {tendered!r} was taken"
            assert (given_minor, change) == (expected, expected - minor), (tendered, given_minor)
        counter.postings += 1
        counter.refresh()

    case()
    assert counter.cases >= CASES
    assert counter.postings > 0, "no payment at all was posted"


# -- ebs shift drop ---------------------------------------------------------------------------

@pytest.mark.timeout(900)
def test_shift_drop_amount(counter: Counter) -> None:
    @FUZZ
    @given(amount=amount_texts)
    def case(amount: str) -> None:
        counter.cases += 1
        audit_from = audit_count(counter.db)
        out = ebs(counter.url, CLERK, "shift", "drop", "--counter", "C01", "--amount", amount)
        if not out.ok:
            counter.unchanged(out, audit_from, amount)
            return
        minor = minor_units(amount)
        assert minor is not None, f"a safe drop of {amount!r} was recorded"
        (dropped,) = _one(counter.db, "SELECT amount_minor FROM safe_drops ORDER BY id DESC"
                                      " LIMIT 1")
        assert dropped == minor, (amount, dropped)
        counter.postings += 1
        counter.refresh()

    case()
    assert counter.cases >= CASES
    assert counter.postings > 0, "no safe drop at all was recorded"


# -- ebs shift close --------------------------------------------------------------------------

USD_FACES = ("100", "50", "20", "10", "5", "2", "1", "0.50", "0.25", "0.10", "0.05", "0.01")
face_texts = st.one_of(st.sampled_from(USD_FACES), st.sampled_from(USD_FACES).map(
    lambda f: f + "0"), amount_texts)
piece_texts = st.one_of(st.integers(0, 60).map(str), st.sampled_from(
    ["99999999999999999999", "9223372036854775807", "-1", "1.5", "", "x", "1e3", " 3",
     "\u0663", "00"]), number_like, junk)
count_texts = st.one_of(st.just("0"), amount_texts)


def count_minor(text_: str) -> int | None:
    """A counted total (card slips...): 0 or a valid amount, in minor units."""
    value = exact(text_)
    return 0 if value is not None and value == 0 else minor_units(text_)


def expected_cash_rows(counts: list[tuple[str, str]]) -> dict[int, int] | None:
    """{denomination minor: pieces} a correct close stores, or None if it must refuse."""
    faces = {int(Decimal(f) * 100) for f in USD_FACES}
    rows: dict[int, int] = {}
    for face, pieces in counts:
        minor = minor_units(face)
        if minor is None or minor not in faces:
            return None
        p = pieces.strip()
        if not p.isdigit():
            return None
        rows[minor] = rows.get(minor, 0) + int(p)
    if any(m * n > MAX_AMOUNT_MINOR for m, n in rows.items()):
        return None
    if sum(m * n for m, n in rows.items()) > MAX_TOTAL_MINOR:
        return None
    return rows


@pytest.mark.timeout(900)
def test_shift_close_counts(counter: Counter) -> None:
    @FUZZ
    @given(counts=st.lists(st.tuples(face_texts, piece_texts), max_size=4), card=count_texts)
    def case(counts: list[tuple[str, str]], card: str) -> None:
        counter.cases += 1
        args = ["shift", "close", "--counter", "C01", "--card", card,
                "--supervisor", SUPERVISOR[0]]
        for face, pieces in counts:
            args += ["--count", f"{face}={pieces}"]
        audit_from = audit_count(counter.db)
        out = ebs(counter.url, CLERK, *args, supervisor=SUPERVISOR)
        if not out.ok:
            counter.unchanged(out, audit_from, (counts, card))
            return
        rows = expected_cash_rows(counts)
        card_minor = count_minor(card)
        assert rows is not None, f"the count {counts!r} was stored"
        assert card_minor is not None, f"--card {card!r} was stored"
        with counter.db.read() as s:
            shift = s.execute(text("SELECT MAX(id) FROM shifts WHERE status = 'closed'")
                              ).scalar_one()
            stored = {(str(t), d): (int(q), int(a)) for t, d, q, a in s.execute(text(
                "SELECT tender, denomination_minor, quantity, amount_minor FROM shift_counts"
                " WHERE shift_id = :s"), {"s": shift})}
        want = {("cash", d): (n, d * n) for d, n in rows.items()}
        want[("card", None)] = (1, card_minor)
        assert {k: v for k, v in stored.items() if k[0] == "cash" or k[0] == "card"} == want
        counter.postings += 1
        open_shift(counter.db, login(counter.db, *CLERK), "C01", Money(0, "USD"))
        counter.refresh()

    case()
    assert counter.cases >= CASES
    assert counter.postings > 0, "no shift was closed at all"


# -- ebs bill-calc ----------------------------------------------------------------------------

TARIFFS = {name: TARIFF_DIR / f"{name}.toml" for name in ("res-1", "com-tou", "ind-md")}
REGISTERS = ("offpeak", "shoulder", "peak")  # COM-TOU's; the others have none


def quantity(text_: str) -> Decimal | None:
    value = exact(text_)
    return value if value is not None and abs(value) <= MAX_QUANTITY else None


def _total_line(stdout: str) -> str:
    for line in stdout.splitlines():
        parts = line.split()
        if parts[:1] == ["TOTAL"]:
            return parts[1]
    raise AssertionError(f"no TOTAL in {stdout!r}")


@pytest.mark.timeout(900)
def test_bill_calc_quantities(counter: Counter) -> None:
    @FUZZ
    @given(tariff=st.sampled_from(sorted(TARIFFS)), kwh=quantity_texts,
           register_kwh=st.lists(quantity_texts, min_size=3, max_size=3),
           demand=st.none() | quantity_texts)
    def case(tariff: str, kwh: str, register_kwh: list[str], demand: str | None) -> None:
        counter.cases += 1
        registers = list(zip(REGISTERS, register_kwh, strict=True)) if tariff == "com-tou" \
            else []
        args = ["bill-calc", "--tariff", str(TARIFFS[tariff]), "--from", "2026-05-01",
                "--to", "2026-05-31", "--kwh", kwh]
        for name, q in registers:
            args += ["--register", f"{name}={q}"]
        if demand is not None:
            args += ["--demand-kw", demand]
        audit_from = audit_count(counter.db)
        out = ebs(counter.url, SUPERVISOR, *args)
        if not out.ok:
            counter.unchanged(out, audit_from, args[7:])
            return
        values = [quantity(kwh), *(quantity(q) for _n, q in registers),
                  *(() if demand is None else (quantity(demand),))]
        assert None not in values, f"bill-calc took {args[7:]!r}"
        counter.unchanged(out, audit_from, args[7:])  # a calculation writes nothing
        usage = Usage(Decimal(kwh.strip()), {n.strip(): Decimal(q.strip())
                                             for n, q in registers},
                      None if demand is None else Decimal(demand.strip()))
        versions = read_tariff_file(TARIFFS[tariff])
        bill = calculate_bill(versions.versions, _day(1), _day(31), usage, AccountFacts(),
                              versions.currency, None)
        assert abs(bill.total.minor) <= MAX_AMOUNT_MINOR, f"a bill of {bill.total} for {args}"
        assert _total_line(out.stdout) == str(bill.total), (args[7:], out.stdout)
        counter.postings += 1

    case()
    assert counter.cases >= CASES
    assert counter.postings > 0, "no bill was calculated at all"


def _day(day: int) -> date:
    return date(2026, 5, day)
