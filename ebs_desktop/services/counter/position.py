"""What the clerk sees after finding an account: balance, open bills, last payments.

Why one call: the counter screen shows all three at once for every customer in the
queue; one read transaction gives a consistent picture (the balance and the open bills
agree even while another counter is posting to the same account).
"""

from __future__ import annotations

from sqlalchemy import select

from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Bill,
    Customer,
    Payment,
    PaymentReversal,
    PaymentTender,
    Receipt,
)
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.ledger_ops import open_bills
from ebs_desktop.services.counter.records import AccountPosition, OpenBillInfo, PaymentInfo
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings


def account_position(db: Database, actor: Actor, account_number: str,
                     last: int = 5) -> AccountPosition:
    require(actor, "account.view")
    with db.read() as s:
        row = s.execute(select(Account.id, Customer.name, Account.balance_minor)
                        .join(Customer, Customer.id == Account.customer_id)
                        .where(Account.account_number == account_number.strip())).one_or_none()
        if row is None:
            raise NotFound(no_account_message(account_number))
        account_id, name, balance = int(row[0]), str(row[1]), int(row[2])
        cur = get_settings(s).currency
        bills = []
        for bill_id, due, open_minor in open_bills(s, account_id):
            number, period = s.execute(select(Bill.bill_number, Bill.period)
                                       .where(Bill.id == bill_id)).one()
            bills.append(OpenBillInfo(bill_id, number, period, due, Money(open_minor, cur)))
        payments = []
        for pid, at, minor, receipt, reversed_id in s.execute(
                select(Payment.id, Payment.received_at, Payment.amount_minor, Receipt.number,
                       PaymentReversal.id)
                .join(Receipt, (Receipt.payment_id == Payment.id) & (Receipt.kind == "payment"))
                .outerjoin(PaymentReversal, PaymentReversal.payment_id == Payment.id)
                .where(Payment.account_id == account_id)
                .order_by(Payment.id.desc()).limit(last)):
            kinds = tuple(s.scalars(select(PaymentTender.tender)
                                    .where(PaymentTender.payment_id == pid)
                                    .order_by(PaymentTender.id)))
            payments.append(PaymentInfo(int(pid), str(receipt), at, Money(int(minor), cur),
                                        kinds, reversed_id is not None))
        return AccountPosition(account_number.strip(), name, Money(balance, cur), tuple(bills),
                               tuple(payments))
