"""What the clerk sees after finding an account: balance, open bills, last payments.

Why one call: the counter screen shows all three at once for every customer in the
queue; one read transaction gives a consistent picture (the balance and the open bills
agree even while another counter is posting to the same account).
"""

from __future__ import annotations

from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.records import AccountPosition, OpenBillInfo, PaymentInfo
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency


def account_position(db: Database, actor: Actor, account_number: str,
                     last: int = 5) -> AccountPosition:
    require(actor, "account.view")
    with db.read() as s:
        head = store.account_head(s, account_number.strip())
        if head is None:
            raise NotFound(no_account_message(account_number))
        account_id, name, balance = head
        cur = utility_currency(s)
        bills = []
        for bill_id, due, open_minor in store.open_bills(s, account_id):
            number, period = store.bill_number_period(s, bill_id)
            bills.append(OpenBillInfo(bill_id, number, period, due, Money(open_minor, cur)))
        payments = [PaymentInfo(pid, receipt, at, Money(minor, cur),
                                store.tender_kinds(s, pid), reversed_)
                    for pid, at, minor, receipt, reversed_ in store.last_payments(
                        s, account_id, last)]
        return AccountPosition(account_number.strip(), name, Money(balance, cur), tuple(bills),
                               tuple(payments))
