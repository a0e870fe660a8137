"""The bills pages over a small demo (both backends): the list with statuses, the detail
with its lines, the PDF byte for byte the print run's, the CSV downloads, and another
customer's bill number a 404 everywhere."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from ebs_desktop.domain.bill_status import bill_status
from ebs_desktop.domain.formatting import format_money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill
from ebs_desktop.portal.app import anonymous, create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices
from tests.support.portal_pages import client, paid_accounts

OPERATOR = system_actor("test")


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=8, months=4, until="2026-06")
    return db


def test_the_bill_list_shows_each_bill_with_its_figures_and_status(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    staff = StaffServices(demo, OPERATOR).accounts.account_view(mine)
    page = client(demo, [mine]).get("/bills")
    assert page.status_code == 200
    assert "<h1>Bills</h1>" in page.text
    assert f"Account {mine}" in page.text
    assert len(staff.bills) >= 3
    for b in staff.bills:
        assert f'href="/bills/{b.bill_number}"' in page.text
        status = bill_status(b.total.minor, b.paid.minor, b.due_date, date.today(),
                             cancelled=b.cancelled)
        row = page.text.split(f'href="/bills/{b.bill_number}"', 1)[1].split("</tr>", 1)[0]
        assert format_money(b.total, "en_US") in row
        assert format_money(b.open, "en_US") in row
        assert f">{status}</span>" in row
    assert "Pay now" not in page.text


def test_a_bill_shows_its_explained_lines_and_totals(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    staff = StaffServices(demo, OPERATOR).accounts
    summary = staff.account_view(mine).bills[0]
    view = staff.bill_view(summary.id)
    page = client(demo, [mine]).get(f"/bills/{summary.bill_number}")
    assert page.status_code == 200
    assert f"<h1>Bill {summary.bill_number}</h1>" in page.text
    assert view.lines
    for line in view.lines:
        assert line.description in page.text
        assert format_money(line.amount, "en_US") in page.text
    assert format_money(summary.total, "en_US") in page.text
    assert "Electricity" in page.text  # an energy line is explained in a sentence
    assert f'href="/bills/{summary.bill_number}.pdf"' in page.text


def test_the_pdf_is_the_print_runs_bytes(demo: Database, tmp_path: Path) -> None:
    mine = paid_accounts(demo)[0]
    number = StaffServices(demo, OPERATOR).accounts.account_view(mine).bills[0].bill_number
    got = client(demo, [mine]).get(f"/bills/{number}.pdf")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"]
    StaffServices(demo, OPERATOR).billing.print_bills(tmp_path / "out", bill=number,
                                                      split=True)
    (printed,) = (tmp_path / "out").iterdir()
    assert printed.read_bytes() == got.content


def test_a_cancelled_bill_says_why_and_has_no_pdf(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    number = StaffServices(demo, OPERATOR).accounts.account_view(mine).bills[0].bill_number
    StaffServices(demo, OPERATOR).billing.cancel_bill(number, "wrong reading")
    me = client(demo, [mine])
    page = me.get(f"/bills/{number}")
    assert "was cancelled by credit note" in page.text and ".pdf" not in page.text
    assert ">cancelled</span>" in page.text
    pdf = me.get(f"/bills/{number}.pdf")
    assert pdf.status_code == 409 and "cancelled by credit note" in pdf.text


def test_the_csv_downloads_hold_the_customers_bills_and_readings_only(
        demo: Database) -> None:
    mine, theirs = paid_accounts(demo)[:2]
    staff = StaffServices(demo, OPERATOR).accounts.account_view(mine)
    me = client(demo, [mine])
    got = me.get("/bills.csv")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert [r["bill"] for r in rows] == [b.bill_number for b in staff.bills]
    assert [r["total"] for r in rows] == [str(b.total) for b in staff.bills]
    assert {r["account"] for r in rows} == {mine}
    text = me.get("/readings.csv").text
    readings = list(csv.DictReader(io.StringIO(text)))
    assert readings and {r["account"] for r in readings} == {mine}
    assert theirs not in text


def test_another_customers_bill_is_not_found_on_every_route(demo: Database) -> None:
    mine, theirs = paid_accounts(demo)[:2]
    with demo.read() as s:
        their_bill = s.scalar(select(Bill.bill_number).join(Account)
                              .where(Account.account_number == theirs).limit(1))
    assert their_bill
    me = client(demo, [mine])
    for url in (f"/bills/{their_bill}", f"/bills/{their_bill}.pdf",
                "/bills/B0000-0000000", "/bills/B0000-0000000.pdf"):
        got = me.get(url)
        assert got.status_code == 404, url
        assert their_bill not in got.text
    assert client(demo, [theirs]).get(f"/bills/{their_bill}").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(demo: Database) -> None:
    app = create_app(demo, PortalConfig(secret_key=b"k" * 32, secure_cookies=False),
                     resolver=anonymous)
    visitor = TestClient(app, follow_redirects=False)
    for url in ("/", "/bills", "/bills/X", "/bills/X.pdf", "/bills.csv", "/readings.csv",
                "/payments", "/payments/1", "/profile"):
        got = visitor.get(url)
        assert got.status_code == 303, url
        assert got.headers["location"].startswith("/login?next=")


def test_an_unpaid_bill_past_its_due_date_is_overdue_everywhere(demo: Database) -> None:
    from datetime import timedelta

    from ebs_desktop.services.billing.run import run_billing

    mine = paid_accounts(demo)[0]
    result = run_billing(demo, OPERATOR, "2026-06", issue_date=date.today() - timedelta(60))
    assert result.bills > 0
    view = StaffServices(demo, OPERATOR).accounts.account_view(mine)
    newest = view.bills[0]
    assert newest.period == "2026-06" and newest.paid.minor == 0
    assert newest.due_date < date.today()
    me = client(demo, [mine])
    row = me.get("/bills").text.split(f'href="/bills/{newest.bill_number}"', 1)[1]
    assert ">overdue</span>" in row.split("</tr>", 1)[0]
    detail = me.get(f"/bills/{newest.bill_number}").text
    assert ">overdue</span>" in detail
    home = me.get("/").text
    assert "You owe" in home and format_money(view.details.summary.balance, "en_US") in home
    assert "<dd>1</dd>" in home and "(overdue)" in home
