"""Portal sign-in (issue 21): registration with proof, email verification, sign-in with
throttling and an optional second factor, sessions, password reset, invitations, and the
staff's view of portal logins.

Who acts:

* before anyone is signed in, the portal itself, as the system job ``portal``
  (permission ``portal.gate``): register, verify, sign in, resolve a session, reset;
* a signed-in customer (``self.security``): change the password, TOTP, log out
  everywhere, add an account (:mod:`ebs_desktop.services.portal_self`);
* staff (``portal.view`` / ``portal.manage``): invite, assisted registration, lock,
  unlock, list, an account's portal access and recent activity
  (:mod:`ebs_desktop.services.portal_staff`).

This module holds the gate's use cases and the rules the three share.

Rules:

* **Uniform answers.** Registration and "forgot password" answer the same whether the
  account, the proof or the email exist (:data:`REGISTER_ANSWER`, :data:`RESET_ANSWER`),
  and do the same Argon2 work either way. A failed sign-in says :data:`REFUSED` whatever
  was wrong; only the right password learns that a login is locked or unverified.
* **Throttling** (:data:`EMAIL_LIMIT` failures per address, :data:`IP_LIMIT` per client
  address, per :data:`WINDOW`), counted in the database so it holds across workers and
  machines; a throttled attempt is refused without looking at the password.
* **Sessions**: the cookie carries a random secret; the table keeps its SHA-256. Idle for
  :data:`IDLE` or older than :data:`ABSOLUTE` -> signed out. A password change, a reset
  or "log out everywhere" revokes the login's sessions; a session older than the last
  password change is refused in any case.
* **Tokens** (verification, reset, invitation): a random secret in the link, its SHA-256
  in the table, an expiry, used once. (Random and stored, rather than only signed: a
  signed link cannot be revoked or used just once without a table anyway.)
* Portal emails go through the outbox in the same transaction, to the login's address.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from ebs_desktop.domain.contacts import clean_email
from ebs_desktop.domain.money import parse_money
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import AuthenticationError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import outbox as outbox_store
from ebs_desktop.persistence.stores import portal_auth as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.passwords import check_strength, hash_password, verify_password
from ebs_desktop.services.settings import get_settings

if TYPE_CHECKING:
    pass

EMAIL_LIMIT = 5
IP_LIMIT = 20
ACCOUNT_LIMIT = 10  # wrong proofs per account number (registration)
WINDOW = timedelta(minutes=15)
IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
CODE_STEP = timedelta(minutes=5)  # between the password and the TOTP code
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute
VALID = {"verify": timedelta(hours=48), "reset": timedelta(hours=1),
         "invite": timedelta(days=7)}
PATHS = {"verify": "/verify/", "reset": "/password/reset/", "invite": "/register?invite="}

REFUSED = "Wrong email or password."
THROTTLED = ("Too many failed attempts. For your safety, sign-in is paused for 15 minutes; "
             "you can reset your password meanwhile.")
LOCKED = ("This sign-in is locked. Please call us to unlock it.")
UNVERIFIED = ("Please confirm your email address first: we have sent you a new link.")
REGISTER_ANSWER = ("Thank you. If the account number and bill match our records, we have "
                   "sent an email to {email}: open the link in it to finish registering.")
RESET_ANSWER = ("If {email} belongs to a portal sign-in, we have sent it a link to choose "
                "a new password. The link works for one hour.")
BAD_LINK = "This link has expired or has already been used."
BAD_CODE = "That code is not right. Check your authenticator app and try again."


@dataclass(frozen=True)
class Client:
    """Where a request comes from, as the portal sees it (for throttling and the log)."""

    ip: str = ""
    user_agent: str = ""


NO_CLIENT = Client()  # the default where the caller has no request (CLI, tests)


@dataclass(frozen=True)
class SignedIn:
    """A new session: ``secret`` goes in the cookie; ``needs_code`` when the second factor
    is still to come (``/login/code``)."""

    secret: str
    needs_code: bool


def utc_now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def fold(email: str) -> str:
    """The address as logins are keyed: trimmed, lower-cased."""
    return email.strip().casefold()


@cache
def _dummy_hash() -> str:
    return hash_password("no such login: the same work as a real check")


def clean_address(email: str) -> str:
    return clean_email(email or "", field="email") or missing("email")


def missing(field: str) -> str:
    raise ValidationError("is required", location=field)


def check_new_password(password: str, confirm: str | None) -> None:
    check_strength(password or "")
    if confirm is not None and password != confirm:
        raise ValidationError("the two passwords are not the same", location="password_confirm")


def new_token(session: Session, purpose: str, now: datetime, *, login_id: int | None = None,
               account_id: int | None = None, email: str | None = None) -> str:
    secret = secrets.token_urlsafe(32)
    store.add_token(session, purpose=purpose, token_hash=digest(secret),
                    expires_at=now + VALID[purpose], now=now, login_id=login_id,
                    account_id=account_id, email=email)
    return secret


def link(base_url: str, purpose: str, secret: str) -> str:
    return base_url.rstrip("/") + PATHS[purpose] + secret


def send_link(session: Session, kind: Kind, purpose: str, *, account_id: int, email: str,
          secret: str, base_url: str, now: datetime) -> None:
    settings = get_settings(session)
    context = {"utility_name": settings.utility_name, "utility_phone": settings.phone,
               "customer_name": store.customer_name(session, account_id),
               "account_number": store.account_number(session, account_id),
               "link": link(base_url, purpose, secret),
               "valid_hours": str(int(VALID[purpose].total_seconds() // 3600))}
    own = outbox_store.contact_and_preferences(session, account_id)[3]
    store.enqueue_email(session, kind=kind, account_id=account_id, recipient=email,
                        language=own or settings.locale, context=context,
                        dedupe_key=f"{kind.value}:{digest(secret)[:32]}", now=now)


def throttled(session: Session, keys: list[tuple[str, int]], now: datetime) -> bool:
    counts = store.failures(session, [k for k, _ in keys], now - WINDOW)
    return any(counts.get(k, 0) >= limit for k, limit in keys)


def count_failures(session: Session, keys: list[str], now: datetime) -> None:
    for key in keys:
        store.count_failure(session, key, now, now - WINDOW)


def proof_matches(session: Session, account_id: int, proof: str, currency: str) -> str | None:
    """How ``proof`` proves the account (``bill_number`` / ``bill_total``), or None."""
    text = (proof or "").strip()
    if not text:
        return None
    bills = store.recent_bills(session, account_id)
    if any(text.casefold() == number.casefold() for number, _ in bills):
        return "bill_number"
    try:
        amount = parse_money(text.replace(",", ""), currency, field="proof").minor
    except ValidationError:
        return None
    return "bill_total" if any(amount == total for _, total in bills) else None


# -- before sign-in: the portal gate (job:portal) -----------------------------------------

def register(db: Database, actor: Actor, account_number: str, proof: str, email: str,
             password: str, password_confirm: str, *, base_url: str,
             client: Client = Client(), invite: str | None = None) -> str:
    """Register (or add an account to) a login by proving the account; the answer is the
    same sentence whatever matched (:data:`REGISTER_ANSWER`). Bad input (an email that is
    not one, a short password) is refused with its field: that reveals nothing."""
    require(actor, "portal.gate")
    address = clean_address(email)
    check_new_password(password, password_confirm)
    number = (account_number or "").strip()
    if not number and invite is None:
        missing("account_number")
    answer = REGISTER_ANSWER.format(email=address)
    new_hash = hash_password(password)  # the same work whatever follows
    now = utc_now()
    with db.write() as session:
        ip_key, account_key = f"ip:{client.ip}", f"account:{number.casefold()}"
        if throttled(session, [(ip_key, IP_LIMIT), (account_key, ACCOUNT_LIMIT)], now):
            store.add_activity(session, action="register_throttled", now=now, email=address,
                               ip=client.ip)
            raise AuthenticationError(THROTTLED)
        how: str | None
        target: int | None
        invitation = None
        if invite is not None:
            invitation = store.token(session, "invite", digest(invite))
            if (invitation is None or invitation.used_at is not None
                    or aware(invitation.expires_at) <= now or invitation.account_id is None):
                raise AuthenticationError(BAD_LINK)
            target, how = invitation.account_id, "invite"
        else:
            target = store.account_id(session, number)
            how = None if target is None else proof_matches(
                session, target, proof, get_settings(session).currency)
        if target is None or how is None:
            count_failures(session, [ip_key, account_key], now)
            store.add_activity(session, action="register_failed", now=now, email=address,
                               ip=client.ip, detail=f"account {number[:40]}: no match")
            return answer
        login = store.login_by_email(session, fold(address))
        if login is not None and login.verified_at is not None:
            # an existing login: nothing changes without its password (they can sign in
            # and add the account from "Your accounts"); the answer stays the same
            store.add_activity(session, action="register_existing", now=now,
                               login_id=login.id, account_id=target, email=address,
                               ip=client.ip)
            return answer
        if login is None:
            login = store.add_login(session, email=address, folded=fold(address),
                                    password_hash=new_hash, now=now, verified=False)
        else:  # registered before but never confirmed: the newest password counts
            login.password_hash = new_hash
            login.password_changed_at = now
        if invitation is not None and not store.use_token(session, invitation.id, now):
            raise AuthenticationError(BAD_LINK)  # used meanwhile by another request
        store.link_account(session, login.id, target, how, now)
        secret = new_token(session, "verify", now, login_id=login.id, account_id=target)
        send_link(session, Kind.PORTAL_VERIFY, "verify", account_id=target, email=address,
              secret=secret, base_url=base_url, now=now)
        store.add_activity(session, action="registered", now=now, login_id=login.id,
                           account_id=target, email=address, ip=client.ip, detail=how)
    return answer


def verify_email(db: Database, actor: Actor, token: str, *, client: Client = Client()) -> str:
    """Confirm a login's address from the emailed link; its email, or AuthenticationError
    (:data:`BAD_LINK`) for a link unknown, used or expired."""
    require(actor, "portal.gate")
    now = utc_now()
    with db.write() as session:
        found = store.token(session, "verify", digest(token or ""))
        if (found is None or found.used_at is not None or aware(found.expires_at) <= now
                or found.login_id is None):
            raise AuthenticationError(BAD_LINK)
        login = store.login_by_id(session, found.login_id)
        if login is None or not store.use_token(session, found.id, now):
            raise AuthenticationError(BAD_LINK)
        if login.verified_at is None:
            login.verified_at = now
        store.add_activity(session, action="verified", now=now, login_id=login.id,
                           email=login.email, ip=client.ip)
        return login.email


def start_session(session: Session, login_id: int, stage: str, now: datetime,
                   client: Client) -> str:
    secret = secrets.token_urlsafe(32)
    expires = now + (CODE_STEP if stage == "totp" else ABSOLUTE)
    store.add_session(session, session_id=digest(secret), login_id=login_id, stage=stage,
                      now=now, expires_at=expires, ip=client.ip, user_agent=client.user_agent)
    return secret


def login(db: Database, actor: Actor, email: str, password: str, *, base_url: str,
          client: Client = Client()) -> SignedIn:
    """Sign in: a new session (the caller sets its cookie, replacing any other), or
    AuthenticationError with :data:`REFUSED`, :data:`THROTTLED`, :data:`LOCKED` or
    :data:`UNVERIFIED`. Every failure counts toward the throttle and is logged."""
    require(actor, "portal.gate")
    folded = fold(email or "")
    now = utc_now()
    email_key, ip_key = f"email:{folded}", f"ip:{client.ip}"
    with db.write() as session:
        if throttled(session, [(email_key, EMAIL_LIMIT), (ip_key, IP_LIMIT)], now):
            store.add_activity(session, action="login_throttled", now=now, email=folded,
                               ip=client.ip)
            count_failures(session, [ip_key], now)
            refusal = THROTTLED
        else:
            found = store.login_by_email(session, folded)
            right = verify_password(_dummy_hash() if found is None else found.password_hash,
                                    password or "")
            if found is None or not right:
                count_failures(session, [email_key, ip_key], now)
                if found is not None:
                    found.failed_logins += 1
                    found.last_failed_at = now
                store.add_activity(session, action="login_failed", now=now, email=folded,
                                   ip=client.ip, login_id=None if found is None else found.id)
                refusal = REFUSED
            elif found.locked:
                store.add_activity(session, action="login_locked", now=now, email=folded,
                                   ip=client.ip, login_id=found.id)
                refusal = LOCKED
            elif found.verified_at is None:
                target = store.first_account_id(session, found.id)
                resend_key = f"verify:{folded}"
                count_failures(session, [resend_key], now)  # at most EMAIL_LIMIT links per window
                if target is not None and not throttled(
                        session, [(resend_key, EMAIL_LIMIT + 1)], now):
                    secret = new_token(session, "verify", now, login_id=found.id,
                                        account_id=target)
                    send_link(session, Kind.PORTAL_VERIFY, "verify", account_id=target,
                          email=found.email, secret=secret, base_url=base_url, now=now)
                refusal = UNVERIFIED
            else:
                store.clear_failures(session, email_key)
                store.purge_sessions(session, found.id, now - timedelta(days=1))
                found.failed_logins = 0
                stage = "totp" if found.totp_enabled else "full"
                if stage == "full":
                    found.last_login_at = now
                store.add_activity(session, action="login" if stage == "full"
                                   else "login_password_ok", now=now, email=folded,
                                   ip=client.ip, login_id=found.id)
                return SignedIn(start_session(session, found.id, stage, now, client),
                                needs_code=stage == "totp")
    raise AuthenticationError(refusal)


def login_code(db: Database, actor: Actor, pending_secret: str, code: str, *,
               client: Client = Client()) -> SignedIn:
    """The second step: the TOTP code for a session waiting for it; a new full session
    (the pending one is revoked), or AuthenticationError (a wrong code counts as a failed
    sign-in)."""
    import pyotp

    require(actor, "portal.gate")
    now = utc_now()
    pending_id = digest(pending_secret or "")
    with db.write() as session:
        row = store.session_row(session, pending_id)
        if (row is None or row.stage != "totp" or row.revoked
                or aware(row.expires_at) <= now or row.locked):
            raise AuthenticationError("Your sign-in has expired. Please sign in again.")
        login = store.login_by_id(session, row.login_id)
        assert login is not None
        email_key, ip_key = f"email:{login.email_folded}", f"ip:{client.ip}"
        if throttled(session, [(email_key, EMAIL_LIMIT), (ip_key, IP_LIMIT)], now):
            store.revoke_session(session, pending_id, now)
            raise AuthenticationError(THROTTLED)
        if not login.totp_secret or not pyotp.TOTP(login.totp_secret).verify(
                (code or "").replace(" ", ""), valid_window=1):
            count_failures(session, [email_key, ip_key], now)
            store.add_activity(session, action="code_failed", now=now, email=login.email,
                               ip=client.ip, login_id=login.id)
            raise AuthenticationError(BAD_CODE)
        store.revoke_session(session, pending_id, now)
        store.clear_failures(session, email_key)
        login.last_login_at = now
        store.add_activity(session, action="login", now=now, email=login.email,
                           ip=client.ip, login_id=login.id, detail="with code")
        return SignedIn(start_session(session, login.id, "full", now, client), False)


def resolve(db: Database, actor: Actor, secret: str) -> Actor | None:
    """The customer principal of a session cookie's secret, or None (unknown, revoked,
    idle, expired, older than the last password change, still waiting for its code, or
    the login is locked). Marks the session seen (at most once a minute)."""
    require(actor, "portal.gate")
    if not secret:
        return None
    now = utc_now()
    session_id = digest(secret)
    with db.read() as session:
        found = store.session_with_accounts(session, session_id)  # one indexed statement
        if found is None:
            return None
        row, accounts = found
        if (row.revoked or row.stage != "full" or row.locked
                or aware(row.expires_at) <= now
                or now - aware(row.last_seen_at) > IDLE
                or aware(row.created_at) < aware(row.password_changed_at)):
            return None
        stale = now - aware(row.last_seen_at) > TOUCH_EVERY
    if stale:
        with db.write() as session:
            store.touch_session(session, session_id, now)
    return Actor.customer(row.login_id, row.email, accounts)


def logout(db: Database, actor: Actor, secret: str, *, client: Client = Client()) -> None:
    """End this session (a cookie that is no session ends nothing)."""
    require(actor, "portal.gate")
    now = utc_now()
    with db.write() as session:
        row = store.session_row(session, digest(secret or ""))
        if row is None:
            return
        store.revoke_session(session, digest(secret), now)
        store.add_activity(session, action="logout", now=now, login_id=row.login_id,
                           email=row.email, ip=client.ip)


def forgot_password(db: Database, actor: Actor, email: str, *, base_url: str,
                    client: Client = Client()) -> str:
    """Send a reset link if the address has a login; the same answer either way."""
    require(actor, "portal.gate")
    address = clean_address(email)
    now = utc_now()
    with db.write() as session:
        ip_key, mail_key = f"ip:{client.ip}", f"reset:{fold(address)}"
        if throttled(session, [(ip_key, IP_LIMIT)], now):
            raise AuthenticationError(THROTTLED)
        # every request counts against the client; a mailbox gets at most EMAIL_LIMIT
        # links per window (no flooding somebody's inbox), and the answer stays the same
        count_failures(session, [ip_key, mail_key], now)
        if throttled(session, [(mail_key, EMAIL_LIMIT + 1)], now):
            return RESET_ANSWER.format(email=address)
        found = store.login_by_email(session, fold(address))
        target = None if found is None else store.first_account_id(session, found.id)
        if found is not None and target is not None:
            secret = new_token(session, "reset", now, login_id=found.id)
            send_link(session, Kind.PORTAL_RESET, "reset", account_id=target, email=found.email,
                  secret=secret, base_url=base_url, now=now)
            store.add_activity(session, action="reset_requested", now=now, login_id=found.id,
                               email=found.email, ip=client.ip)
    return RESET_ANSWER.format(email=address)


def reset_token_valid(db: Database, actor: Actor, token: str) -> bool:
    """Whether a reset link can still be used (to show the form or say it has expired)."""
    require(actor, "portal.gate")
    now = utc_now()
    with db.read() as session:
        found = store.token(session, "reset", digest(token or ""))
        return found is not None and found.used_at is None and aware(found.expires_at) > now


def reset_password(db: Database, actor: Actor, token: str, password: str,
                   password_confirm: str, *, client: Client = Client()) -> str:
    """Set a new password from a reset link (used once, unexpired); every session of the
    login is revoked and its throttle cleared. The login's email."""
    require(actor, "portal.gate")
    check_new_password(password, password_confirm)
    new_hash = hash_password(password)
    now = utc_now()
    with db.write() as session:
        found = store.token(session, "reset", digest(token or ""))
        if (found is None or found.used_at is not None or aware(found.expires_at) <= now
                or found.login_id is None or not store.use_token(session, found.id, now)):
            raise AuthenticationError(BAD_LINK)
        login = store.login_by_id(session, found.login_id)
        assert login is not None
        login.password_hash = new_hash
        login.password_changed_at = now
        if login.verified_at is None:
            login.verified_at = now  # the link reached the mailbox: that is the proof
        store.revoke_sessions(session, login.id, now)
        store.clear_failures(session, f"email:{login.email_folded}")
        store.add_activity(session, action="password_reset", now=now, login_id=login.id,
                           email=login.email, ip=client.ip)
        return login.email


