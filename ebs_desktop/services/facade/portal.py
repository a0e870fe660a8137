"""The portal's doors for sign-in (issue 21).

* :class:`PortalGate`: what the portal may do before anybody is signed in, as the system
  job ``portal`` (permission ``portal.gate``): register, verify, sign in, resolve a
  session cookie, reset a password, check the database for ``/healthz``.
* :class:`CustomerSecurity`: a signed-in customer's own sign-in (``self.security``):
  password, second factor, sessions, one more account.
* :class:`PortalArea`: staff (``staff.portal``): invitations, assisted registration,
  locks, who has access and what they did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ebs_desktop.services import portal_auth as _auth
from ebs_desktop.services import portal_self as _self
from ebs_desktop.services import portal_staff as _staff
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade.door import Area, Door, Operation

if TYPE_CHECKING:
    from ebs_desktop.persistence.engine import Database


class PortalGate(Door):
    """The door before sign-in; its principal is the ``portal`` job unless given."""

    kinds = frozenset({"job"})

    def __init__(self, db: Database | Callable[[], Database],
                 principal: Actor | None = None) -> None:
        super().__init__(db, principal or Actor.job("portal"))

    register = Operation("portal.gate", _auth.register)
    verify_email = Operation("portal.gate", _auth.verify_email)
    login = Operation("portal.gate", _auth.login)
    login_code = Operation("portal.gate", _auth.login_code)
    resolve = Operation("portal.gate", _auth.resolve)
    logout = Operation("portal.gate", _auth.logout)
    forgot_password = Operation("portal.gate", _auth.forgot_password)
    reset_token_valid = Operation("portal.gate", _auth.reset_token_valid)
    reset_password = Operation("portal.gate", _auth.reset_password)
    invite_account = Operation("portal.gate", _auth.invite_account)
    health = Operation("portal.gate", _auth.health)


class CustomerSecurity(Door):
    """A signed-in customer's own sign-in settings."""

    kinds = frozenset({"customer"})

    security = Operation("self.security", _self.security)
    change_password = Operation("self.security", _self.change_password)
    logout_everywhere = Operation("self.security", _self.logout_everywhere)
    totp_begin = Operation("self.security", _self.totp_begin)
    totp_confirm = Operation("self.security", _self.totp_confirm)
    totp_disable = Operation("self.security", _self.totp_disable)
    add_account = Operation("self.security", _self.add_account)


class PortalArea(Area):
    """Staff: ``staff.portal``."""

    invite = Operation("portal.manage", _staff.invite)
    add_user = Operation("portal.manage", _staff.add_user)
    set_locked = Operation("portal.manage", _staff.set_locked)
    list_logins = Operation("portal.view", _staff.list_logins)
    account_activity = Operation("portal.view", _staff.account_activity)
    account_portal = Operation("portal.view", _staff.account_portal)
