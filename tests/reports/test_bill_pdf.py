"""Bills rendered to PDF and read back: every printed figure equals the BillDocument's."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.bill_document import BillDocument, ChargeLine
from ebs_desktop.reports.bill_pdf import STUB_TOP, render_bill, render_bills
from ebs_desktop.reports.formatting import format_amount, format_money
from ebs_desktop.reports.payment_code import parse_payment_code
from tools.bench.sample_bills import sample_bill

from .bill_fixtures import fpl_bill


def _texts(pdf: bytes | Path) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return [page.extract_text() for page in reader.pages]


def _render(docs: list[BillDocument]) -> bytes:
    buffer = io.BytesIO()
    render_bills(docs, buffer)
    return buffer.getvalue()


def test_reference_bill_prints_every_figure(tmp_path: Path) -> None:
    doc = fpl_bill()
    # the reference tariff's published cross-check: 195.24 energy for 2,000 kWh
    assert sum(line.amount.minor for line in doc.charges if line.code.startswith("E")) == 19524
    path = tmp_path / "bill.pdf"
    assert render_bill(doc, path) == 1
    (text,) = _texts(path)
    for expected in (doc.bill_number, doc.account_number, doc.meter_serial, "63355730",
                     doc.customer_name, doc.tariff_name, "8,048.375", "6,048.375",
                     "2,000.000 kWh", format_money(doc.total_due),
                     format_money(doc.amount_after_due), doc.due_date.isoformat(),
                     format_amount(doc.previous_balance), format_amount(-doc.payments[0].amount),
                     format_money(doc.taxes_total), format_money(doc.bill_amount)):
        assert expected in text, expected
    for line in doc.charges:
        assert f"{line.description} {format_amount(line.amount)}" in text
        assert line.explanation in text
    assert "(E)" not in text
    assert format_money(doc.total_due) == "227.88 USD"  # 120.00 - 100.00 + 207.88


def test_estimated_reading_is_marked() -> None:
    (text,) = _texts(_render([fpl_bill(estimated=True)]))
    assert "8,048.375 (E)" in text
    assert "estimated reading" in text


def test_stub_repeats_account_bill_and_amount_below_the_cut_line() -> None:
    doc = fpl_bill()
    reader = PdfReader(io.BytesIO(_render([doc])))
    below: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() and tm[5] < STUB_TOP:
            below.append(text.strip())

    reader.pages[0].extract_text(visitor_text=visit)
    stub = " ".join(below)
    for expected in (doc.account_number, doc.bill_number, format_money(doc.total_due),
                     doc.due_date.isoformat(), doc.barcode_value):
        assert expected in stub, expected


def test_codes_carry_account_bill_and_amount() -> None:
    doc = fpl_bill()
    bar = parse_payment_code(doc.barcode_value)
    qr = parse_payment_code(doc.qr_payload)
    assert (bar.account_number, bar.bill_number, bar.amount_minor) == (
        doc.account_number, doc.bill_number, doc.total_due.minor)
    assert qr.amount == doc.total_due
    with pytest.raises(ValidationError, match="payment barcode"):
        parse_payment_code("100000013-B1-100")


def test_every_bill_of_a_run_prints_its_own_figures() -> None:
    docs = [sample_bill(i) for i in range(30)]
    texts = _texts(_render(docs))
    assert len(texts) == len(docs)
    for doc, text in zip(docs, texts, strict=True):
        assert doc.bill_number in text and doc.account_number in text
        assert text.count(format_money(doc.total_due)) >= 3  # box, summary, stub
        for line in doc.charges:
            assert format_amount(line.amount) in text


def test_many_lines_continue_on_a_second_page() -> None:
    doc = fpl_bill(payments=False)
    extra = tuple(ChargeLine(f"X{i:02d}", f"Adjustment {i:02d}", Money(1000 + i, "USD"),
                             "Meter test fee refund, order " + "x" * 60) for i in range(25))
    total = doc.total_due + Money(sum(line.amount.minor for line in extra), "USD")
    big = replace(doc, charges=doc.charges + extra, total_due=total, amount_after_due=total,
                  qr_payload="", barcode_value="")
    texts = _texts(_render([big]))
    assert len(texts) == 2
    assert "more lines on the next page" in texts[0]
    assert f"{big.bill_number}" in texts[1]
    joined = "\n".join(texts)
    for line in big.charges:
        assert f"{line.description} {format_amount(line.amount)}" in joined
    assert format_money(total) in texts[0]


def test_totals_that_do_not_add_up_are_refused() -> None:
    doc = fpl_bill()
    with pytest.raises(ValidationError, match="B202601-000042 total_due"):
        replace(doc, total_due=doc.total_due + Money(1, "USD"))
    with pytest.raises(ValidationError, match="EUR"):
        replace(doc, previous_balance=Money(12000, "EUR"))


def test_logo_is_embedded_once_per_file() -> None:
    data = _render([sample_bill(i) for i in range(5)])
    assert data.count(b"/Subtype /Image") == 1
    page = PdfReader(io.BytesIO(data)).pages[3]
    assert any(page["/Resources"]["/XObject"][k]["/Subtype"] == "/Image"
               for k in page["/Resources"]["/XObject"])


def test_consumption_is_never_rounded_on_paper() -> None:
    doc = sample_bill(3)
    assert doc.consumption_kwh == Decimal("390.375")
    (text,) = _texts(_render([doc]))
    assert "Consumption this period: 390.375 kWh" in text


def test_names_outside_winansi_print_in_the_fallback_font() -> None:
    from ebs_desktop.reports.pdf_text import unicode_font

    if unicode_font(False) is None:
        pytest.skip("no Unicode TrueType font on this machine (DejaVu/Arial)")
    doc = replace(fpl_bill(), customer_name="Łukasz Żółć (Иванов) \\ Ω",
                  premise_address=("ul. Świętokrzyska 5", "Kraków"), qr_payload="",
                  barcode_value="")
    data = _render([doc])
    (text,) = _texts(data)
    assert "Łukasz Żółć (Иванов) \\ Ω" in text
    assert "ul. Świętokrzyska 5" in text and "Kraków" in text
    assert b"DejaVuSans" in data or b"Arial" in data


def test_overlong_values_are_shrunk_or_cut_not_overprinted() -> None:
    long_name = "Riverside Cooperative Housing Association Block " + "B" * 80
    doc = replace(fpl_bill(), customer_name=long_name, qr_payload="", barcode_value="")
    (text,) = _texts(_render([doc]))
    assert long_name not in text
    assert "Riverside Cooperative Housing" in text and "…" in text
