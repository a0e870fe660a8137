"""How an account's customer wants to hear from the utility (issue 20, point 8).

Paperless or paper bills, the language of messages, reminders or not, and the channels
of each kind of notification (``{"bill_issued": ["sms"], "reminder": []}``); a kind not
chosen goes by the defaults of :data:`ebs_desktop.domain.notifications.DEFAULT_CHANNELS`.
A notice the law requires (final notice, disconnection, reconnection) can go by another
channel, never by none. Paperless needs an e-mail address or a phone to send the bill
to. The contact's status (a bounce or an invalid number marks it unreachable, with the
provider's words) is shown with the preferences; correcting the address or the number
(:func:`ebs_desktop.services.account_edit.edit_contact`) makes it reachable again.
Every change is audited with its before and after.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from ebs_desktop.domain import audit_words
from ebs_desktop.domain.account_number import no_account_message
from ebs_desktop.domain.notifications import (
    LEGALLY_REQUIRED,
    Channel,
    Contact,
    Kind,
    choose_channels,
)
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import audit as audit_store
from ebs_desktop.persistence.stores import preferences as store
from ebs_desktop.persistence.stores.preferences import PreferencesRow
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

_LANGUAGE = re.compile(r"^(en|fr)(_[A-Z]{2})?$")
_CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class ContactStatus:
    address: str | None
    reachable: bool
    problem: str | None

    @property
    def text(self) -> str:
        """``ok``, ``none`` or ``unreachable: <reason>`` (what the account page shows)."""
        if not self.address:
            return "none"
        if self.reachable:
            return "ok"
        return f"unreachable: {self.problem or 'no reason given'}"


@dataclass(frozen=True)
class AccountPreferencesView:
    account_number: str
    email: ContactStatus
    phone: ContactStatus
    paperless: bool
    language: str | None  # None: the utility's (notify.language)
    reminders: bool
    chosen: dict[str, tuple[str, ...]]  # the customer's own choice per kind
    routes: dict[str, tuple[tuple[str, str], ...]]  # kind -> ((channel, address), ...) now
    stored: bool = False
    quiet_hours: tuple[str, str] | None = None  # the customer's own SMS quiet window

    def to_json(self) -> dict[str, object]:
        return {"account_number": self.account_number,
                "email": self.email.address, "email_status": self.email.text,
                "phone": self.phone.address, "phone_status": self.phone.text,
                "paperless": self.paperless, "language": self.language,
                "reminders": self.reminders,
                "channels": {k: list(v) for k, v in self.chosen.items()},
                "quiet_hours": "-".join(self.quiet_hours) if self.quiet_hours else None,
                "delivery": {k: [f"{c}:{a}" for c, a in v] for k, v in self.routes.items()}}


@dataclass(frozen=True)
class PreferencesChange:
    """What to change; None leaves a value as it is. ``channels``: kind -> channels (an
    empty list opts out of that kind; ``None`` as the list: back to the defaults)."""

    paperless: bool | None = None
    language: str | None = None  # "" : back to the utility's language
    reminders: bool | None = None
    channels: dict[str, list[str] | None] = field(default_factory=dict)
    quiet_hours: tuple[str, str] | None = None  # (from, to) HH:MM; ("", ""): none


def _contact(row: PreferencesRow) -> Contact:
    return Contact(email=row.email, email_ok=row.email_status == "ok", phone=row.phone,
                   phone_ok=row.phone_status == "ok")


def _chosen(row: PreferencesRow) -> dict[str, list[str]]:
    return json.loads(row.channels) if row.channels else {}


def _view(account_number: str, row: PreferencesRow) -> AccountPreferencesView:
    contact = _contact(row)
    chosen = _chosen(row)
    routes = {kind.value: tuple((c.value, a) for c, a in choose_channels(
        kind, contact, chosen or None, row.reminders)) for kind in Kind}
    return AccountPreferencesView(
        account_number,
        ContactStatus(row.email, row.email_status == "ok", row.email_problem),
        ContactStatus(row.phone, row.phone_status == "ok", row.phone_problem),
        row.paperless, row.language, row.reminders,
        {k: tuple(v) for k, v in chosen.items()}, routes, row.stored,
        (row.quiet_from, row.quiet_to) if row.quiet_from and row.quiet_to else None)


def _row(session: Session, account_number: str) -> PreferencesRow:
    row = store.preferences_of(session, account_number)
    if row is None:
        raise NotFound(no_account_message(account_number))
    return row


def account_preferences(db: Database, actor: Actor, account_number: str
                        ) -> AccountPreferencesView:
    """The preferences, the contact's status and where each kind of message goes now."""
    require(actor, "account.view")
    with db.read() as session:
        return _view(account_number, _row(session, account_number))


