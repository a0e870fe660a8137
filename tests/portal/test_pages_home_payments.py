"""The home page and the payments pages over a small demo: each account's balance, open
bills, latest bill and payment; the payment history and a receipt with the bills it paid;
no "pay now" (online payment does not exist yet); another customer's payment a 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ebs_desktop.domain.formatting import format_money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Payment
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices
from tests.support.portal_pages import client, paid_accounts

OPERATOR = system_actor("test")


@pytest.fixture
def demo(sqlite_db: Database) -> Database:
    build_demo(sqlite_db, customers=8, months=4, until="2026-06")
    return sqlite_db


def _card(page: str, number: str) -> str:
    return page.split(f"Account {number}</h2>", 1)[1].split("</section>", 1)[0]


def test_home_shows_each_accounts_balance_open_bills_latest_bill_and_payment(
        demo: Database) -> None:
    first, second = paid_accounts(demo)[:2]
    page = client(demo, [first, second]).get("/")
    assert page.status_code == 200 and "<h1>Your accounts</h1>" in page.text
    for number in (first, second):
        view = StaffServices(demo, OPERATOR).accounts.account_view(number)
        card = _card(page.text, number)
        balance = view.details.summary.balance
        if balance.minor > 0:
            assert "You owe" in card and format_money(balance, "en_US") in card
        elif balance.minor < 0:
            assert "In credit" in card and format_money(-balance, "en_US") in card
        else:
            assert "Nothing to pay" in card
        open_bills = sum(1 for b in view.bills if b.open.minor > 0)
        assert f"<dd>{open_bills}</dd>" in card
        assert f'href="/bills/{view.bills[0].bill_number}"' in card
        assert f'href="/payments/{view.payments[0].id}"' in card
        assert format_money(view.payments[0].amount, "en_US") in card
    assert "Pay now" not in page.text and "pay now" not in page.text.lower()


def test_payments_list_and_receipt(demo: Database) -> None:
    mine = paid_accounts(demo)[0]
    view = StaffServices(demo, OPERATOR).accounts.account_view(mine)
    me = client(demo, [mine])
    page = me.get("/payments")
    assert page.status_code == 200 and "<h1>Payments</h1>" in page.text
    for p in view.payments:
        assert f'href="/payments/{p.id}"' in page.text
        assert format_money(p.amount, "en_US") in page.text
    assert "pay now" not in page.text.lower()
    paid = view.payments[-1]
    receipt = me.get(f"/payments/{paid.id}")
    assert receipt.status_code == 200
    assert paid.receipt_number and f"<h1>Receipt {paid.receipt_number}</h1>" in receipt.text
    assert format_money(paid.amount, "en_US") in receipt.text
    assert "/bills/" in receipt.text  # the bills it paid, linked


def test_another_customers_payment_is_not_found(demo: Database) -> None:
    mine, theirs = paid_accounts(demo)[:2]
    with demo.read() as s:
        their_payment = s.scalar(select(Payment.id).join(Account)
                                 .where(Account.account_number == theirs).limit(1))
    assert their_payment is not None
    me = client(demo, [mine])
    for url in (f"/payments/{their_payment}", "/payments/99999999", "/payments/abc",
                "/payments/-1"):
        assert me.get(url).status_code == 404, url
    assert client(demo, [theirs]).get(f"/payments/{their_payment}").status_code == 200
