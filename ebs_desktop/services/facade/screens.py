"""The desktop screens' own operations of the staff facade (choice lists, the settings
snapshot, the account list, the counter's state, the receipt queue, a test print, the
bill calculator): each service function behind the permission that opens its door (the
function checks again inside)."""

from __future__ import annotations

from ebs_desktop.services import screens as _desk
from ebs_desktop.services.facade.door import Area, Operation


class ScreensArea(Area):
    billing_choices = Operation("bill.calc", _desk.billing_choices)
    account_numbers = Operation("account.view", _desk.account_numbers)
    route_choices = Operation(_desk.ROUTES_DOOR, _desk.route_choices)
    counter_choices = Operation("counter.manage", _desk.counter_choices)
    account_rows = Operation("account.view", _desk.account_rows)
    first_account_owing = Operation("account.view", _desk.first_account_owing)
    counter_state = Operation(_desk.COUNTER_DOOR, _desk.counter_state)
    test_print = Operation("counter.manage", _desk.test_print)
