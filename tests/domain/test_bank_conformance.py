"""Every MT940 and camt.053 file of the conformance corpus, against what its peers read.

Each file has one of three expected outcomes (issue 17, points 3 and 15):

(a) accepted, with the peer's number of entries, their sum and the currency per statement;
(b) refused by default for its balances only (opening + entries != closing, a balance in
    another currency than the entries, an MT940 statement without its closing balance),
    and read on the override (``check_balances=False``, ``ebs bank import
    --accept-unbalanced``) with exactly the peer's entries, sum and currency;
(c) refused with a located error, override or not: the files in :data:`REFUSED`, each
    with the reason. Everything else is (a) or (b), as the peer's own figures say.

The expected figures are computed here, independently of our parsers:

* MT940: the ``mt-940`` package (5.1.1, ``mt940.parse_statements``, reversal marks signed
  as the debits/credits they are). Where it refuses a file over free text only (ASN's and
  SNS's 18-character IBAN reference with the name on the next line, ING's wrapped bank
  reference and ``:28C:`` statement number), it reads it again with its ``:61:`` pattern
  unchanged but ``.`` also matching line breaks, and any text as the statement number:
  dates, marks and amounts are still read by its own patterns.
* camt.053: lxml/XPath, the ISO 20022 rule that ``CdtDbtInd`` gives an entry's direction
  (reversals included), booked entries only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import mt940
import pytest
from lxml import etree

from ebs_desktop.domain.bankstatements import (
    BankStatement,
    UnbalancedStatement,
    parse_statement_file,
)
from ebs_desktop.errors import ValidationError
from tests.conformance import conformance_dir, conformance_root

NOT_DATA = ("README.md", "SOURCES.txt")

_FRAGMENT = "not a bank statement"
_DEM = "'DEM' is not a current ISO 4217 currency"
_FEB_30 = "'160230' is not a date"
_MT942 = "no opening balance .*MT942"
#: (c) The files refused whatever the balances, with the refusal's text and why.
REFUSED: dict[str, dict[str, str]] = {
    "mt940": {
        # single-field test snippets of the source projects: no statement in them
        "wolph__betterplace_amount_formats.sta": _FRAGMENT,  # :60F: lines only
        "wolph__betterplace_currency_in_25.sta": _FRAGMENT,  # a :25: line only
        "wolph__betterplace_empty_86.sta": _FRAGMENT,  # an :86: line only
        "wolph__betterplace_empty_entry_date.sta": _FRAGMENT,  # a :61: line only
        "wolph__betterplace_missing_crlf_at_end.sta": _FRAGMENT,  # a :62F: line only
        "wolph__cmxl_account_balance_credit.sta": _FRAGMENT,
        "wolph__cmxl_account_balance_debit.sta": _FRAGMENT,
        "wolph__cmxl_account_identification_iban.sta": _FRAGMENT,
        "wolph__cmxl_account_identification_legacy.sta": _FRAGMENT,
        "wolph__cmxl_available_balance.sta": _FRAGMENT,
        "wolph__cmxl_closing_balance.sta": _FRAGMENT,
        "wolph__cmxl_statement_details.sta": _FRAGMENT,
        "wolph__cmxl_statement_line.sta": _FRAGMENT,
        "wolph__cmxl_statement_number.sta": _FRAGMENT,
        "wolph__self-provided_empty_non_swift.sta": _FRAGMENT,  # ":NS:" only
        "wolph__self-provided_invalid_statement.sta": _FRAGMENT,  # the numbers 1 to 10
        "wolph__self-provided_sparkassen.sta": _FRAGMENT,  # a :61:/:86: pair, no :20:
        "wolph__betterplace_empty_line.sta": "no account",  # ":20:" and nothing else
        "wolph__cmxl_reference.sta": "no account",  # ":20:" and nothing else
        # MT942 interim reports: no opening balance; their lines come again in the MT940
        "wolph__mBank_mt942.sta": _MT942,
        "wolph__self-provided_mt942.sta": _MT942,
        # Deutsche Mark, withdrawn in 2002: no current currency to book it in
        "wolph__cmxl_mt940.sta": _DEM,
        "wolph__self-provided_raphaelm.sta": _DEM,
        # value date 30 February 2016 (the package makes it the 29th without a word)
        "wolph__self-provided_february_30.sta": _FEB_30,
        "wolph__self-provided_transaction_details_wrapped.sta": _FEB_30,
        "wolph__self-provided_wrapped_timestamp.sta": _FEB_30,
        # broken on purpose by its source project: its :86: details became a second :25:
        "wolph__betterplace_sepa_snippet_broken.sta": "a second account",
    },
    "camt053": {
        # broken on purpose by their source projects
        "genkgo__camt053.v2.wrong.xml": "holds no statement",  # BkToCstmrStmt without Stmt
        "oca__account_statement_import_camt_test_files_test-camt053-wrong-amount.xml":
            "missing amount",  # an entry's Amt removed "to raise an error"
    },
}
#: (a), (b), (c) per format: the final tally, so a change in any of them is seen.
OUTCOMES = {"mt940": (15, 15, 27), "camt053": (6, 10, 2)}


def corpus(sub: str) -> list[Path]:
    """The corpus files, for parametrizing at collection, where skipping is not possible
    yet: an absent corpus gives none, and the tests that open the folder skip (or fail in
    CI) when they run."""
    if not (conformance_root() / sub).is_dir():
        return []
    files = sorted(p for p in conformance_dir(sub).iterdir()
                   if p.is_file() and p.name not in NOT_DATA and not p.name.startswith("LICENSE"))
    assert files, f"no files in {sub}"
    return files


@dataclass
class Peer:
    statements: list[tuple[int, Decimal, str]] = field(default_factory=list)
    """(entries, sum of entries, currency) per statement, as the peer reads them."""
    balanced: bool = True
    """Every statement states its balances, in its currency, and they add up."""


def summary(statements: tuple[BankStatement, ...]) -> list[tuple[int, Decimal, str]]:
    """Per statement: camt entries (records split from one Ntry share its line), sum, currency."""
    return [(len({e.location for e in st.entries}) if st.source_format != "mt940"
             else len(st.entries), st.movements().amount, st.currency) for st in statements]


def refused(path: Path, *, check_balances: bool = True) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        parse_statement_file(path.read_bytes(), path.name, check_balances=check_balances)
    message = str(exc.value)
    assert exc.value.location is not None
    assert exc.value.location.startswith(f"{path.name}:"), message
    assert "object at 0x" not in message and "Traceback" not in message
    return exc.value


def check(sub: str, path: Path, peer: Peer | None) -> str:
    """Check ``path`` against its expected outcome; returns "a", "b" or "c"."""
    reason = REFUSED[sub].get(path.name)
    if reason is not None:  # (c): refused with its place, and the override changes nothing
        for check_balances in (True, False):
            error = refused(path, check_balances=check_balances)
            assert not isinstance(error, UnbalancedStatement), str(error)
            assert re.search(reason, str(error)), (reason, str(error))
        return "c"
    assert peer is not None, f"{path.name}: the peer cannot read it; list it in REFUSED"
    if peer.balanced:  # (a)
        assert summary(parse_statement_file(path.read_bytes(), path.name)) == peer.statements
        return "a"
    error = refused(path)  # (b)
    assert isinstance(error, UnbalancedStatement), str(error)
    assert re.search("balances do not add up|balances cannot be checked", str(error))
    read = parse_statement_file(path.read_bytes(), path.name, check_balances=False)
    assert summary(read) == peer.statements
    assert any(st.balance_fault() for st in read)
    return "b"


# -- MT940 ---------------------------------------------------------------------------------
class Statement61(mt940.tags.Statement):
    """The package's own ``:61:`` pattern with ``.`` matching line breaks (free text)."""

    RE_FLAGS: ClassVar[re.RegexFlag] = mt940.tags.Statement.RE_FLAGS | re.DOTALL