def check_channels(channels: dict[str, list[str] | None]) -> dict[str, list[str] | None]:
    """The channel choices cleaned (known kinds and channels, no duplicates), or a
    ValidationError naming the kind: a notice the law requires cannot go by none."""
    cleaned: dict[str, list[str] | None] = {}
    for kind_text, wanted in channels.items():
        try:
            kind = Kind(kind_text)
        except ValueError:
            raise ValidationError(f"unknown kind of notification {kind_text!r} (one of "
                                  f"{', '.join(k.value for k in Kind)})",
                                  location="channels") from None
        if wanted is None:
            cleaned[kind.value] = None
            continue
        chosen: list[str] = []
        for text in wanted:
            try:
                channel = Channel(text.strip().lower())
            except ValueError:
                raise ValidationError(f"unknown channel {text!r} for {kind.value} (email or "
                                      "sms)", location="channels") from None
            if channel.value not in chosen:
                chosen.append(channel.value)
        if not chosen and kind in LEGALLY_REQUIRED:
            raise ValidationError(f"{kind.value} is a notice the law requires: choose email, "
                                  "sms or both (it cannot be turned off)",
                                  location="channels")
        cleaned[kind.value] = chosen
    return cleaned


def check_quiet_hours(quiet: tuple[str, str]) -> tuple[str, str] | None:
    """A quiet window as stored (``("21:30", "07:00")``), None for none (both empty), or a
    ValidationError naming the field: HH:MM, both or neither, not the same time twice."""
    cleaned: list[str] = []
    for text, where in zip(quiet, ("quiet_from", "quiet_to"), strict=True):
        value = text.strip()
        if value and not _CLOCK.fullmatch(value):
            raise ValidationError(f"{value!r} is not a time of day HH:MM (00:00 to 23:59)",
                                  location=where)
        cleaned.append(f"{int(value[:-3]):02d}:{value[-2:]}" if value else "")
    start, end = cleaned
    if not start and not end:
        return None
    if not start or not end:
        raise ValidationError("give both the start and the end of the quiet hours, or "
                              "neither", location="quiet_from" if not start else "quiet_to")
    if start == end:
        raise ValidationError(f"the quiet hours start and end at {start}: give two "
                              "different times", location="quiet_to")
    return start, end


def check_change(change: PreferencesChange) -> PreferencesChange:
    """The change cleaned, or a ValidationError naming the field (read before any write,
    at the counter and in the portal alike)."""
    channels = check_channels(change.channels)
    language = change.language
    if language is not None:
        language = language.strip()
        if language and not _LANGUAGE.match(language):
            raise ValidationError(f"{language!r} is not a language of the messages (one of "
                                  f"{', '.join(LANGUAGES)})", location="language")
    quiet = change.quiet_hours
    if quiet is not None:
        quiet = check_quiet_hours(quiet) or ("", "")
    return PreferencesChange(change.paperless, language, change.reminders, channels, quiet)


