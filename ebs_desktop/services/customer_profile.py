"""A portal customer's own contact details and notification preferences (issue 21, point 8).

What the customer may change of an account they have proven: the e-mail address and the
phone (not the name or the address: those are the utility's records, changed at the
counter or by a "move" request), paperless bills, the language of messages (which is also
the portal's language), the channels of each kind of notification and their own quiet
hours for SMS. The checks are exactly the counter's: the contact goes through
:func:`~ebs_desktop.services.account_edit.clean_contact` with the utility's rules (E.164
in its country, the e-mail domain when it checks domains), the preferences through
:func:`~ebs_desktop.services.account_prefs.check_change`; both are read before the write,
so a refusal names its field and writes nothing.

Contact and preferences change in one transaction, each audited as at the counter
(``customer.edit``, ``customer.preferences``) with who (the principal: ``customer:<the
login's e-mail>``), when (the entry's time) and from where (``from``: "portal, <the
client's IP as the portal sees it>"), so the clerk reads on the account page "Customer
details changed ... phone: +1... -> +1... from: portal, 203.0.113.7".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from ebs_desktop.domain.notifications import (
    CHOOSABLE_KINDS,
    DEFAULT_CHANNELS,
    LEGALLY_REQUIRED,
    Kind,
)
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services import account_edit, account_prefs
from ebs_desktop.services.account_prefs import PreferencesChange
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.customer_self import PORTAL_LANGUAGES, _proven, locale_in
from ebs_desktop.services.notify_settings import notify_settings

PHONE_MAX = 40


@dataclass(frozen=True)
class KindChoice:
    """One kind of notification as the profile form shows it."""

    kind: str
    channels: tuple[str, ...]  # the customer's choice, else the default
    chosen: bool  # the customer chose (False: the utility's default)
    required: bool  # a notice the law requires: a channel, never none


@dataclass(frozen=True)
class CustomerProfile:
    account_number: str
    email: str
    email_status: str  # "ok", "none" or "unreachable: <reason>"
    phone: str
    phone_status: str
    paperless: bool
    language: str | None  # None: the utility's
    kinds: tuple[KindChoice, ...]
    quiet_hours: tuple[str, str] | None  # the customer's own SMS quiet window
    utility_quiet_hours: tuple[str, str]  # the utility's (always applies)


@dataclass(frozen=True)
class ProfileChange:
    """What the profile form sends. ``channels``: kind -> channels wanted (kinds left out
    stay as they are); ``quiet_hours`` ("", "") for none."""

    email: str
    phone: str
    paperless: bool
    channels: dict[str, list[str]] = field(default_factory=dict)
    quiet_hours: tuple[str, str] = ("", "")
    language: str | None = None  # None: leave it; "": the utility's


def _mine(actor: Actor, permission: str, account_number: str) -> str:
    number = account_number.strip()
    if number not in _proven(actor, permission):
        raise NotFound(f"no account {account_number!r}")
    return number


def _profile(view: account_prefs.AccountPreferencesView,
             utility_quiet: tuple[str, str]) -> CustomerProfile:
    kinds = []
    for kind in CHOOSABLE_KINDS:  # the portal's own emails are not a customer's choice
        chosen = view.chosen.get(kind.value)
        channels = chosen if chosen is not None else tuple(c.value for c in DEFAULT_CHANNELS[kind])
        kinds.append(KindChoice(kind.value, tuple(channels), chosen is not None,
                                kind in LEGALLY_REQUIRED))
    return CustomerProfile(view.account_number, view.email.address or "", view.email.text,
                           view.phone.address or "", view.phone.text, view.paperless,
                           view.language, tuple(kinds), view.quiet_hours, utility_quiet)


def my_profile(db: Database, actor: Actor, account_number: str) -> CustomerProfile:
    """The account's contact and preferences as the profile page shows them."""
    number = _mine(actor, "self.view", account_number)
    with db.read() as s:
        row = account_prefs._row(s, number)
        found = notify_settings(s)
    return _profile(account_prefs._view(number, row), _utility_quiet(found.quiet_hours))


def _utility_quiet(hours: tuple[time, time]) -> tuple[str, str]:
    start, end = hours
    return start.strftime("%H:%M"), end.strftime("%H:%M")


def update_profile(db: Database, actor: Actor, account_number: str, change: ProfileChange,
                   *, client_ip: str = "") -> CustomerProfile:
    """Change the account's contact and preferences in one transaction, audited with the
    client's address; a ValidationError names the field and nothing is written."""
    number = _mine(actor, "self.edit", account_number)
    if len(change.phone) > PHONE_MAX:
        raise ValidationError(f"the phone number is {len(change.phone)} characters long "
                              f"(at most {PHONE_MAX})", location="phone")
    with db.read() as s:
        current = account_edit.current_contact(s, number)
        row = account_prefs._row(s, number)
    # the counter's checks, before the write (the e-mail domain may be asked of DNS)
    contact = account_edit.clean_contact(
        account_edit.ContactDetails(current.name, change.phone, change.email, current.address),
        account_edit.contact_rules(db))
    if change.paperless and not (contact.email or contact.phone):
        raise ValidationError("paperless bills need an e-mail address or a phone to send "
                              "the bill to", location="email")
    chosen = {k: tuple(v) for k, v in account_prefs._chosen(row).items()}
    wanted: dict[str, list[str] | None] = {}
    for kind_text, channels in change.channels.items():
        try:
            kind = Kind(kind_text)
        except ValueError:
            raise ValidationError(f"unknown kind of notification {kind_text!r}",
                                  location=f"channel_{kind_text}") from None
        now = chosen.get(kind.value, tuple(c.value for c in DEFAULT_CHANNELS[kind]))
        if tuple(channels) != now:  # only what the customer changed becomes their choice
            wanted[kind.value] = list(channels)
    language = change.language
    if language is not None and language.strip() not in ("", *PORTAL_LANGUAGES):
        raise ValidationError(f"{language!r} is not a language of the portal (one of "
                              f"{', '.join(PORTAL_LANGUAGES)})", location="language")
    if language is not None and language.strip() == (row.language or "")[:2]:
        language = None  # "fr" shown for the counter's "fr_CA": left as it is
    try:
        prefs = account_prefs.check_change(PreferencesChange(
            paperless=change.paperless, language=language, channels=wanted,
            quiet_hours=change.quiet_hours))
    except ValidationError as exc:
        if exc.location == "channels":  # name the form's field
            kind_named = next(iter(k for k in wanted if k in str(exc)), "")
            raise ValidationError(str(exc).removeprefix("channels: "),
                                  location=f"channel_{kind_named}") from None
        raise
    source = f"portal, {client_ip}" if client_ip else "portal"
    with db.write() as s:
        account_edit.apply_contact(s, actor, number, contact, source=source)
        account_prefs.apply_preferences(s, actor, number, prefs, source=source)
        view = account_prefs._view(number, account_prefs._row(s, number))
        found = notify_settings(s)
    return _profile(view, _utility_quiet(found.quiet_hours))


def portal_locale(db: Database, actor: Actor) -> str:
    """The locale the portal speaks and formats in for this customer (Babel's name): the
    first language chosen on one of their accounts, else the utility's locale. The
    utility's own locale (``fr_CA``) is kept when its language is the one chosen; another
    language is taken alone (``en``). A page that reads anything else gets it with its
    own read (:func:`ebs_desktop.services.customer_self.dashboard`, ...)."""
    numbers = _proven(actor, "self.view")
    with db.read() as s:
        return locale_in(s, numbers)
