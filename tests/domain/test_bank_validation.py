"""Bank statement files are validated whole: every fault refused with its place, none cut.

Issue 17, point 3 (amounts longer than the field, impossible dates, a camt amount beyond
the ceiling, balances), point 1 (the minor unit comes from the currency) and point 15
(camt.053 reversals, a statement without a closing balance, a file without a statement;
an MT940 ``:62M:`` without a currency).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ebs_desktop.domain.bankstatements import (
    UnbalancedStatement,
    parse_camt053,
    parse_mt940,
    parse_statement_file,
)
from ebs_desktop.domain.bankstatements.checks import check_conversion
from ebs_desktop.domain.iso4217 import ISO_4217_EXPONENTS, known_currency
from ebs_desktop.domain.money import Money, currency_exponent
from ebs_desktop.errors import ValidationError


def mt940(line: str = "2602010201CR45,50NTRFNONREF//B1", *, currency: str = "EUR",
          opening: str = "C260201{c}100,00", closing: str = "C260201{c}145,50",
          extra: str = "") -> bytes:
    """One statement: header, opening, one :61: line (line 5), details, closing (line 7)."""
    return (f":20:STMT1\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:{opening.format(c=currency)}\n"
            f":61:{line}\n:86:/REMI/Electricity acc 100000011\n"
            f":62F:{closing.format(c=currency)}\n{extra}").encode()


def refused(data: bytes, name: str = "x.sta") -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        parse_statement_file(data, name)
    assert exc.value.location is not None and exc.value.location.startswith(f"{name}:")
    assert "object at 0x" not in str(exc.value)
    return exc.value


def test_valid_mt940_reads() -> None:
    (st,) = parse_mt940(mt940(), "x.sta")
    assert st.entries[0].amount == Money(4550, "EUR")
    assert st.entries[0].location == "x.sta:5"
    assert (st.opening, st.closing) == (Money(10000, "EUR"), Money(14550, "EUR"))


# -- point 3: amounts longer than the field, impossible dates ------------------------------
def test_mt940_amount_longer_than_the_field_is_refused_not_cut() -> None:
    """The package read CR99999999999999999999,99 as 999,999,999,999,999.00."""
    error = refused(mt940("2602010201CR99999999999999999999,99NTRFNONREF"))
    assert error.location == "x.sta:5"
    assert "'99999999999999999999,99' is 23 characters long" in str(error)
    assert "entry 1 (:61:)" in str(error)


def test_mt940_balance_longer_than_the_field_is_refused() -> None:
    error = refused(mt940(opening="C260201{c}1000000000000100,00"))
    assert error.location == "x.sta:4" and "19 characters" in str(error)
    (st,) = parse_mt940(mt940(opening="C260201{c}0000000000000100,00"), "x.sta")
    assert st.opening == Money(10000, "EUR")  # zeros in front are padding (Rabobank)


@pytest.mark.parametrize(("line", "closing", "where", "what"), [
    ("2602300201CR45,50NTRFNONREF", "C260201{c}145,50", "x.sta:5", "'260230' is not a date"),
    ("2602010230CR45,50NTRFNONREF", "C260201{c}145,50", "x.sta:5", "'0230' is not a date"),
    ("2613010201CR45,50NTRFNONREF", "C260201{c}145,50", "x.sta:5", "'261301' is not a date"),
    ("2602010201CR45,50NTRFNONREF", "C260230{c}145,50", "x.sta:7", "'260230' is not a date"),
])
def test_mt940_impossible_dates_are_refused(line: str, closing: str, where: str,
                                            what: str) -> None:
    """The package turns February 30 into February 28 (value date) without a word."""
    error = refused(mt940(line, closing=closing))
    assert error.location == where and what in str(error)


@pytest.mark.parametrize(("line", "message"), [
    ("2602010201CR45.50NTRFNONREF", "decimal comma"),
    ("2602010201CR45,5,0NTRFNONREF", "is not an amount"),
    ("2602010201CR45,50", "transaction type"),
    ("2602010201XR45,50NTRF", "expected value date"),
    ("2602010201CR999999999999,99NTRF", "beyond the ceiling"),
])
def test_mt940_malformed_statement_lines_are_refused(line: str, message: str) -> None:
    error = refused(mt940(line, closing="C260201{c}100,00"))
    assert error.location == "x.sta:5" and message in str(error)


def test_mt940_balances_must_add_up() -> None:
    error = refused(mt940(closing="C260201{c}145,49"))
    assert error.location == "x.sta:1"
    assert "opening 100.00 + 1 entries 45.50 = 145.50 EUR, but the closing balance is " \
           "145.49" in str(error)


def test_mt940_needs_both_balances() -> None:
    """No opening balance: a fragment or MT942, always refused. No closing balance: the file
    may be cut short, refused unless the balances override is given (SNS's third statement)."""
    no_closing = b":20:S\n:25:123\n:60F:C260201EUR1,00\n:61:2602010201C1,00NTRF\n"
    error = refused(no_closing)
    assert isinstance(error, UnbalancedStatement) and error.location == "x.sta:1"
    assert "balances cannot be checked: no closing balance (:62F:/:62M:)" in str(error)
    (st,) = parse_statement_file(no_closing, "x.sta", check_balances=False)
    assert st.closing is None and st.entries[0].amount == Money(100, "EUR")
    assert st.balance_fault() == "balances cannot be checked: no closing balance (:62F:/:62M:)"
    mt942 = b":20:S\n:25:123\n:34F:EURD0,00\n:61:2602010201C1,00NTRF\n:62F:C260201EUR1,00\n"
    for check_balances in (True, False):
        with pytest.raises(ValidationError, match="MT942") as exc:
            parse_statement_file(mt942, "x.sta", check_balances=check_balances)
        assert not isinstance(exc.value, UnbalancedStatement)


# -- lenient on free text, strict on money (the peers read these banks' files) -------------
def test_mt940_long_reference_and_supplementary_details_are_read() -> None:
    """SNS and ASN: an 18-character IBAN as the reference, the name on the next line; the
    package refused the line, and so did we."""
    line = "1712271227D713,13NOVBNL49RABO0166416932\ngerrits glas en schilderwerk"
    (st,) = parse_mt940(mt940(line, opening="C171227{c}1000,00", closing="C171227{c}286,87"),
                        "sns.940")
    (entry,) = st.entries
    assert entry.amount == Money(-71313, "EUR") and entry.reference == "NL49RABO0166416932"
    assert entry.booking_date == date(2017, 12, 27)


@pytest.mark.parametrize(("line", "message"), [
    ("1712271227D713,13NOVBNL49RABO0166416932\nname", None),
    ("1712271227D99999999999999999,13NOVBNL49RABO0166416932\nname", "characters long"),
    ("1712271227D713.13NOVBNL49RABO0166416932\nname", "decimal comma"),
    ("1712321227D713,13NOVBNL49RABO0166416932\nname", "is not a date"),
    ("1712271227X713,13NOVBNL49RABO0166416932\nname", "expected value date"),
    ("1712271227D713,13\nNL49RABO0166416932 name", "transaction type"),
])
def test_mt940_free_text_variants_keep_the_figures_strict(line: str,
                                                          message: str | None) -> None:
    data = mt940(line, opening="C171227{c}1000,00", closing="C171227{c}286,87")
    if message is None:
        assert parse_mt940(data, "x.sta")[0].entries[0].amount == Money(-71313, "EUR")
    else:
        assert message in str(refused(data))


def test_mt940_wrapped_statement_number_is_read() -> None:
    """ING wraps :28C:00000 as "0000" and "0": a name, not money; it refused the file."""
    data = mt940().replace(b":28C:1/1\n", b":28C:0000\n0\n")
    (st,) = parse_mt940(data, "ing.940")
    assert st.statement_id.startswith("STMT1:00000@")
    assert st.entries[0].location == "ing.940:6"  # lines still counted as in the file
    (st,) = parse_mt940(mt940().replace(b":28C:1/1", b":28C:ABC/1"), "x.sta")
    assert st.statement_id.startswith("STMT1:ABC/1@")  # kept as written


def test_mt940_second_account_in_one_statement_is_refused() -> None:
    """betterplace's sepa_snippet_broken: the :86: details turned into a second :25:."""
    error = refused(mt940(extra=":25:166?00GUTSCHRIFT\n"))
    assert error.location == "x.sta:8" and "a second account (:25:)" in str(error)


# -- point 15: a :62M: without a currency ----------------------------------------------
def test_mt940_intermediate_balance_without_currency_is_a_located_error() -> None:
    """mt940_tests/self-provided/raphaelm.sta: a raw ValueError traceback before."""
    data = mt940(closing="C260201145,50").replace(b":62F:", b":62M:")
    error = refused(data)
    assert error.location == "x.sta:7"
    assert ":62M: closing balance: no currency after the date" in str(error)


def test_mt940_package_failure_is_located_without_object_addresses() -> None:
    error = refused(mt940(extra=":64:C2602\n"))  # an available balance cut short
    assert error.location == "x.sta:8" and ":64: could not be read" in str(error)


# -- point 1: the minor unit comes from the currency -----------------------------------
@pytest.mark.parametrize(("currency", "amount", "opening", "closing", "minor"), [
    ("KWD", "45,500", "0,000", "45,500", 45500),
    ("JPY", "4550,", "0,", "4550,", 4550),
    ("JPY", "4550", "0", "4550", 4550),
    ("EUR", "45,5", "0,", "45,50", 4550),
])
def test_mt940_exponent_from_the_currency(currency: str, amount: str, opening: str,
                                          closing: str, minor: int) -> None:
    (st,) = parse_mt940(mt940(f"2602010201CR{amount}NTRF", currency=currency,
                              opening=f"C260201{{c}}{opening}",
                              closing=f"C260201{{c}}{closing}"), "x.sta")
    assert st.currency == currency
    assert st.entries[0].amount == Money(minor, currency)
    assert str(st.entries[0].amount) == {"KWD": "45.500", "JPY": "4550"}.get(currency, "45.50")


@pytest.mark.parametrize(("currency", "amount", "message"), [
    ("KWD", "45,5001", "more than 3 decimal places"),
    ("JPY", "4550,5", "more than 0 decimal places"),
    ("QQQ", "1,00", "not a current ISO 4217 currency"),
    ("XXX", "1,00", "not a currency with a minor unit"),
    ("DEM", "1,00", "not a current ISO 4217 currency"),
])
def test_mt940_currency_and_decimals_are_checked(currency: str, amount: str,
                                                 message: str) -> None:
    error = refused(mt940(f"2602010201CR{amount}NTRF", currency=currency,
                          opening="C260201{c}0,", closing=f"C260201{{c}}{amount}"))
    assert message in str(error)


def test_iso_table_agrees_with_money_or_is_refused() -> None:
    for code, exponent in ISO_4217_EXPONENTS.items():
        if currency_exponent(code) == exponent:
            assert known_currency(code) == exponent
        else:  # money would read it with the wrong decimals (CLF, UYW, UYI): refused
            with pytest.raises(ValueError, match="does not handle"):
                known_currency(code)
    assert known_currency("KWD") == 3 and known_currency("JPY") == 0


def test_conversion_agrees_within_rounding() -> None:
    kwd = Money(45500, "KWD")
    check_conversion(kwd, Money(14803, "USD"), Decimal("3.2535"))  # 148.03425
    with pytest.raises(ValidationError, match=r"148\.03425"):
        check_conversion(kwd, Money(14804, "USD"), Decimal("3.2535"))
    with pytest.raises(ValidationError, match="rate"):
        check_conversion(kwd, Money(14804, "USD"), Decimal("0"))
    check_conversion(Money(4550, "JPY"), Money(3041, "USD"), Decimal("0.006683"))  # 30.40765


# -- camt.053 ----------------------------------------------------------------------------
def camt(entries: str, *, balances: str = "OPBD:100.00:CRDT,CLBD:100.00:CRDT",
         statements: int = 1, currency: str = "EUR") -> bytes:
    bal = "".join(
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"{currency}\">{amount}"
        f"</Amt><CdtDbtInd>{side}</CdtDbtInd><Dt><Dt>2026-02-01</Dt></Dt></Bal>"
        for code, amount, side in (b.split(":") for b in balances.split(",") if b))
    stmt = (f"<Stmt><Id>S1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id>"
            f"<Ccy>{currency}</Ccy></Acct>\n{bal}\n{entries}</Stmt>\n")
    return ("<?xml version=\"1.0\"?>\n<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:"
            f"camt.053.001.02\"><BkToCstmrStmt>\n{stmt * statements}</BkToCstmrStmt>"
            "</Document>").encode()


def ntry(amount: str, side: str, *, reversal: bool = False, currency: str = "EUR",
         details: str = "") -> str:
    rvsl = "<RvslInd>true</RvslInd>" if reversal else ""
    return (f"<Ntry>\n<Amt Ccy=\"{currency}\">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd>"
            f"{rvsl}<Sts>BOOK</Sts><BookgDt><Dt>2026-02-01</Dt></BookgDt>{details}</Ntry>\n")


def test_camt_amount_beyond_the_ceiling_is_refused() -> None:
    """It was read, then failed in the database after the statement row was stored."""
    data = camt(ntry("99999999999999999999.99", "CRDT"),
                balances="OPBD:0.00:CRDT,CLBD:0.00:CRDT")
    error = refused(data, "big.xml")
    assert error.location == "big.xml:6"
    assert "statement 1 (S1), entry 1" in str(error) and "beyond the ceiling" in str(error)


def test_camt_reversal_direction_is_its_cdtdbtind() -> None:
    """A DBIT with RvslInd=true (a returned direct debit) takes money out: it was +664.05."""
    data = camt(ntry("664.05", "DBIT", reversal=True) + ntry("10.00", "CRDT", reversal=True),
                balances="OPBD:1000.00:CRDT,CLBD:345.95:CRDT")
    (st,) = parse_camt053(data, "r.xml")
    assert [e.amount for e in st.entries] == [Money(-66405, "EUR"), Money(1000, "EUR")]


def test_camt_statement_without_closing_balance_is_accepted() -> None:
    (st,) = parse_camt053(camt(ntry("5.00", "CRDT"), balances="OPBD:100.00:CRDT"), "o.xml")
    assert st.opening == Money(10000, "EUR") and st.closing is None
    assert st.entries[0].amount == Money(500, "EUR")


def test_camt_file_without_statement_is_refused() -> None:
    error = refused(camt("", statements=0), "none.xml")
    assert "holds no statement" in str(error)


def test_camt_exponent_from_the_currency() -> None:
    data = camt(ntry("45.500", "CRDT", currency="KWD"), currency="KWD",
                balances="OPBD:0.000:CRDT,CLBD:45.500:CRDT")
    (st,) = parse_camt053(data, "k.xml")
    assert st.entries[0].amount == Money(45500, "KWD") and st.currency == "KWD"
    error = refused(camt(ntry("45.5001", "CRDT", currency="KWD"), currency="KWD",
                         balances=""), "k.xml")
    assert "more than 3 decimal places" in str(error) and error.location == "k.xml:6"


@pytest.mark.parametrize(("entries", "balances", "message"), [
    (ntry("5.00", "CRDT", currency="USD"), "", "amount in USD, the statement in EUR"),
    (ntry("5.00", "CRDT"), "OPBD:1.00:CRDT,CLBD:6.00:DBIT", "balances do not add up"),
    (ntry("1e3", "CRDT"), "", "is not a decimal number"),
    (ntry("5.00", "XXXX"), "", "CdtDbtInd must be CRDT or DBIT"),
    (ntry("5.00", "CRDT").replace("2026-02-01", "2026-02-30"), "", "is not a date"),
    (ntry("5.00", "CRDT").replace("<BookgDt><Dt>2026-02-01</Dt></BookgDt>", ""), "",
     "no booking date"),
])
def test_camt_faults_are_located(entries: str, balances: str, message: str) -> None:
    assert message in str(refused(camt(entries, balances=balances), "c.xml"))


@pytest.mark.parametrize(("balances", "fault"), [
    ("OPBD:1.00:CRDT,CLBD:6.01:CRDT", "balances do not add up: opening 1.00 + 1 entries 5.00 "
                                      "= 6.00 EUR, but the closing balance is 6.01"),
    ("OPBD:1.00:CRDT,CLBD:6.00:CRDT", None),
])
def test_camt_balances_are_refused_unless_overridden(balances: str, fault: str | None) -> None:
    data = camt(ntry("5.00", "CRDT"), balances=balances)
    if fault is None:
        assert parse_camt053(data, "c.xml")[0].balance_fault() is None
        return
    error = refused(data, "c.xml")
    assert isinstance(error, UnbalancedStatement) and fault in str(error)
    (st,) = parse_camt053(data, "c.xml", check_balances=False)
    assert st.balance_fault() == fault and st.expected_closing() == Money(600, "EUR")


def test_camt_balance_in_another_currency_is_a_balance_fault() -> None:
    """genkgo's samples: an EUR account and entry, the closing balance in SEK. It refused
    the whole file as a currency error; now it is the balances, which can be overridden."""
    data = camt(ntry("5.00", "CRDT"), balances="OPBD:1.00:CRDT").replace(
        b"</Bal>", b"</Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"SEK\">"
        b"6.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Bal>", 1)
    error = refused(data, "c.xml")
    assert isinstance(error, UnbalancedStatement)
    assert "the closing balance is in SEK (-6.00), the entries in EUR" in str(error)
    (st,) = parse_camt053(data, "c.xml", check_balances=False)
    assert (st.currency, st.closing, st.expected_closing()) == (
        "EUR", Money(-600, "SEK"), Money(600, "EUR"))
    assert st.entries[0].amount == Money(500, "EUR")


def test_camt_batch_is_split_only_when_the_parts_add_up() -> None:
    tx = ("<TxDtls><AmtDtls><TxAmt><Amt Ccy=\"EUR\">{}</Amt></TxAmt></AmtDtls>"
          "<Refs><EndToEndId>E{}</EndToEndId></Refs></TxDtls>")
    parts = "<NtryDtls>" + tx.format("5.00", 1) + tx.format("3.85", 2) + "</NtryDtls>"
    (st,) = parse_camt053(camt(ntry("8.85", "CRDT", details=parts), balances=""), "b.xml")
    assert [e.amount.minor for e in st.entries] == [500, 385]
    assert {e.location for e in st.entries} == {"b.xml:5"}
    (st,) = parse_camt053(camt(ntry("9.00", "CRDT", details=parts), balances=""), "b.xml")
    assert [e.amount.minor for e in st.entries] == [900]  # details disagree: kept whole


def test_mt940_amount_without_its_integer_part_is_refused() -> None:
    """Found by the fuzz suite: ",5" was read as 0.50; SWIFT writes "0,5"."""
    from ebs_desktop.domain.bankstatements import parse_statement_file
    from ebs_desktop.errors import ValidationError

    text = (":20:STMT1\n:25:NL00BANK0123456789\n:28C:1/1\n:60F:C260601USD1,00\n"
            ":61:2606120612C,5NTRFNONREF\n:86:x\n:62F:C260612USD1,50\n")
    with pytest.raises(ValidationError, match=r"',5' is not an amount: SWIFT writes at least"):
        parse_statement_file(text.encode(), "x.sta")