def apply_preferences(session: Session, actor: Actor, account_number: str,
                      change: PreferencesChange, *, source: str | None = None) -> bool:
    """Write a change already through :func:`check_change` in the caller's transaction;
    audited (before and after of what changed, and ``source``, where it came from, when
    given). Returns whether anything changed."""
    row = _row(session, account_number)
    before = {"paperless": row.paperless, "language": row.language,
              "reminders": row.reminders, "channels": _chosen(row),
              "quiet_hours": _quiet_text(row)}
    chosen = dict(_chosen(row))
    for kind, wanted in change.channels.items():
        if wanted is None:
            chosen.pop(kind, None)
        else:
            chosen[kind] = wanted
    language = change.language
    quiet = change.quiet_hours
    after = {"paperless": before["paperless"] if change.paperless is None
             else change.paperless,
             "language": before["language"] if language is None else (language or None),
             "reminders": before["reminders"] if change.reminders is None
             else change.reminders,
             "channels": chosen,
             "quiet_hours": before["quiet_hours"] if quiet is None
             else ("-".join(quiet) if quiet[0] else None)}
    if after["paperless"] and not before["paperless"] and not (row.email or row.phone):
        raise ValidationError("a paperless account needs an e-mail address or a phone "
                              "to send the bill to: add one first", location="paperless")
    if after == before:
        return False
    window = after["quiet_hours"]
    pair = (window[:5], window[6:]) if isinstance(window, str) else None
    store.save_preferences(session, row.account_id, paperless=bool(after["paperless"]),
                           language=after["language"],  # type: ignore[arg-type]
                           reminders=bool(after["reminders"]),
                           channels=json.dumps(chosen, sort_keys=True) if chosen else None,
                           quiet=pair)
    changed = [k for k in after if after[k] != before[k]]
    facts: dict[str, object] = {"account": account_number, **{k: after[k] for k in changed}}
    if source:
        facts["from"] = source
    audit.record(session, actor, "customer.preferences", "account", row.account_id,
                 before={k: before[k] for k in changed}, after=facts)
    return True


def _quiet_text(row: PreferencesRow) -> str | None:
    return f"{row.quiet_from}-{row.quiet_to}" if row.quiet_from and row.quiet_to else None


def set_preferences(db: Database, actor: Actor, account_number: str,
                    change: PreferencesChange) -> AccountPreferencesView:
    """Change the account's preferences; audited (before and after of what changed)."""
    require(actor, "account.edit")
    cleaned = check_change(change)
    with db.write() as session:
        apply_preferences(session, actor, account_number, cleaned)
        return _view(account_number, _row(session, account_number))


# -- what changed, for the clerk ------------------------------------------------------------

CONTACT_ACTIONS = ("account.create", "customer.edit", "customer.preferences")
PORTAL_PREFIX = "customer:"


@dataclass(frozen=True)
class ContactChange:
    """One change of the account's contact or preferences as the account page lists it."""

    at: datetime
    who: str  # a staff user's name, or "x@example.net (portal)"
    what: str  # the action in words
    change: str  # one field per line, "phone: +1... -> +1..."; "from: portal, <IP>"
    portal: bool  # made by the customer in the portal


def contact_changes(db: Database, actor: Actor, account_number: str,
                    limit: int = 50) -> list[ContactChange]:
    """The account's contact and preference changes, newest first (the audit entries that
    name it: by the counter, by the portal customer, with where from)."""
    require(actor, "account.view")
    with db.read() as session:
        _row(session, account_number)
        rows = audit_store.find_matching(
            session, 0, limit, user_id=None, actions=CONTACT_ACTIONS,
            account_id=None, account_number=account_number, first=None, last=None)
    out = []
    for r in rows:
        line = audit.audit_line(int(r[0]), r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9])
        portal = str(r[3]).startswith(PORTAL_PREFIX)
        who = f"{str(r[3]).removeprefix(PORTAL_PREFIX)} (portal)" if portal else line.who
        out.append(ContactChange(line.at, who, audit_words.action_words(line.action),
                                 line.change, portal))
    return out
