"""The insight box on the bill: what it says, read back from the PDF with pypdf, and that
the customer's download is still the print run's very bytes."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill
from ebs_desktop.reports.bill_pdf import bill_pdf_bytes
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.bill_documents import bill_document
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import CustomerServices, StaffServices

from .bill_fixtures import fpl_bill

OPERATOR = system_actor("test")


def _text(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_box_prints_whole_sentences_while_they_fit() -> None:
    plain = fpl_bill()
    assert "About your use" not in _text(bill_pdf_bytes(plain))
    said = ("You used 412 kWh, 18% more than in the same period last year (349 kWh).",
            "Pay by the due date to earn a 1% rebate on your next bill.")
    text = _flat(_text(bill_pdf_bytes(replace(plain, insights=said))))
    assert "About your use" in text
    for sentence in said:
        assert sentence in text
    many = tuple(f"Sentence number {i} is long enough to wrap over two lines of the box, "
                 "and then some more." for i in range(40))
    text = _flat(_text(bill_pdf_bytes(replace(plain, insights=many))))
    shown = [i for i in range(40) if f"Sentence number {i} is" in text]
    assert shown and shown == list(range(len(shown))) and len(shown) < 40
    for i in shown:  # never half a sentence
        assert f"Sentence number {i} is long enough to wrap over two lines of the box, " \
               "and then some more." in text


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=8, months=14, until="2026-06")
    return db


def test_the_bill_box_compares_with_last_year_and_is_the_print_runs_bytes(
        demo: Database) -> None:
    with demo.read() as s:
        number, bill_number, period = s.execute(
            select(Account.account_number, Bill.bill_number, Bill.period)
            .join(Bill, Bill.account_id == Account.id)
            .where(Account.category == "residential", Bill.period == "2026-05")
            .order_by(Account.account_number).limit(1)).one()
    staff = StaffServices(demo, OPERATOR).accounts.account_view(number)
    used = {c.period: c.kwh for c in staff.consumption}
    now, before = used[period], used["2025-05"]
    change = round((now - before) * 100 / before)

    printed = bill_pdf_bytes(bill_document(demo, OPERATOR, bill_number))
    downloaded = CustomerServices(demo, Actor.customer(1, "a@example.org", [number])) \
        .bill_pdf(bill_number)
    assert downloaded == printed

    text = _flat(_text(printed))
    assert "About your use" in text
    direction = "more" if change > 0 else "less"
    assert (f"You used {now.quantize(Decimal(1)):,} kWh, {abs(change)}% {direction} than in "
            f"the same period last year ({before.quantize(Decimal(1)):,} kWh).") in text
    # the tariff's ladder, as the residential tariff prices it
    assert "The first 100 kWh of a month cost 0.085 USD each" in text
    # the same bill again: the same bytes (nothing in the box depends on the clock)
    assert bill_pdf_bytes(bill_document(demo, OPERATOR, bill_number)) == printed
