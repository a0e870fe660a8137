"""Fuzzing the statement parsers: any input gives statements or one located ValidationError.

Never another exception (a traceback), never an object address in the message, and a
statement that is returned always holds together: known currency, amounts within the
ceiling, opening + entries = closing where both are stated. The balances override
(``check_balances=False``) lifts that last rule and nothing else.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ebs_desktop.domain.bankstatements import (
    BankStatement,
    UnbalancedStatement,
    parse_statement_file,
)
from ebs_desktop.domain.iso4217 import known_currency
from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_TOTAL_MINOR
from ebs_desktop.errors import ValidationError

FUZZ = settings(max_examples=400, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MT940 = (":20:STMT1\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C260201EUR100,00\n"
         ":61:2602010201CR45,50NTRFNONREF//B1\n:86:/REMI/Electricity acc 100000011\n"
         ":61:2602020202D5,00NMSCNONREF\n:86:fee\n:62F:C260202EUR140,50\n")
CAMT = ("<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
        "camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>S1</Id><Acct><Id><IBAN>NL91</IBAN></Id>"
        "<Ccy>EUR</Ccy></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>"
        "<Amt Ccy=\"EUR\">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-01</Dt></Dt>"
        "</Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">140.50</Amt>"
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-02-02</Dt></Dt></Bal>"
        "<Ntry><Amt Ccy=\"EUR\">45.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>false</RvslInd>"
        "<Sts>BOOK</Sts><BookgDt><Dt>2026-02-01</Dt></BookgDt><NtryDtls><TxDtls><Refs>"
        "<EndToEndId>E1</EndToEndId></Refs><RmtInf><Ustrd>acc 100000011</Ustrd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry>"
        "<Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-02-02</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>")

# Pieces a mutation puts in: digits, separators, tag starts, signs, currency-like words.
PIECES = st.sampled_from([
    "9", "0", ",", ".", "-", "\n", "\r\n", ":61:", ":62M:", ":60F:", ":20:", ":86:", "C", "D",
    "RC", "EUR", "KWD", "JPY", "XXX", "999999999999999999999", "0230", "1e999", "<", ">",
    "</Amt>", "<Amt Ccy=\"USD\">", "&amp;", "\x00", "\xff", "CRDT", "DBIT", "true",
])


def _holds_together(statements: tuple[BankStatement, ...], *, balances: bool = True) -> None:
    assert statements
    for st_ in statements:
        known_currency(st_.currency)
        for entry in st_.entries:
            assert entry.amount.currency == st_.currency
            assert abs(entry.amount.minor) <= MAX_AMOUNT_MINOR
        for balance in (st_.opening, st_.closing):
            assert balance is None or abs(balance.minor) <= MAX_TOTAL_MINOR
        assert st_.balances_add_up() or not balances


def _located(exc: ValidationError, name: str) -> None:
    assert exc.location is not None and exc.location.startswith(f"{name}:")
    assert not re.search(r"object at 0x|Traceback", str(exc))


def _parse(data: bytes, name: str) -> None:
    """Default and override readings agree except on the balances, the only overridable rule."""
    overridden: tuple[BankStatement, ...] | None = None
    try:
        overridden = parse_statement_file(data, name, check_balances=False)
    except ValidationError as exc:
        assert not isinstance(exc, UnbalancedStatement)
        _located(exc, name)
    else:
        _holds_together(overridden, balances=False)
    try:
        statements = parse_statement_file(data, name)
    except UnbalancedStatement as exc:  # the override reads it, or a later statement's fault
        _located(exc, name)
        assert overridden is None or any(s.balance_fault() for s in overridden)
        return
    except ValidationError as exc:  # a fault the override does not lift
        _located(exc, name)
        assert overridden is None
        return
    _holds_together(statements)
    assert overridden == statements


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> bytes:
    for position, length, piece in edits:
        at = position % (len(text) + 1)
        text = text[:at] + piece + text[at + length % 4:]
    return text.encode("utf-8", "surrogateescape")


EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 3),
                           st.one_of(PIECES, st.text(max_size=6))), min_size=1, max_size=4)


@FUZZ
@given(EDITS)
def test_mutated_mt940(edits: list[tuple[int, int, str]]) -> None:
    _parse(_mutate(MT940, edits), "m.sta")


@FUZZ
@given(EDITS)
def test_mutated_camt053(edits: list[tuple[int, int, str]]) -> None:
    _parse(_mutate(CAMT, edits), "c.xml")


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(data: bytes) -> None:
    _parse(data, "b.bin")
    _parse(b":20:X\n:25:1\n" + data, "b.sta")
    _parse(b"<" + data, "b.xml")


@FUZZ
@given(st.sampled_from(["C", "D", "RC", "RD", "c", "X"]),
       st.from_regex(r"[0-9]{6}", fullmatch=True),
       st.from_regex(r"[0-9,.]{0,25}", fullmatch=True),
       st.sampled_from(["EUR", "KWD", "JPY", "QQQ", "eur", "12", ""]))
def test_statement_line_fields(mark: str, day: str, amount: str, currency: str) -> None:
    data = (f":20:S\n:25:1\n:60F:C{day}{currency}0,\n:61:{day}{mark}{amount}NTRF\n"
            f":62F:{mark[-1:]}{day}{currency}{amount}\n").encode()
    _parse(data, "f.sta")
