"""Bank statements (MT940 and camt.053, ``ebs bank import``) under fuzz, on both backends.

Each case is one statement built from generated parts: its currency (the utility's USD,
others with 0 or 3 decimals, invalid codes), entries whose amount, date, direction and
reference are valid or not (amounts beyond 15 characters or the ceiling, a comma where a
point belongs, too many decimals, 2026-02-30...), balances that add up or not; the file
may be cut off or carry bytes that are not UTF-8. Property: the import refuses the file
with a located error and leaves the database unchanged, or stores every entry with its
exact amount (in the statement currency's minor units) after checking that opening +
entries = closing; a line in another currency than the utility's never becomes a
payment, and every payment has its line's amount.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from ebs_desktop.domain.money import MAX_AMOUNT_MINOR
from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.bank import import_statement
from tests.fuzz.checksum import changes, snapshot
from tests.fuzz.profiles import cases_for, fuzz_settings
from tests.fuzz.strategies import junk
from tests.support.counter_scratch import seed_counter_scratch

ACTOR = system_actor("fuzz")
EXPONENTS = {"USD": 2, "EUR": 2, "KWD": 3, "JPY": 0}


@dataclass(frozen=True)
class Entry:
    credit: bool
    reversal: bool
    amount: Decimal | None  # the value written, when it is a valid amount
    amount_text: str
    day: date | None  # the booking date written, when it is a real date
    day_text: tuple[str, str, str]  # year, month, day as written
    reference: str


@dataclass(frozen=True)
class Statement:
    ref: str
    currency: str
    opening: Decimal
    closing: Decimal
    entries: tuple[Entry, ...]


# -- generators -------------------------------------------------------------------------------

currencies = st.sampled_from(("USD", "USD", "USD", "USD", "EUR", "KWD", "JPY", "usd", "XX",
                              "US1"))
BAD_AMOUNTS = ("99999999999999999999.99", "999999999999.99", "10000000000.00", "1e5", "NaN",
               "", ".5", "45.", "-45.50", "45.505", "45,50", "0.00", "1 000.00", "4.5.5")
BAD_DAYS = (("2026", "02", "30"), ("2026", "13", "01"), ("2026", "00", "10"),
            ("2026", "06", "31"), ("20x6", "06", "01"))


def _entry(exp: int, account_refs: tuple[str, ...]) -> st.SearchStrategy[Entry]:
    good = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=exp,
                       allow_nan=False).map(lambda d: f"{d:f}")
    amount_text = st.one_of(good, good, st.sampled_from(BAD_AMOUNTS))
    day_text = st.one_of(st.integers(1, 14).map(lambda d: ("2026", "06", f"{d:02d}")),
                         st.sampled_from(BAD_DAYS))
    reference = st.one_of(st.sampled_from(account_refs).map(lambda a: f"Account {a} bill"),
                          st.just("NONREF"), junk.map(lambda t: t.replace("\n", " ")))
    return st.builds(_make_entry, st.booleans(), st.booleans(), amount_text, day_text,
                     reference)


_DECIMAL = r"[0-9]+(\.[0-9]*)?|\.[0-9]+"  # xs:decimal without a sign


def _make_entry(credit: bool, reversal: bool, amount_text: str,
                day_text: tuple[str, str, str], reference: str) -> Entry:
    amount = Decimal(amount_text) if re.fullmatch(_DECIMAL, amount_text) else None
    try:
        day: date | None = date(*(int(x) for x in day_text))
    except ValueError:
        day = None
    return Entry(credit, reversal, amount, amount_text, day, day_text, reference)


@st.composite
def statements(draw: st.DrawFn, account_refs: tuple[str, ...]) -> Statement:
    currency = draw(currencies)
    exp = EXPONENTS.get(currency, 2)
    entries = tuple(draw(st.lists(_entry(exp, account_refs), min_size=1, max_size=4)))
    opening = draw(st.decimals(min_value=0, max_value=100000, places=exp, allow_nan=False))
    moved = sum((e.amount if e.credit else -e.amount) for e in entries if e.amount is not None)
    closing = opening + moved + draw(st.sampled_from((0, 0, 0, 1, -1))) * Decimal(1).scaleb(-exp)
    return Statement(uuid.uuid4().hex[:16], currency, opening, closing, entries)


damage = st.one_of(st.none(), st.none(), st.none(),
                   st.tuples(st.just("cut"), st.integers(0, 5000)),
                   st.tuples(st.just("bytes"), st.integers(0, 5000)))


# -- the two formats --------------------------------------------------------------------------

def _mt_amount(value: Decimal | str) -> str:
    """MT940 writes 45,50 (and 107, for a whole amount)."""
    text_ = (value if isinstance(value, str) else f"{value:f}").replace(".", ",")
    return f"{text_}," if text_.isascii() and text_.isdigit() else text_


def _mt_balance(tag: str, value: Decimal, currency: str) -> str:
    mark = "C" if value >= 0 else "D"
    return f":{tag}:{mark}260601{currency}{_mt_amount(abs(value))}"


def mt940(s: Statement) -> tuple[bytes, int]:
    """The file, and the offset where its closing balance line ends."""
    lines = [f":20:{s.ref}", ":25:NL91ABNA0417164300", ":28C:1/1",
             _mt_balance("60F", s.opening, s.currency)]
    for i, e in enumerate(s.entries):
        year, month, day = e.day_text
        mark = ("R" if e.reversal else "") + ("C" if e.credit else "D")
        lines.append(f":61:{year[2:]}{month}{day}{month}{day}{mark}{_mt_amount(e.amount_text)}"
                     f"NTRF{'NONREF' if e.reference == 'NONREF' else f'REF{i}'}//B{i}")
        lines.append(f":86:/REMI/{e.reference}")
    lines.append(_mt_balance("62F", s.closing, s.currency))
    body = "\n".join(lines)
    return (body + "\n-\n").encode("utf-8", "surrogateescape"), len(body.encode(
        "utf-8", "surrogateescape"))


def camt053(s: Statement) -> tuple[bytes, int]:
    def bal(code: str, value: Decimal) -> str:
        return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                f"<Amt Ccy=\"{escape(s.currency)}\">{abs(value):f}</Amt>"
                f"<CdtDbtInd>{'CRDT' if value >= 0 else 'DBIT'}</CdtDbtInd>"
                "<Dt><Dt>2026-06-01</Dt></Dt></Bal>")

    entries = "".join(
        f"<Ntry><Amt Ccy=\"{escape(s.currency)}\">{escape(e.amount_text)}</Amt>"
        f"<CdtDbtInd>{'CRDT' if e.credit else 'DBIT'}</CdtDbtInd>"
        f"<RvslInd>{'true' if e.reversal else 'false'}</RvslInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{'-'.join(e.day_text)}</Dt></BookgDt>"
        f"<ValDt><Dt>{'-'.join(e.day_text)}</Dt></ValDt>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>E{i}</EndToEndId></Refs>"
        f"<RmtInf><Ustrd>{escape(e.reference)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for i, e in enumerate(s.entries))
    doc = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document xmlns=\"urn:iso:std:iso:"
           "20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId>"
           "<CreDtTm>2026-06-15T10:00:00</CreDtTm></GrpHdr>"
           f"<Stmt><Id>{s.ref}</Id><CreDtTm>2026-06-15T10:00:00</CreDtTm>"
           f"<Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id><Ccy>{escape(s.currency)}</Ccy>"
           f"</Acct>{bal('OPBD', s.opening)}{bal('CLBD', s.closing)}{entries}</Stmt>"
           "</BkToCstmrStmt></Document>\n")
    data = doc.encode("utf-8", "surrogateescape")
    return data, len(data) - 1


def _sign(e: Entry, fmt: str) -> int:
    """The direction a correct reader gives the entry: camt's CdtDbtInd says it (a
    reversal flag does not flip it); in MT940 RC is a debit and RD a credit."""
    if fmt == "camt":
        return 1 if e.credit else -1
    return (1 if e.credit else -1) * (-1 if e.reversal else 1)


def _valid_amount(e: Entry, exp: int, fmt: str) -> bool:
    """Whether a correct reader may take the amount as written: the format's syntax (MT940
    ``15d``: digits, a decimal comma, at most 15 characters; camt: an unsigned decimal),
    no more significant decimals than the currency has, within the ceiling."""
    if e.amount is None:
        return False
    written = _mt_amount(e.amount_text)
    if fmt == "mt940" and not (re.fullmatch(r"[0-9]+,[0-9]*", written) and len(written) <= 15):
        return False
    # decimals beyond the currency's that are zeros change nothing (JPY "4550,00" is 4550)
    places = max(0, -int(e.amount.normalize().as_tuple().exponent))
    return places <= exp and e.amount.scaleb(exp) <= MAX_AMOUNT_MINOR


# -- the property -----------------------------------------------------------------------------

@pytest.mark.timeout(900)
@pytest.mark.parametrize("fmt", ["mt940", "camt"])
def test_statement_is_stored_exactly_or_refused(fuzz_db: Database, fmt: str) -> None:
    db = fuzz_db
    scratch = seed_counter_scratch(db, 20)
    state = {"before": snapshot(db), "cases": 0, "stored": 0}
    build = mt940 if fmt == "mt940" else camt053
    name = "fuzz.sta" if fmt == "mt940" else "fuzz.xml"

    @fuzz_settings(db.backend)
    @given(s=statements(scratch.account_numbers), how=damage)
    def case(s: Statement, how: tuple[str, int] | None) -> None:
        state["cases"] += 1
        data, closing_end = build(s)
        whole = True  # a file cut before its closing balance is not whole; a stray byte
        if how is not None:  # in free text is read as Latin-1, as banks' files often are
            at = how[1] % len(data)
            whole = how[0] == "bytes" or at >= closing_end
            data = data[:at] if how[0] == "cut" else data[:at] + b"\xff\xfe" + data[at:]
        try:
            import_statement(db, ACTOR, data, name)
        except EbsError as exc:
            location = getattr(exc, "location", None) or ""
            assert location.startswith(name), f"{exc} does not name the file"
            assert " object at 0x" not in str(exc), f"a Python object in the message: {exc}"
            moved = changes(state["before"], snapshot(db))
            assert not moved, f"{s} refused ({exc}) but changed {moved}"
            return
        assert whole, f"a damaged file was taken ({how}): {data[-80:]!r}"
        exp = EXPONENTS.get(s.currency)
        assert exp is not None, f"currency {s.currency!r} was taken"
        for e in s.entries:
            assert _valid_amount(e, exp, fmt), f"amount {e.amount_text!r} was taken"
            assert e.day is not None, f"date {'-'.join(e.day_text)} was taken"
        assert s.opening + sum(_sign(e, fmt) * (e.amount or Decimal(0)) for e in s.entries) == \
            s.closing, f"balances that do not add up were taken: {s}"
        want = sorted(_sign(e, fmt) * int((e.amount or Decimal(0)).scaleb(exp)) for e in s.entries)
        with db.read() as session:
            rows = session.execute(text(
                "SELECT l.amount_minor, l.payment_id, p.amount_minor FROM bank_lines l"
                " JOIN bank_statements t ON t.id = l.statement_id LEFT JOIN payments p"
                " ON p.id = l.payment_id WHERE t.id = (SELECT MAX(id) FROM bank_statements)"
            )).all()
        assert sorted(int(r[0]) for r in rows) == want, f"stored {rows}, the file says {want}"
        for amount, payment, paid in rows:
            if payment is not None:
                assert s.currency == "USD", f"a {s.currency} line became a payment"
                assert paid == amount > 0, f"a line of {amount} paid {paid}"
        state["stored"] += 1
        state["before"] = snapshot(db)

    case()
    assert state["cases"] >= cases_for(db.backend)
    assert state["stored"], "no statement was ever stored"