def invite_account(db: Database, actor: Actor, token: str) -> str | None:
    """The account number an unused, unexpired invitation is for (None otherwise)."""
    require(actor, "portal.gate")
    now = utc_now()
    with db.read() as session:
        found = store.token(session, "invite", digest(token or ""))
        if (found is None or found.used_at is not None or aware(found.expires_at) <= now
                or found.account_id is None):
            return None
        return store.account_number(session, found.account_id)


def health(db: Database, actor: Actor) -> bool:
    """Whether the database answers (for ``/healthz``)."""
    require(actor, "portal.gate")
    with db.read() as session:
        return store.ping(session)


# -- the portal process's own secret --------------------------------------------------------

SECRET_ENTRY = "portal.secret"


def portal_secret() -> tuple[bytes, str]:
    """The key that signs the portal's CSRF tokens, the same on every worker and across
    restarts: ``EBS_PORTAL_SECRET``, else the one kept in the OS keyring (made once), else
    a new one for this run only (forms open across a restart then ask to be sent again).
    Returns (key, where it came from)."""
    import os

    from ebs_desktop.errors import ConfigError
    from ebs_desktop.persistence import secrets as keyring_store

    given = os.environ.get("EBS_PORTAL_SECRET", "")
    if given:
        if len(given) < 32:
            raise ConfigError("EBS_PORTAL_SECRET must have at least 32 characters")
        return given.encode(), "EBS_PORTAL_SECRET"
    kept = keyring_store.lookup_secret(SECRET_ENTRY)
    if kept:
        return kept.encode(), "the OS keyring"
    fresh = secrets.token_urlsafe(48)
    try:
        keyring_store.store_secret(SECRET_ENTRY, fresh)
    except ConfigError:
        return fresh.encode(), "this run only (no EBS_PORTAL_SECRET, no secure keyring)"
    return fresh.encode(), "the OS keyring (new)"