class StatementNumberText(mt940.tags.StatementNumber):
    pattern: ClassVar[str] = r"(?P<statement_number>.*)"
    RE_FLAGS: ClassVar[re.RegexFlag] = mt940.tags.StatementNumber.RE_FLAGS | re.DOTALL


def _balance(data: dict[str, Any], kind: str) -> Any:
    return (data.get(f"final_{kind}_balance") or data.get(f"intermediate_{kind}_balance")
            or data.get(f"{kind}_balance"))


_RAW_LINE = re.compile(r"^:61:(\d{6})(\d{4})?R?[CD][A-Z]?\n?([\d,]*)", re.M | re.I)
_RAW_BALANCE = re.compile(r"^:6[02][FM]?:[CD](\d{6})[A-Z]{3}([\d,]*)", re.M)


def _valid_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return False
    return True


def raw_faults(text: str) -> set[str]:
    """What the package reads past: amount fields over 15 characters, impossible dates."""
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


def peer_mt940(data: bytes) -> Peer | None:
    """The package's reading, None if it cannot read the file even with free text relaxed."""
    options = mt940.Options(reversal_sign=True, case_insensitive_marks=True)
    relaxed: dict[int | str, mt940.tags.Tag] = {61: Statement61(), 28: StatementNumberText()}
    blocks = None
    for tags in (None, relaxed):
        try:
            blocks = mt940.parse_statements(data, options=options, tags=tags)
            break
        except Exception:  # the package raises bare exceptions; try the relaxed tags
            continue
    if not blocks:
        return None
    # a file the package reads past a fault in (too long, no such date) must be in REFUSED
    assert not raw_faults(data.decode("utf-8", "replace"))
    peer = Peer()
    for block in blocks:
        opening, closing = _balance(block.data, "opening"), _balance(block.data, "closing")
        assert block.data.get("account_identification") and opening is not None
        total = sum((t.data["amount"].amount for t in block), Decimal(0))
        currency = opening.amount.currency
        peer.statements.append((len(block), total, currency))
        if closing is None or closing.amount.currency != currency or (
                opening.amount.amount + total != closing.amount.amount):
            peer.balanced = False
    return peer


