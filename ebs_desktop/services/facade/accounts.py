"""The accounts operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import account_edit as _account_edit
from ebs_desktop.services import account_prefs as _account_prefs
from ebs_desktop.services import account_view as _account_view
from ebs_desktop.services import accounts as _accounts
from ebs_desktop.services.counter import position as _position
from ebs_desktop.services.facade.door import Area, Operation


class AccountsArea(Area):
    account_choices = Operation("account.view", _account_edit.account_choices)
    create_account = Operation("account.edit", _account_edit.create_account)
    edit_contact = Operation("account.edit", _account_edit.edit_contact)
    add_note = Operation("account.view", _account_edit.add_note)
    account_view = Operation("account.view", _account_view.account_view)
    bill_view = Operation("account.view", _account_view.bill_view)
    find_accounts = Operation("account.view", _accounts.find_accounts)
    account_details = Operation("account.view", _accounts.account_details)
    list_accounts = Operation("account.view", _accounts.list_accounts)
    count_accounts = Operation("account.view", _accounts.count_accounts)
    account_position = Operation("account.view", _position.account_position)
    preferences = Operation("account.view", _account_prefs.account_preferences)
    set_preferences = Operation("account.edit", _account_prefs.set_preferences)
    contact_changes = Operation("account.view", _account_prefs.contact_changes)
