"""Bank statements: every reference file, checked against the facts in its README."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ebs_desktop.domain.bankstatements import (
    BankStatement,
    parse_camt053,
    parse_mt940,
    parse_statement_file,
)
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

REF = Path(__file__).resolve().parents[1] / "data" / "reference" / "bank-statements"


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def load(name: str) -> tuple[BankStatement, ...]:
    return parse_statement_file((REF / name).read_bytes(), name)


def test_every_reference_file_parses_with_unique_stable_keys() -> None:
    files = sorted(p for p in REF.iterdir() if p.suffix in (".sta", ".xml"))
    assert len(files) == 4
    keys: list[str] = []
    for path in files:
        first = parse_statement_file(path.read_bytes(), path.name, check_balances=False)
        again = parse_statement_file(path.read_bytes(), path.name, check_balances=False)
        assert first == again
        keys += [e.key for s in first for e in s.entries]
    assert len(keys) == len(set(keys)) == 4 + 10 + 11 + 2


@pytest.mark.parametrize("name", ["mt940_jejik_abnamro.sta",
                                  "mt940_betterplace_sepa_snippet.sta"])
def test_reference_files_whose_balances_do_not_add_up_are_refused(name: str) -> None:
    """Anonymised samples: opening + entries != closing, so no line of them is imported."""
    with pytest.raises(ValidationError, match="balances do not add up") as exc:
        load(name)
    assert exc.value.location is not None and exc.value.location.startswith(f"{name}:")


def test_rabobank_iban() -> None:
    s1, s2 = load("mt940_jejik_rabobank-iban.sta")
    assert s1.account == "NL71RABO0123456789"
    assert (s1.opening, s1.closing) == (eur("1000.00"), eur("965.00"))
    assert [e.amount for e in s1.entries] == [eur("-25.00"), eur("-10.00")]
    assert s1.entries[0].reference.startswith("01-01-2013 12:00")
    assert s1.entries[1].reference == ""  # NONREF
    assert s1.entries[1].remittance == "Reference 201301234"
    assert s1.entries[1].counterparty_name == "JOHN DOE"
    assert s1.entries[0].counterparty_name == "CONTRA ACCOUNT HOLDER"  # joined across the wrap
    assert s1.balances_add_up() and s2.balances_add_up()
    assert s1.statement_id != s2.statement_id  # the bank reuses :20: and :28C:
    assert (s2.opening, s2.closing) == (eur("965.00"), eur("930.00"))
    assert s1.location == "mt940_jejik_rabobank-iban.sta:2"


def test_abnamro_intermediate_balances() -> None:
    s1, s2 = parse_statement_file((REF / "mt940_jejik_abnamro.sta").read_bytes(),
                                  "mt940_jejik_abnamro.sta", check_balances=False)
    assert s1.account == "517852257"
    assert len(s1.entries) == 8
    assert s1.entries[0].amount == eur("-9.00")
    assert s1.entries[1].booking_date == date(2011, 5, 23)
    assert s1.entries[1].value_date == date(2011, 5, 21)
    assert not s1.balances_add_up()  # anonymised sample
    assert (s2.opening, s2.closing) == (eur("2876.84"), eur("1849.75"))  # :60M: / :62M:
    assert [e.amount for e in s2.entries] == [eur("-9.49"), eur("-15.00")]


def test_betterplace_sepa() -> None:
    s1, s2 = parse_statement_file((REF / "mt940_betterplace_sepa_snippet.sta").read_bytes(),
                                  "mt940_betterplace_sepa_snippet.sta", check_balances=False)
    assert s1.account == "50880050/0194787400888"
    assert (s1.opening, s1.closing) == (eur("766656.49"), eur("1125250.40"))
    first = s1.entries[0]
    assert first.amount == eur("50990.05") and first.is_credit
    assert first.reference == "EndToEndId TFNR 22 004 00001"
    assert first.bank_reference == "0724710333343453"
    assert first.booking_date == date(2007, 9, 4)
    assert first.value_date == date(2007, 9, 7)
    assert s1.balances_add_up()
    assert not s2.balances_add_up()
    assert s2.opening == eur("-1970431.87")


def test_camt053_two_statements() -> None:
    s1, s2 = load("camt053_genkgo_v2_multi_statement.xml")
    assert s1.source_format == "camt.053.001.02"
    assert s1.account == s2.account == "NL26VAYB8060476890"
    assert (s1.opening, s1.closing) == (eur("18.15"), eur("27.00"))
    assert [e.amount for e in s1.entries] == [eur("8.85")]
    assert (s2.opening, s2.closing) == (eur("27.00"), eur("20.00"))
    assert [e.amount for e in s2.entries] == [eur("-7.00")]
    assert s1.entries[0].reference == "000000001"
    assert s1.entries[0].remittance == "Transaction Description 1"
    assert s2.entries[0].counterparty_account == "NL56AGDH9619008421"
    assert s1.entries[0].booking_date == date(2014, 12, 31)
    assert s1.entries[0].value_date == date(2015, 1, 2)
    assert s1.balances_add_up() and s2.balances_add_up()


def test_account_number_found_in_mt940_remittance() -> None:
    data = (REF / "mt940_jejik_rabobank-iban.sta").read_bytes()
    edited = data.replace(b"Reference 201301234", b"Reference 201301238", 1)
    entries = parse_mt940(edited, "x.sta")[0].entries
    assert entries[1].account_numbers == ("201301238",)
    assert entries[0].account_numbers == ()
    assert load("mt940_jejik_rabobank-iban.sta")[0].entries[1].account_numbers == ()


CAMT = (REF / "camt053_genkgo_v2_multi_statement.xml").read_bytes()


def test_camt_version_08_status_codes_and_account_numbers() -> None:
    v8 = CAMT.replace(b"camt.053.001.02", b"camt.053.001.08")
    v8 = v8.replace(b"<Sts>BOOK</Sts>", b"<Sts><Cd>BOOK</Cd></Sts>", 1)
    v8 = v8.replace(b"<Sts>BOOK</Sts>", b"<Sts><Cd>PDNG</Cd></Sts>", 1)  # second stmt pending
    v8 = v8.replace(b"Transaction Description 1", b"Bill for account 100000011 March")
    v8 = v8.replace(b"<Amt Ccy=\"EUR\">20.00</Amt>", b"<Amt Ccy=\"EUR\">27.00</Amt>")
    s1, s2 = parse_camt053(v8, "v8.xml")
    assert s1.source_format == "camt.053.001.08"
    assert s1.entries[0].account_numbers == ("100000011",)
    assert s1.entries[0].amount == eur("8.85")
    assert s2.entries == ()  # the pending entry is not booked (closing = opening then)


def test_camt_batch_entry_is_split_per_transaction() -> None:
    tx = (
        b"<TxDtls><AmtDtls><TxAmt><Amt Ccy='EUR'>%s</Amt></TxAmt></AmtDtls>"
        b"<Refs><EndToEndId>%s</EndToEndId></Refs></TxDtls>"
    )
    batch = b"<NtryDtls>" + tx % (b"5.00", b"100000011") + tx % (b"3.85", b"E2E-2") + b"</NtryDtls>"
    start = CAMT.index(b"<NtryDtls>")
    end = CAMT.index(b"</NtryDtls>") + len(b"</NtryDtls>")
    (s1, _) = parse_camt053(CAMT[:start] + batch + CAMT[end:], "batch.xml")
    assert [e.amount for e in s1.entries] == [eur("5.00"), eur("3.85")]
    assert s1.entries[0].account_numbers == ("100000011",)
    assert s1.entries[0].key != s1.entries[1].key
    assert s1.balances_add_up()


def test_errors_name_the_place() -> None:
    with pytest.raises(ValidationError, match="balances do not add up") as exc:
        parse_camt053(CAMT.replace(b"<Amt Ccy=\"EUR\">8.85</Amt>",
                                   b"<Amt Ccy=\"EUR\">8.86</Amt>"), "sum.xml")
    assert exc.value.location == "sum.xml:26"
    with pytest.raises(ValidationError) as exc:
        parse_camt053(
            CAMT.replace(b'<Amt Ccy="EUR">8.85</Amt>', b'<Amt Ccy="EUR">8.8.5</Amt>'), "amt.xml"
        )
    assert exc.value.location is not None and exc.value.location.startswith("amt.xml:")
    with pytest.raises(ValidationError, match="not well-formed") as exc:
        parse_camt053(CAMT[:500], "cut.xml")
    with pytest.raises(ValidationError, match=r"camt\.053"):
        parse_statement_file(CAMT.replace(b"camt.053.001.02", b"camt.052.001.02"), "c52.xml")
    with pytest.raises(ValidationError, match="not a bank statement"):
        parse_statement_file(b"hello", "x.txt")
    with pytest.raises(ValidationError, match="no opening balance") as exc:
        parse_mt940(b":20:X\n:25:123\n:62F:C130108EUR1,00\n", "nobal.sta")
    assert exc.value.location == "nobal.sta:1"


def test_external_entities_are_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    doc = CAMT.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE Document '
        b'[<!ENTITY x SYSTEM "file://' + str(secret).encode() + b'">]>',
    ).replace(b"Transaction Description 1", b"&x;")
    (s1, _) = parse_camt053(doc, "xxe.xml")
    assert "TOPSECRET" not in s1.entries[0].remittance