@pytest.mark.parametrize("path", corpus("mt940"), ids=lambda p: p.name)
def test_mt940_corpus(path: Path) -> None:
    peer = None if path.name in REFUSED["mt940"] else peer_mt940(path.read_bytes())
    check("mt940", path, peer)


# -- camt.053 ------------------------------------------------------------------------------
_CAMT = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0[2-8]$")


def signed(node: Any, ns: dict[str, str]) -> tuple[Decimal, str]:
    amount = node.find("c:Amt", ns)
    value = Decimal((amount.text or "").strip())
    return (value if node.findtext("c:CdtDbtInd", None, ns) == "CRDT" else -value,
            amount.get("Ccy", ""))


def peer_camt(data: bytes) -> Peer:
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    namespace = etree.QName(root).namespace or ""
    assert _CAMT.match(namespace)
    ns = {"c": namespace}
    peer = Peer()
    for stmt in root.findall("c:BkToCstmrStmt/c:Stmt", ns):
        booked = [n for n in stmt.findall("c:Ntry", ns)
                  if (n.findtext("c:Sts/c:Cd", None, ns) or n.findtext("c:Sts", "", ns)
                      ).strip() in ("BOOK", "")]
        entries = [signed(n, ns) for n in booked]
        balances = {b.findtext("c:Tp/c:CdOrPrtry/c:Cd", "", ns): signed(b, ns)
                    for b in stmt.findall("c:Bal", ns)}
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        # the account's currency, else the entries', else the booked balances'
        currency = (stmt.findtext("c:Acct/c:Ccy", None, ns)
                    or next((c for _, c in entries), None)
                    or next((b[1] for b in (opening, closing) if b), ""))
        assert all(c == currency for _, c in entries)
        total = sum((a for a, _ in entries), Decimal(0))
        peer.statements.append((len(entries), total, currency))
        if any(b[1] != currency for b in (opening, closing) if b) or (
                opening and closing and opening[0] + total != closing[0]):
            peer.balanced = False
    assert peer.statements
    return peer


@pytest.mark.parametrize("path", corpus("camt053"), ids=lambda p: p.name)
def test_camt053_corpus(path: Path) -> None:
    peer = None if path.name in REFUSED["camt053"] else peer_camt(path.read_bytes())
    check("camt053", path, peer)


# -- the tally -----------------------------------------------------------------------------
@pytest.mark.parametrize("sub", ["mt940", "camt053"])
def test_outcomes_tally(sub: str) -> None:
    conformance_dir(sub)  # absent: skip, or fail in CI
    files = corpus(sub)
    assert set(REFUSED[sub]) <= {p.name for p in files}  # no stale names in the list
    peer = peer_mt940 if sub == "mt940" else peer_camt
    outcomes = [check(sub, p, None if p.name in REFUSED[sub] else peer(p.read_bytes()))
                for p in files]
    assert tuple(outcomes.count(k) for k in "abc") == OUTCOMES[sub]


def test_oca_reversal_is_booked_by_its_cdtdbtind() -> None:
    """The DBIT + RvslInd entry of OCA's test-camt053.xml: -664.05, the entries -12.99."""
    path = conformance_dir("camt053") / (
        "oca__account_statement_import_camt_test_files_test-camt053.xml")
    (st,) = parse_statement_file(path.read_bytes(), path.name, check_balances=False)
    assert st.movements().amount == Decimal("-12.99")
    reversal = [e for e in st.entries if e.location.endswith(":113")]
    assert sum(e.amount.minor for e in reversal) == -66405


def test_asn_and_sns_references_read_as_the_package_reads_them() -> None:
    """The 18-character IBAN reference and the name line after it (mt940's StatementASNB)."""
    folder = conformance_dir("mt940")
    (asn, *_) = parse_statement_file(
        (folder / "wolph__ASNB_0708271685_09022020_164516.940.txt").read_bytes(), "asn")
    assert asn.entries[0].reference == "NL47INGB9999999999"
    assert asn.entries[0].amount.amount == Decimal("-65.00")
    sns = parse_statement_file(
        (folder / "oca10__account_bank_statement_import_mt940_base_test_files_test-sns.940"
         ).read_bytes(), "sns", check_balances=False)
    assert sns[0].entries[0].reference == "NL49RABO0166416932"
    assert "gerrits glas en schilderwerk" in sns[0].entries[0].remittance
    assert sns[2].closing is None and sns[2].balance_fault() is not None
    ing = parse_statement_file((folder / (
        "oca10__account_bank_statement_import_mt940_nl_ing_test_files_test-ing.940")
        ).read_bytes(), "ing")
    # OCA's own test of this file: 8 lines, the first +1.56 with end-to-end id EV12341...
    assert [e.amount.amount for e in ing[0].entries][:2] == [Decimal("1.56"), Decimal("-1.57")]
    assert len(ing[0].entries) == 8 and ing[0].entries[0].reference == "EV12341REP1231456T1234"
    assert ing[0].statement_id.startswith("P140220000000001:00000")
