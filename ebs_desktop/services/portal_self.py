"""A signed-in portal customer's own sign-in (issue 21; permission ``self.security``):
the password (a change revokes every session and hands back a new one), sign-in codes
(TOTP, in force once a code from the app confirms them), log out everywhere, and one more
account proven like at registration. The rules shared with the gate are in
:mod:`ebs_desktop.services.portal_auth`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ebs_desktop.errors import AuthenticationError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import portal_auth as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.passwords import hash_password, verify_password
from ebs_desktop.services.portal_auth import (
    BAD_CODE,
    EMAIL_LIMIT,
    IP_LIMIT,
    NO_CLIENT,
    THROTTLED,
    Client,
    check_new_password,
    count_failures,
    missing,
    proof_matches,
    start_session,
    throttled,
    utc_now,
)
from ebs_desktop.services.settings import get_settings

if TYPE_CHECKING:
    from ebs_desktop.persistence.models import PortalLogin


@dataclass(frozen=True)
class Security:
    """What the security page shows a customer about their own sign-in."""

    email: str
    totp: bool
    open_sessions: int


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str  # otpauth:// for an authenticator app


def _login_of(session: Session, actor: Actor) -> PortalLogin:
    if actor.login_id is None:
        raise NotFound("no portal login")
    found = store.login_by_id(session, actor.login_id)
    if found is None:
        raise NotFound("no portal login")
    return found


def security(db: Database, actor: Actor) -> Security:
    require(actor, "self.security")
    with db.read() as session:
        login = _login_of(session, actor)
        return Security(login.email, bool(login.totp_enabled),
                        store.open_sessions(session, login.id, utc_now()))


def change_password(db: Database, actor: Actor, current: str, password: str,
                    password_confirm: str, *, client: Client = NO_CLIENT) -> str:
    """A new password (the current one required); every session of the login is revoked,
    this one included: the new session's secret is returned for the cookie."""
    require(actor, "self.security")
    check_new_password(password, password_confirm)
    new_hash = hash_password(password)
    now = utc_now()
    with db.write() as session:
        login = _login_of(session, actor)
        if not verify_password(login.password_hash, current or ""):
            raise ValidationError("is not your current password", location="current_password")
        login.password_hash = new_hash
        login.password_changed_at = now
        store.revoke_sessions(session, login.id, now)
        store.add_activity(session, action="password_changed", now=now, login_id=login.id,
                           email=login.email, ip=client.ip)
        # created a moment after the change, so the change does not refuse it
        return start_session(session, login.id, "full", now + timedelta(microseconds=1),
                              client)


def logout_everywhere(db: Database, actor: Actor, *, client: Client = NO_CLIENT) -> int:
    """Revoke every session of the login (this one too); how many were open."""
    require(actor, "self.security")
    now = utc_now()
    with db.write() as session:
        login = _login_of(session, actor)
        ended = store.revoke_sessions(session, login.id, now)
        store.add_activity(session, action="logout_everywhere", now=now, login_id=login.id,
                           email=login.email, ip=client.ip, detail=f"{ended} sessions")
        return ended


def totp_begin(db: Database, actor: Actor) -> TotpSetup:
    """A new TOTP secret, kept but not in force until :func:`totp_confirm` sees a code."""
    import pyotp

    require(actor, "self.security")
    with db.write() as session:
        login = _login_of(session, actor)
        if login.totp_enabled:
            raise ValidationError("a second factor is already on; turn it off first",
                                  location="code")
        login.totp_secret = pyotp.random_base32()
        issuer = get_settings(session).utility_name
        uri = pyotp.TOTP(login.totp_secret).provisioning_uri(name=login.email,
                                                             issuer_name=issuer)
        return TotpSetup(login.totp_secret, uri)


def totp_confirm(db: Database, actor: Actor, code: str, *, client: Client = NO_CLIENT) -> None:
    import pyotp

    require(actor, "self.security")
    now = utc_now()
    with db.write() as session:
        login = _login_of(session, actor)
        if not login.totp_secret or not pyotp.TOTP(login.totp_secret).verify(
                (code or "").replace(" ", ""), valid_window=1):
            raise ValidationError(BAD_CODE, location="code")
        login.totp_enabled = True
        store.add_activity(session, action="totp_on", now=now, login_id=login.id,
                           email=login.email, ip=client.ip)


def totp_disable(db: Database, actor: Actor, password: str, *,
                 client: Client = NO_CLIENT) -> None:
    require(actor, "self.security")
    now = utc_now()
    with db.write() as session:
        login = _login_of(session, actor)
        if not verify_password(login.password_hash, password or ""):
            raise ValidationError("is not your current password", location="current_password")
        login.totp_enabled = False
        login.totp_secret = None
        store.add_activity(session, action="totp_off", now=now, login_id=login.id,
                           email=login.email, ip=client.ip)


def add_account(db: Database, actor: Actor, account_number: str, proof: str, *,
                client: Client = NO_CLIENT) -> str:
    """Prove one more account for the signed-in login (the same proof as registering).
    Throttled per login and address; a mismatch says so (the customer is signed in, and
    the throttle stops guessing)."""
    require(actor, "self.security")
    number = (account_number or "").strip() or missing("account_number")
    now = utc_now()
    with db.write() as session:
        login = _login_of(session, actor)
        keys = [(f"add:{login.id}", EMAIL_LIMIT), (f"ip:{client.ip}", IP_LIMIT)]
        if throttled(session, keys, now):
            raise AuthenticationError(THROTTLED)
        target = store.account_id(session, number)
        how = None if target is None else proof_matches(
            session, target, proof, get_settings(session).currency)
        if target is None or how is None:
            count_failures(session, [k for k, _ in keys], now)
            raise ValidationError("the account number and bill do not match our records",
                                  location="proof")
        store.link_account(session, login.id, target, how, now)
        store.add_activity(session, action="account_added", now=now, login_id=login.id,
                           account_id=target, email=login.email, ip=client.ip, detail=how)
        return number
