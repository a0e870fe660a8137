"""The users operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import users as _users
from ebs_desktop.services.facade.door import Area, Operation


class UsersArea(Area):
    add_user = Operation("user.manage", _users.add_user)
    set_password = Operation("user.manage", _users.set_password)
    set_active = Operation("user.manage", _users.set_active)
    set_roles = Operation("user.manage", _users.set_roles)
    list_users = Operation("user.manage", _users.list_users)
