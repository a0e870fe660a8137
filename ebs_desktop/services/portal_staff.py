"""Staff and the customer portal (issue 21; ``portal.view`` / ``portal.manage``):
invitations, assisted registration at the counter, locking a login, and who can see an
account online and what they did there. The rules shared with the gate are in
:mod:`ebs_desktop.services.portal_auth`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import portal_auth as store
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.passwords import hash_password
from ebs_desktop.services.portal_auth import (
    check_new_password,
    clean_address,
    fold,
    link,
    new_token,
    send_link,
    utc_now,
)


@dataclass(frozen=True)
class PortalLoginView:
    login_id: int
    email: str
    verified: bool
    locked: bool
    totp: bool
    last_login_at: datetime | None
    accounts: tuple[str, ...]


@dataclass(frozen=True)
class ActivityView:
    at: datetime
    email: str
    action: str
    ip: str
    detail: str


def invite(db: Database, actor: Actor, account_number: str, email: str, *, base_url: str,
           send: bool = True) -> str:
    """A single-use registration link for the account (valid 7 days), emailed to ``email``
    through the outbox when ``send``; the link."""
    require(actor, "portal.manage")
    address = clean_address(email)
    now = utc_now()
    with db.write() as session:
        target = store.account_id(session, (account_number or "").strip())
        if target is None:
            raise NotFound(f"no account {account_number!r}")
        secret = new_token(session, "invite", now, account_id=target, email=address)
        if send:
            send_link(session, Kind.PORTAL_INVITE, "invite", account_id=target, email=address,
                  secret=secret, base_url=base_url, now=now)
        store.add_activity(session, action="invited", now=now, account_id=target,
                           email=address, detail=f"by {actor.username}")
        return link(base_url, "invite", secret)


def add_user(db: Database, actor: Actor, account_number: str, email: str,
             password: str) -> int:
    """Assisted registration at the counter: a verified login for the account (or the
    account added to an existing login). The login's id."""
    require(actor, "portal.manage")
    address = clean_address(email)
    now = utc_now()
    with db.write() as session:
        target = store.account_id(session, (account_number or "").strip())
        if target is None:
            raise ValidationError(f"no account {account_number!r}", location="account")
        login = store.login_by_email(session, fold(address))
        if login is None:
            check_new_password(password, None)
            login = store.add_login(session, email=address, folded=fold(address),
                                    password_hash=hash_password(password), now=now,
                                    verified=True)
        store.link_account(session, login.id, target, "staff", now)
        store.add_activity(session, action="added_by_staff", now=now, login_id=login.id,
                           account_id=target, email=address, detail=f"by {actor.username}")
        return login.id


def set_locked(db: Database, actor: Actor, email: str, locked: bool,
               reason: str = "") -> None:
    """Lock (every session ends) or unlock a login."""
    require(actor, "portal.manage")
    now = utc_now()
    with db.write() as session:
        login = store.login_by_email(session, fold(email or ""))
        if login is None:
            raise NotFound(f"no portal login {email!r}")
        login.locked = locked
        login.locked_reason = reason or None if locked else None
        if locked:
            store.revoke_sessions(session, login.id, now)
        else:
            store.clear_failures(session, f"email:{login.email_folded}")
        store.add_activity(session, action="locked" if locked else "unlocked", now=now,
                           login_id=login.id, email=login.email,
                           detail=f"by {actor.username}" + (f": {reason}" if reason else ""))


def list_logins(db: Database, actor: Actor, account_number: str | None = None
                ) -> list[PortalLoginView]:
    """Portal logins (of one account, or all), with the accounts each holds."""
    require(actor, "portal.view")
    with db.read() as session:
        return [PortalLoginView(i, e, v is not None, lk, t, last, tuple(acc))
                for i, e, v, lk, t, last, acc in store.logins(session, account_number)]


def account_activity(db: Database, actor: Actor, account_number: str,
                     limit: int = 50) -> list[ActivityView]:
    """Recent portal activity of an account and of the logins that hold it."""
    require(actor, "portal.view")
    with db.read() as session:
        target = store.account_id(session, account_number)
        if target is None:
            raise NotFound(f"no account {account_number!r}")
        return [ActivityView(*row) for row in
                store.activity(session, account_id=target, limit=limit)]


@dataclass(frozen=True)
class AccountPortalView:
    """The account page's "Portal" tab: who can see the account online, and what they did."""

    account_number: str
    logins: tuple[PortalLoginView, ...]
    activity: tuple[ActivityView, ...]


def account_portal(db: Database, actor: Actor, account_number: str,
                   limit: int = 30) -> AccountPortalView:
    """The logins that hold the account and its recent portal activity, read at once."""
    require(actor, "portal.view")
    with db.read() as session:
        target = store.account_id(session, account_number)
        if target is None:
            raise NotFound(f"no account {account_number!r}")
        logins = tuple(PortalLoginView(i, e, v is not None, lk, t, last, tuple(acc))
                       for i, e, v, lk, t, last, acc in store.logins(session, account_number))
        activity = tuple(ActivityView(*row) for row in
                         store.activity(session, account_id=target, limit=limit))
        return AccountPortalView(account_number, logins, activity)
