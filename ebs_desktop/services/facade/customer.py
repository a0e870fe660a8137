"""The portal customer's facade: their own accounts, bills, payments and usage.

Every operation is scoped to the accounts the principal has proven (see
:mod:`ebs_desktop.services.customer_self`): somebody else's account number, bill number or
payment id is NotFound, exactly as one that does not exist.
"""

from __future__ import annotations

from ebs_desktop.services import customer_profile as _profile
from ebs_desktop.services import customer_self as _self
from ebs_desktop.services import online_payments as _online
from ebs_desktop.services import support as _support
from ebs_desktop.services import usage as _usage
from ebs_desktop.services.facade.door import Door, Operation


class CustomerServices(Door):
    """What a customer signed in to the portal may ask of the core."""

    kinds = frozenset({"customer"})

    my_accounts = Operation("self.view", _self.my_accounts)
    dashboard = Operation("self.view", _self.dashboard)  # "/" in one read
    bills_page = Operation("self.bills", _self.bills_page)  # "/bills" in one read
    account_summary = Operation("self.view", _self.account_summary)
    bills = Operation("self.bills", _self.bills)
    bill = Operation("self.bills", _self.bill)
    bill_pdf = Operation("self.bills", _self.bill_pdf)
    payments = Operation("self.view", _self.payments)
    payment = Operation("self.view", _self.payment)
    usage = Operation("self.view", _self.usage)
    start_payment = Operation("self.pay", _online.start_payment)
    save_autopay = Operation("self.pay", _online.save_autopay)
    cancel_autopay = Operation("self.pay", _online.cancel_autopay)
    # service requests (issue 21, point 6)
    support_requests = Operation("self.support", _support.my_requests)
    support_request = Operation("self.support", _support.my_request)
    open_support_request = Operation("self.support", _support.open_request)
    reply_support_request = Operation("self.support", _support.customer_reply)
    support_photo = Operation("self.support", _support.my_photo)
    support_place = Operation("self.support", _support.support_place)
    readings = Operation("self.view", _self.readings)
    payment_receipt = Operation("self.view", _self.payment_receipt)
    profile = Operation("self.view", _profile.my_profile)
    update_profile = Operation("self.edit", _profile.update_profile)
    portal_locale = Operation("self.view", _profile.portal_locale)
    usage_overview = Operation("self.view", _usage.usage_overview)
    submit_self_read = Operation("self.read", _usage.submit_self_read)
