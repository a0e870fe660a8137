"""Every MT940 and camt.053 file of the conformance corpus, against what its peers read.

The expected values are computed here, independently of our parsers (issue 17, point 15):

* MT940: the ``mt-940`` package (5.1.1) reads each statement block
  (``mt940.parse_statements``, reversal marks signed as the debits/credits they are).
  Its figures are expected unless the file breaks a rule it does not check: a raw amount
  field longer than SWIFT's 15 characters, zeros in front not counted (it cuts it), a
  date that does not exist (it turns February 30 into February 28/29), a balance without
  a currency code (it takes three digits as the currency), a currency that is not a
  current ISO 4217 code, a missing balance or account, or opening + entries != closing.
  Those files, and the ones the package cannot read at all, must be refused with a
  located error of that kind.
* camt.053: lxml/XPath, the ISO 20022 rule that ``CdtDbtInd`` gives an entry's direction
  (reversals included), booked entries only; the same refusal rules for currencies,
  amounts and balances, and a file without a statement is refused.

For a file refused only because its balances do not add up, what we read (without the
balance check) must still equal what the peer reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import mt940
import pytest
from lxml import etree

from ebs_desktop.domain.bankstatements import BankStatement, parse_statement_file
from ebs_desktop.domain.iso4217 import ISO_4217_EXPONENTS
from ebs_desktop.domain.money import currency_exponent
from ebs_desktop.errors import ValidationError
from tests.conformance import conformance_dir

NOT_DATA = ("README.md", "SOURCES.txt")


def corpus(sub: str) -> list[Path]:
    files = sorted(p for p in conformance_dir(sub).iterdir()
                   if p.is_file() and p.name not in NOT_DATA and not p.name.startswith("LICENSE"))
    assert files, f"no files in {sub}"
    return files


@dataclass
class Expected:
    statements: list[tuple[int, Decimal, str]] = field(default_factory=list)
    """(entries, sum of entries, currency) per statement, as the peer reads them."""
    refusals: set[str] = field(default_factory=set)
    """Kinds of fault; empty means the file must be accepted."""


REFUSAL_TEXT = {
    "peer": r"could not be read|expected|no account|not a|no MT940 statement|cut short|"
            r"no opening|no closing|interim",
    "length": r"characters long",
    "date": r"is not a date",
    "currency": r"currency|not a current ISO 4217|with a minor unit|, the statement in ",
    "missing": r"no account|no opening balance|no closing balance|no MT940 statement|"
               r"holds no statement|missing amount|not a bank statement",
    "balances": r"balances do not add up",
    "amount": r"is not a decimal number|missing amount",
}


def check(path: Path, expected: Expected) -> None:
    data = path.read_bytes()
    if expected.refusals:
        with pytest.raises(ValidationError) as exc:
            parse_statement_file(data, path.name)
        message = str(exc.value)
        assert exc.value.location is not None
        assert exc.value.location.startswith(f"{path.name}:"), message
        assert "object at 0x" not in message and "Traceback" not in message
        pattern = "|".join(REFUSAL_TEXT[k] for k in expected.refusals)
        assert re.search(pattern, message), (expected.refusals, message)
        if expected.refusals == {"balances"}:
            read = parse_statement_file(data, path.name, check_balances=False)
            assert summary(read) == expected.statements
        return
    assert summary(parse_statement_file(data, path.name)) == expected.statements


def summary(statements: tuple[BankStatement, ...]) -> list[tuple[int, Decimal, str]]:
    """Per statement: camt entries (records split from one Ntry share its line), sum, currency."""
    return [(len({e.location for e in st.entries}) if st.source_format != "mt940"
             else len(st.entries), st.movements().amount, st.currency) for st in statements]


def known(code: object) -> bool:
    return (isinstance(code, str) and code in ISO_4217_EXPONENTS
            and ISO_4217_EXPONENTS[code] == currency_exponent(code))


# -- MT940 ---------------------------------------------------------------------------------
_RAW_LINE = re.compile(r"^:61:(\d{6})(\d{4})?R?[CD][A-Z]?\n?([\d,]*)", re.M | re.I)
_RAW_BALANCE = re.compile(r"^:6[02][FM]?:[CD](\d{6})[A-Z]{3}([\d,]*)", re.M)


def _valid_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def raw_faults(text: str) -> set[str]:
    """What the package reads past: over-long amount fields, dates that do not exist."""
    faults: set[str] = set()
    for value_date, entry, amount in _RAW_LINE.findall(text):
        if not _valid_date(value_date) or (entry and not _valid_date(value_date[:2] + entry)):
            faults.add("date")
        if len(amount.lstrip("0")) > 15:
            faults.add("length")
    for day, amount in _RAW_BALANCE.findall(text):
        if not _valid_date(day):
            faults.add("date")
        if len(amount.lstrip("0")) > 15:  # zeros in front carry nothing (Rabobank pads)
            faults.add("length")
    return faults


def _balance(data: dict[str, Any], kind: str) -> Any:
    return (data.get(f"final_{kind}_balance") or data.get(f"intermediate_{kind}_balance")
            or data.get(f"{kind}_balance"))


def expected_mt940(data: bytes) -> Expected:
    expected = Expected()
    options = mt940.Options(reversal_sign=True, case_insensitive_marks=True)
    try:
        blocks = mt940.parse_statements(data, options=options)
    except Exception:  # the package cannot read it: so neither may we
        expected.refusals.add("peer")
        return expected
    if not blocks:
        expected.refusals.add("missing")
    expected.refusals |= raw_faults(data.decode("utf-8", "replace"))
    for block in blocks:
        opening, closing = _balance(block.data, "opening"), _balance(block.data, "closing")
        amounts = [t.data["amount"].amount for t in block]
        if not block.data.get("account_identification") or opening is None or closing is None:
            expected.refusals.add("missing")
            continue
        currency = opening.amount.currency
        if not known(currency) or closing.amount.currency != currency:
            expected.refusals.add("currency")
            continue
        total = sum(amounts, Decimal(0))
        expected.statements.append((len(amounts), total, currency))
        if opening.amount.amount + total != closing.amount.amount:
            expected.refusals.add("balances")
    return expected


@pytest.mark.parametrize("path", corpus("mt940"), ids=lambda p: p.name)
def test_mt940_corpus(path: Path) -> None:
    check(path, expected_mt940(path.read_bytes()))


# -- camt.053 ------------------------------------------------------------------------------
_CAMT = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0[2-8]$")


def signed(node: Any, ns: dict[str, str]) -> tuple[Decimal, str]:
    amount = node.find("c:Amt", ns)
    if amount is None:
        raise LookupError("no Amt")
    value = Decimal((amount.text or "").strip())
    return (value if node.findtext("c:CdtDbtInd", None, ns) == "CRDT" else -value,
            amount.get("Ccy", ""))


def expected_camt(data: bytes) -> Expected:
    expected = Expected()
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    namespace = etree.QName(root).namespace or ""
    if not _CAMT.match(namespace):
        expected.refusals.add("peer")
        return expected
    ns = {"c": namespace}
    statements = root.findall("c:BkToCstmrStmt/c:Stmt", ns)
    if not statements:
        expected.refusals.add("missing")
    for stmt in statements:
        booked = [n for n in stmt.findall("c:Ntry", ns)
                  if (n.findtext("c:Sts/c:Cd", None, ns) or n.findtext("c:Sts", "", ns)
                      ).strip() in ("BOOK", "")]
        try:
            entries = [signed(n, ns) for n in booked]
        except (LookupError, InvalidOperation):
            expected.refusals.add("amount")
            continue
        balances = {b.findtext("c:Tp/c:CdOrPrtry/c:Cd", "", ns): signed(b, ns)
                    for b in stmt.findall("c:Bal", ns)}
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        currency = (stmt.findtext("c:Acct/c:Ccy", None, ns)
                    or next((b[1] for b in (opening, closing) if b), None)
                    or next((c for _, c in entries), ""))
        total = sum((a for a, _ in entries), Decimal(0))
        expected.statements.append((len(entries), total, currency))
        used = [c for _, c in entries] + [b[1] for b in (opening, closing) if b]
        if not known(currency) or any(c != currency for c in used):
            expected.refusals.add("currency")
        elif opening and closing and opening[0] + total != closing[0]:
            expected.refusals.add("balances")
    return expected


@pytest.mark.parametrize("path", corpus("camt053"), ids=lambda p: p.name)
def test_camt053_corpus(path: Path) -> None:
    check(path, expected_camt(path.read_bytes()))


def test_oca_reversal_is_booked_by_its_cdtdbtind() -> None:
    """The DBIT + RvslInd entry of OCA's test-camt053.xml: -664.05, the entries -12.99."""
    path = conformance_dir("camt053") / (
        "oca__account_statement_import_camt_test_files_test-camt053.xml")
    (st,) = parse_statement_file(path.read_bytes(), path.name, check_balances=False)
    assert st.movements().amount == Decimal("-12.99")
    reversal = [e for e in st.entries if e.location.endswith(":113")]
    assert sum(e.amount.minor for e in reversal) == -66405
