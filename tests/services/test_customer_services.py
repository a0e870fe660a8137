"""The portal customer's facade over a small demo utility (issue 18, principals).

A customer sees their own accounts, bills, payments and usage, and nothing of anybody
else's: another customer's account number, bill number, bill PDF or payment id is
NotFound with the same text as an id that does not exist. Staff and jobs cannot use the
customer's facade, and a customer cannot use theirs.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Bill, CreditNote, Payment
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import CustomerServices, StaffServices, SystemServices

OPERATOR = system_actor("test")


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=8, months=4, until="2026-06")
    return db


def _two_paid_accounts(db: Database) -> tuple[str, str]:
    with db.read() as s:
        numbers = list(dict.fromkeys(s.scalars(
            select(Account.account_number).join(Payment, Payment.account_id == Account.id)
            .order_by(Account.account_number))))
    assert len(numbers) >= 2
    return numbers[0], numbers[1]


def _customer(db: Database, *accounts: str) -> CustomerServices:
    return CustomerServices(db, Actor.customer(1, "ann@example.org", accounts))


def test_a_customer_sees_their_own_accounts_bills_payments_and_usage(demo: Database) -> None:
    mine, _ = _two_paid_accounts(demo)
    me = _customer(demo, mine)
    staff = StaffServices(demo, OPERATOR).accounts.account_view(mine)

    assert [a.account_number for a in me.my_accounts()] == [mine]
    assert me.my_accounts()[0].balance == staff.details.summary.balance
    bills = me.bills(mine)
    assert [b.bill_number for b in bills] == [b.bill_number for b in staff.bills]
    assert [b.total for b in bills] == [b.total for b in staff.bills]
    assert [b.paid for b in bills] == [b.paid for b in staff.bills]
    detail = me.bill(bills[0].bill_number)
    assert detail.bill == bills[0]
    assert sum(line.amount.minor for line in detail.lines) == bills[0].total.minor
    pays = me.payments(mine)
    assert [p.payment_id for p in pays] == [p.id for p in staff.payments]
    assert me.payment(pays[0].payment_id) == pays[0]
    assert [(u.period, u.kwh) for u in me.usage(mine)] == [
        (c.period, c.kwh) for c in staff.consumption]
    summary = me.account_summary(mine)
    assert summary.account.balance == staff.details.summary.balance
    assert summary.latest_bill == bills[0] and summary.latest_payment == pays[0]
    assert summary.open_bills == sum(1 for b in staff.bills if b.open.minor > 0)
    pdf = me.bill_pdf(bills[0].bill_number)
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-64:]


def test_another_customers_ids_are_not_found_like_ids_that_do_not_exist(
        demo: Database) -> None:
    mine, theirs = _two_paid_accounts(demo)
    me = _customer(demo, mine)
    with demo.read() as s:
        their_bill = s.scalar(select(Bill.bill_number).join(Account)
                              .where(Account.account_number == theirs).limit(1))
        their_payment = s.scalar(select(Payment.id).join(Account)
                                 .where(Account.account_number == theirs).limit(1))
        last_payment = s.scalar(select(Payment.id).order_by(Payment.id.desc()).limit(1))
    assert their_bill is not None and their_payment is not None and last_payment is not None

    def refusal(call: object, *args: object) -> str:
        with pytest.raises(NotFound) as caught:
            call(*args)  # type: ignore[operator]
        return str(caught.value)

    for op in (me.account_summary, me.bills, me.payments, me.usage):
        assert refusal(op, theirs).replace(theirs, "?") == \
            refusal(op, "9999-9999-9").replace("9999-9999-9", "?")
    for op in (me.bill, me.bill_pdf):
        assert refusal(op, their_bill).replace(their_bill, "?") == \
            refusal(op, "B0000-0000000").replace("B0000-0000000", "?")
    assert refusal(me.payment, their_payment).replace(str(their_payment), "?") == \
        refusal(me.payment, last_payment + 1000).replace(str(last_payment + 1000), "?")
    # the same ids are real: the staff facade and their owner find them
    owner = _customer(demo, theirs)
    assert owner.bill(their_bill).bill.account_number == theirs
    assert owner.payment(their_payment).account_number == theirs
    # a customer with no proven account sees nothing at all
    assert _customer(demo).my_accounts() == []
    with pytest.raises(NotFound):
        _customer(demo).bills(mine)


def test_a_cancelled_bill_is_not_handed_out_as_a_pdf(demo: Database) -> None:
    mine, _ = _two_paid_accounts(demo)
    me = _customer(demo, mine)
    number = me.bills(mine)[0].bill_number
    StaffServices(demo, OPERATOR).billing.cancel_bill(number, "wrong reading")
    with demo.read() as s:
        assert s.scalar(select(CreditNote.number).join(Bill)
                        .where(Bill.bill_number == number)) is not None
    assert me.bill(number).credit_note is not None and me.bill(number).bill.cancelled
    with pytest.raises(ValidationError, match="cancelled by credit note"):
        me.bill_pdf(number)


def test_staff_and_jobs_cannot_use_the_customer_facade_nor_customers_theirs(
        demo: Database) -> None:
    mine, _ = _two_paid_accounts(demo)
    customer = Actor.customer(1, "ann@example.org", [mine])
    for principal in (OPERATOR, Actor.job("notifier"), Actor.job("scheduler"),
                      Actor.job("webhooks"), Actor(3, "clerk", frozenset({"clerk"}))):
        with pytest.raises(PermissionDenied):
            CustomerServices(demo, principal).bills(mine)
        with pytest.raises(PermissionDenied):
            CustomerServices(demo, principal).my_accounts()
    with pytest.raises(PermissionDenied):
        StaffServices(demo, customer).accounts.account_view(mine)
    with pytest.raises(PermissionDenied):
        StaffServices(demo, customer).billing.bill_document("1")
    with pytest.raises(PermissionDenied):
        SystemServices(demo, customer).check_books()
    # jobs: only the scheduler checks the books, and only through the jobs' facade
    assert SystemServices(demo, Actor.job("scheduler")).check_books().ok
    with pytest.raises(PermissionDenied):
        SystemServices(demo, Actor.job("notifier")).check_books()
    with pytest.raises(PermissionDenied):
        StaffServices(demo, Actor.job("scheduler")).books.check_books()
    with pytest.raises(PermissionDenied):
        SystemServices(demo, OPERATOR).check_books()


def test_a_principal_cannot_hold_the_roles_of_another_kind() -> None:
    with pytest.raises(ValueError):
        Actor(None, "mallory", frozenset({"customer"}))
    with pytest.raises(ValueError):
        Actor(None, "mallory", frozenset({"clerk", "job:scheduler"}))
    with pytest.raises(ValueError):
        Actor(None, "c", frozenset({"customer", "admin"}), kind="customer")
    with pytest.raises(ValueError):
        Actor(None, "j", frozenset({"job:notifier", "clerk"}), kind="job")
    with pytest.raises(ValueError):
        Actor(5, "c", frozenset({"customer"}), kind="customer")  # no staff user row
    with pytest.raises(ValueError):
        Actor(None, "s", frozenset({"clerk"}), accounts=frozenset({"1000-0001-7"}))
    with pytest.raises(ValueError):
        Actor.job("everything")
    assert Actor.job("webhooks").roles == {"job:webhooks"}
    assert Actor.customer(9, "a@b", ["1"]).accounts == {"1"}


def test_the_pages_single_reads_match_the_operations_they_replace(demo: Database) -> None:
    """``dashboard`` and ``bills_page`` (one read transaction each, the portal's "/" and
    "/bills") answer what ``my_accounts``, ``account_summary``, ``bills`` and
    ``portal_locale`` answer one by one, for a customer with two accounts."""
    first, second = _two_paid_accounts(demo)
    me = _customer(demo, second, first)
    page = me.dashboard()
    assert page.locale == me.portal_locale()
    assert [s.account.account_number for s in page.summaries] == [first, second]
    assert list(page.summaries) == [me.account_summary(a.account_number)
                                    for a in me.my_accounts()]
    bills = me.bills_page()
    assert bills.locale == me.portal_locale()
    assert bills.accounts == tuple((n, tuple(me.bills(n))) for n in (first, second))
    assert all(rows for _n, rows in bills.accounts)
    StaffServices(demo, OPERATOR).settings.update_settings({"locale": "fr_CA"})
    assert me.dashboard().locale == me.bills_page().locale == "fr_CA"


def test_a_bill_pdf_is_kept_by_content_so_a_change_is_never_served_stale(
        demo: Database) -> None:
    """The rendered PDF is cached by the SHA-256 of its document: a second download is
    the same bytes as a fresh rendering, and a changed document (here the utility's name
    on the bill) renders anew instead of serving the cached file."""
    from ebs_desktop.services import customer_self

    mine, _ = _two_paid_accounts(demo)
    me = _customer(demo, mine)
    number = me.bills(mine)[0].bill_number
    customer_self.PDF_CACHE.entries.clear()
    customer_self.PDF_CACHE.size = 0
    first = me.bill_pdf(number)
    assert len(customer_self.PDF_CACHE.entries) == 1
    assert me.bill_pdf(number) == first
    customer_self.PDF_CACHE.entries.clear()
    customer_self.PDF_CACHE.size = 0
    assert me.bill_pdf(number) == first  # rendering is deterministic: the cache is exact
    StaffServices(demo, OPERATOR).settings.update_settings(
        {"utility_name": "Lakeside Power Board"})
    renamed = me.bill_pdf(number)
    assert renamed != first and len(customer_self.PDF_CACHE.entries) == 2
