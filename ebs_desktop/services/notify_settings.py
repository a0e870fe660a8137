"""The settings of bill delivery and notifications, and one list of every documented key.

``ebs settings list|get|set KEY [VALUE]`` and the administration screen's "Delivery
settings" tab work on :data:`KEYS`: the business settings of
:class:`~ebs_desktop.services.settings.UtilitySettings` (``utility_name``,
``bill_due_days``...) and the delivery keys below (``smtp.host``, ``sms.provider``,
``notify.country``...). Each key has a type, a default and a line of help; a value is
checked before it is stored, and a refusal names the key and the value. Values live in
the ``settings`` table (JSON text per key, like the business settings); every change is
audited with its before and after.

Secrets (``smtp.password``, ``sms.token``, ``sms.password``) never touch the database or
a file: ``ebs settings secret KEY`` puts them in the OS keyring, under an entry named
after the key and the database (two databases on one PC keep their own), and the audit
log records only that one was stored. Only the notification sender (``job:notifier``)
reads a secret back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import time
from typing import Any
from urllib.parse import urlsplit

from ebs_desktop.domain.contacts import clean_email, known_country
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence import secrets
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import settings as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services import settings as business
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

Value = str | int | bool


@dataclass(frozen=True)
class SettingKey:
    """A documented setting: its name, default, help line and how a typed value is read."""

    key: str
    default: Value
    help: str
    parse: Callable[[str], Value]
    choices: tuple[str, ...] = ()
    group: str = "notify"  # "utility" (business), "email", "sms", "notify"


@dataclass(frozen=True)
class SettingValue:
    key: str
    value: Value
    default: Value
    is_default: bool
    help: str
    choices: tuple[str, ...]
    group: str

    @property
    def text(self) -> str:
        return value_text(self.value)


@dataclass(frozen=True)
class SecretState:
    key: str
    help: str
    stored: bool


@dataclass(frozen=True)
class NotifySettings:
    """The delivery settings as the sender and the contact checks use them."""

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_user: str = ""
    smtp_from: str = ""
    sms_provider: str = "http"
    sms_url: str = ""
    sms_system_id: str = ""
    sms_sender: str = ""
    sms_quiet_start: str = "21:00"
    sms_quiet_end: str = "08:00"
    sms_segment_price: str = ""
    notify_country: str = "US"
    notify_language: str = "en"
    notify_check_email_domain: bool = True
    notify_dns_server: str = ""

    @property
    def quiet_hours(self) -> tuple[time, time]:
        """(start, end) of the hours no SMS is sent, in the utility's time zone."""
        return _clock(self.sms_quiet_start), _clock(self.sms_quiet_end)


def value_text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- parsers: text as typed -> the value stored, or a ValidationError (the key is added) --
def _text(limit: int = 200) -> Callable[[str], Value]:
    def parse(text: str) -> Value:
        value = text.strip()
        if len(value) > limit:
            raise ValueError(f"is {len(value)} characters long (at most {limit})")
        return value
    return parse


def _whole(lo: int, hi: int) -> Callable[[str], Value]:
    def parse(text: str) -> Value:
        value = text.strip()
        if not re.fullmatch(r"\d+", value):
            raise ValueError("is not a whole number")
        number = int(value)
        if not lo <= number <= hi:
            raise ValueError(f"is outside {lo}..{hi}")
        return number
    return parse


def _one_of(*choices: str) -> Callable[[str], Value]:
    def parse(text: str) -> Value:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError(f"is not one of {', '.join(choices)}")
        return value
    return parse


def _yes_no(text: str) -> Value:
    value = text.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ValueError("is not true or false")


_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")


def _host(text: str) -> Value:
    value = text.strip()
    if value and not _HOST.match(value):
        raise ValueError("is not a host name or address")
    return value


def _url(text: str) -> Value:
    value = text.strip()
    if not value:
        return value
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https", "smpp") or not parts.hostname or (
            port is not None and port <= 0):
        raise ValueError("is not an https:// address of a gateway or smpp://host:port")
    return value


def _address(text: str) -> Value:
    value = text.strip()
    if not value:
        return value
    name, sep, rest = value.rpartition("<")
    address = rest.rstrip(">").strip() if sep else value
    try:
        clean_email(address, field="smtp.from")
    except ValidationError as exc:
        raise ValueError(f"is not an address mail can come from ({exc})") from None
    return value if sep and name.strip() else address


def _clock(text: str) -> time:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if match is None:
        raise ValueError("is not a time of day HH:MM (00:00 to 23:59)")
    return time(int(match[1]), int(match[2]))


def _clock_text(text: str) -> Value:
    return _clock(text).strftime("%H:%M")


def _country(text: str) -> Value:
    value = text.strip().upper()
    if not known_country(value):
        raise ValueError("is not a country code (ISO 3166, two letters: US, GB, FR...)")
    return value


def _dns_server(text: str) -> Value:
    value = text.strip()
    if not value:
        return value
    host, sep, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    try:
        import ipaddress

        ipaddress.ip_address(host if sep else value)
    except ValueError:
        raise ValueError("is not an IP address (with :PORT if not 53)") from None
    if sep and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError("has no port 1..65535 after the colon")
    return value


def _amount(text: str) -> Value:
    value = text.strip()
    if value and not re.fullmatch(r"\d+(\.\d{1,4})?", value):
        raise ValueError("is not an amount such as 0.05")
    return value


def _sender(text: str) -> Value:
    value = text.strip()
    if value.startswith("+") or value.isdigit():
        if not 3 <= len(value.lstrip("+")) <= 15:
            raise ValueError("a numeric sender has 3 to 15 digits")
    elif len(value) > 11 or not re.fullmatch(r"[A-Za-z0-9 .-]*", value):
        raise ValueError("an alphanumeric sender is at most 11 letters, digits, spaces, "
                         "dots or hyphens")
    return value


NOTIFY_KEYS: tuple[SettingKey, ...] = (
    SettingKey("smtp.host", "localhost", "SMTP server that sends the e-mails", _host,
               group="email"),
    SettingKey("smtp.port", 25, "its port (25, 587 for STARTTLS, 465 for TLS)",
               _whole(1, 65535), group="email"),
    SettingKey("smtp.security", "none", "none, starttls or tls (implicit TLS)",
               _one_of("none", "starttls", "tls"), ("none", "starttls", "tls"), "email"),
    SettingKey("smtp.user", "", "user to log in as (empty: no login; the password: "
               "'ebs settings secret smtp.password')", _text(), group="email"),
    SettingKey("smtp.from", "", "the From address of the e-mails "
               "(\"Riverside Electric <bills@example.com>\")", _address, group="email"),
    SettingKey("sms.provider", "http", "http (JSON gateway) or smpp (SMPP 3.4)",
               _one_of("http", "smpp"), ("http", "smpp"), "sms"),
    SettingKey("sms.url", "", "https://... of the HTTP gateway (its token: 'ebs settings "
               "secret sms.token') or smpp://host:port of the SMSC", _url, group="sms"),
    SettingKey("sms.system_id", "", "the SMPP login (its password: 'ebs settings secret "
               "sms.password')", _text(16), group="sms"),
    SettingKey("sms.sender", "", "the sender shown on the phone: a number or up to 11 "
               "letters", _sender, group="sms"),
    SettingKey("sms.quiet_start", "21:00", "no SMS from this time (HH:MM, utility's time "
               "zone)", _clock_text, group="sms"),
    SettingKey("sms.quiet_end", "08:00", "... until this time", _clock_text, group="sms"),
    SettingKey("sms.segment_price", "", "what one SMS segment costs, in the utility's "
               "currency (the estimate before a bulk send; empty: not known)", _amount,
               group="sms"),
    SettingKey("notify.country", "US", "the utility's country: phone numbers typed "
               "without + are read as numbers of this country", _country),
    SettingKey("notify.language", "en", "language of a customer's messages unless the "
               "account chooses another", _one_of("en", "fr"), ("en", "fr")),
    SettingKey("notify.check_email_domain", True, "check that an e-mail address's domain "
               "exists and takes mail (asks DNS; turn off on an offline PC)", _yes_no,
               ("true", "false")),
    SettingKey("notify.dns_server", "", "name server the e-mail domain check asks "
               "(HOST or HOST:PORT; empty: the system's)", _dns_server),
)

#: The secrets, kept in the OS keyring only.
SECRET_KEYS: dict[str, str] = {
    "smtp.password": "password of smtp.user on the SMTP server",
    "sms.token": "bearer token of the HTTP SMS gateway",
    "sms.password": "password of sms.system_id on the SMPP server",
    "sms.callback_token": "token the SMS gateway's delivery receipts must carry",
}


def _business_keys() -> tuple[SettingKey, ...]:
    defaults = business.UtilitySettings()
    keys = []
    for f in fields(business.UtilitySettings):
        default = getattr(defaults, f.name)
        parse: Callable[[str], Value] = (_whole(0, 10_000) if isinstance(default, int)
                                         else _text(400))
        keys.append(SettingKey(f.name, default, _BUSINESS_HELP.get(f.name, ""), parse,
                               group="utility"))
    return tuple(keys)


_BUSINESS_HELP = {
    "utility_name": "the utility's name on bills, receipts and messages",
    "address": "the utility's address", "phone": "the utility's phone",
    "tax_id": "the utility's tax number", "currency": "ISO 4217 code (USD, EUR...)",
    "locale": "numbers and dates as in this locale (en_US, fr_FR...)",
    "timezone": "the utility's time zone (IANA name)",
    "bill_due_days": "days from the bill date to the due date",
    "cash_step": "smallest cash amount taken at the counter",
    "receipt_footer": "the last line of a receipt",
    "shift_difference_threshold": "a shift's cash difference above this needs approval",
    "bounced_cheque_fee": "fee charged for a bounced cheque",
    "high_consumption_factor": "a reading above this times the average is flagged",
    "low_consumption_factor": "a reading below this times the average is flagged",
    "late_payment_percent": "surcharge after the due date, percent",
    "payment_supervisor_limit": "a payment above this needs a supervisor",
}

def _moratorium(text: str) -> Value:
    from ebs_desktop.domain.dunning import parse_moratorium
    found = parse_moratorium(text)
    return "" if found is None else str(found)


def _dunning_keys() -> tuple[SettingKey, ...]:
    """The collection rules (issue 20, point 9), documented in ebs_desktop.domain.dunning."""
    from ebs_desktop.domain.dunning import SETTING_KEYS
    parsers: dict[str, Callable[[str], Value]] = {
        "days": _whole(0, 366), "money": _amount, "dates": _moratorium}
    return tuple(SettingKey(key, int(default) if kind == "days" else default, meaning,
                            parsers[kind], group="dunning")
                 for key, (kind, default, meaning) in SETTING_KEYS.items())


DUNNING_KEYS = _dunning_keys()
KEYS: dict[str, SettingKey] = {k.key: k for k in (*_business_keys(), *NOTIFY_KEYS,
                                                  *DUNNING_KEYS)}
_NOTIFY = {k.key for k in (*NOTIFY_KEYS, *DUNNING_KEYS)}  # stored here, not as business
_DELIVERY = {k.key for k in NOTIFY_KEYS}


def _unknown(key: str) -> ValidationError:
    return ValidationError(f"unknown setting {key!r} (see 'ebs settings list')",
                           location="setting")


def _stored(session: Session) -> dict[str, Value]:
    found: dict[str, Value] = {}
    for key, raw in store.stored_values(session).items():
        if key in _NOTIFY:
            found[key] = json.loads(raw)
    return found


def notify_settings(session: Session) -> NotifySettings:
    """The delivery settings as stored, defaults where a key was never set."""
    values: dict[str, Any] = {k.key: k.default for k in NOTIFY_KEYS} | {
        k: v for k, v in _stored(session).items() if k in _DELIVERY}
    return NotifySettings(**{key.replace(".", "_"): value for key, value in values.items()})


def _all_values(session: Session) -> dict[str, Value]:
    current = business.get_settings(session)
    values: dict[str, Value] = {f.name: getattr(current, f.name)
                                for f in fields(business.UtilitySettings)}
    values.update({k.key: k.default for k in (*NOTIFY_KEYS, *DUNNING_KEYS)})
    values.update(_stored(session))
    return values


def list_settings(db: Database, actor: Actor) -> list[SettingValue]:
    """Every documented key with its value (default where never set), help and choices."""
    require(actor, "settings.view")
    with db.read() as session:
        values = _all_values(session)
    return [SettingValue(k.key, values[k.key], k.default, values[k.key] == k.default, k.help,
                         k.choices, k.group) for k in KEYS.values()]


def get_setting(db: Database, actor: Actor, key: str) -> SettingValue:
    require(actor, "settings.view")
    if key in SECRET_KEYS:
        raise ValidationError(f"{key} is a secret: it is kept in the OS keyring and never "
                              "shown (set it with 'ebs settings secret')", location="setting")
    found = {s.key: s for s in list_settings(db, actor)}.get(key)
    if found is None:
        raise _unknown(key)
    return found


def parse_setting(key: str, text: str) -> Value:
    """The value ``text`` stands for under ``key``, or a ValidationError naming both (a
    form checks with it before anything is sent; the service again)."""
    spec = KEYS.get(key)
    if spec is None:
        raise _unknown(key) if key not in SECRET_KEYS else ValidationError(
            f"{key} is a secret: use 'ebs settings secret {key}'", location="setting")
    try:
        return spec.parse(text)
    except ValueError as exc:
        raise ValidationError(f"{text.strip()!r} {exc}", location=f"setting {key}") from None


def set_setting(db: Database, actor: Actor, key: str, text: str) -> SettingValue:
    """Check and store one setting (typed as text); audited with before and after.
    Returns the setting as stored (unchanged when it already had that value)."""
    changed = set_settings(db, actor, {key: text})
    return changed[0] if changed else get_setting(db, actor, key)


def put_settings(session: Session, changes: dict[str, str]
                 ) -> tuple[dict[str, Value], dict[str, Value]]:
    """Check and store settings typed as text in the caller's transaction (every value is
    checked before any is stored); returns (before, after) of what changed, for the audit."""
    parsed = {key: parse_setting(key, text) for key, text in changes.items()}
    current = _all_values(session)
    changed = {k: v for k, v in parsed.items() if current[k] != v}
    utility = {k: v for k, v in changed.items() if k not in _NOTIFY}
    for key, value in utility.items():  # checked and stored by the business settings
        try:
            business.set_settings(session, **{key: value})
        except ValueError as exc:
            raise ValidationError(f"{value!r}: {exc}", location=f"setting {key}") from None
    for key, value in changed.items():
        if key in _NOTIFY:
            store.store_value(session, key, json.dumps(value))
    session.flush()
    return {k: current[k] for k in changed}, changed


def set_settings(db: Database, actor: Actor, changes: dict[str, str]) -> list[SettingValue]:
    """Check every change first (nothing is stored if one is refused), then store them in
    one transaction with one audit entry; returns the keys that changed, as stored."""
    require(actor, "settings.edit")
    with db.write() as session:
        before, after = put_settings(session, changes)
        if after:
            audit.record(session, actor, "settings.edit", "settings", "", before=before,
                         after=after)
        values = _all_values(session)
    return [SettingValue(k, values[k], KEYS[k].default, values[k] == KEYS[k].default,
                         KEYS[k].help, KEYS[k].choices, KEYS[k].group) for k in after]


def current_notify_settings(db: Database, actor: Actor) -> NotifySettings:
    """The delivery settings snapshot (any staff role; the sender job too)."""
    if actor.kind == "job":
        require(actor, "notification.send")
    else:
        require(actor, "settings.view")
    with db.read() as session:
        return notify_settings(session)


# -- secrets -------------------------------------------------------------------------------
def _entry(db: Database, key: str) -> str:
    return f"{key}@{db.display_name}"


def _secret_key(key: str) -> str:
    if key not in SECRET_KEYS:
        raise ValidationError(f"{key!r} is not a secret (the secrets: "
                              f"{', '.join(SECRET_KEYS)})", location="setting")
    return key


def set_secret(db: Database, actor: Actor, key: str, value: str) -> SecretState:
    """Put a secret in the OS keyring (refused where no secure keyring exists); the audit
    log records that it was stored, never the value."""
    require(actor, "settings.edit")
    _secret_key(key)
    if not value:
        raise ValidationError("the secret is empty", location=f"setting {key}")
    secrets.store_secret(_entry(db, key), value)
    with db.write() as session:
        audit.record(session, actor, "settings.secret", "settings", key,
                     after={"secret": key, "stored_in": "OS keyring"})
    return SecretState(key, SECRET_KEYS[key], True)


def secret_states(db: Database, actor: Actor) -> list[SecretState]:
    """Which secrets are stored (never their values)."""
    require(actor, "settings.edit")
    return [SecretState(k, h, secrets.lookup_secret(_entry(db, k)) is not None)
            for k, h in SECRET_KEYS.items()]


def secret_value(db: Database, actor: Actor, key: str) -> str | None:
    """A secret for the notification sender (``job:notifier`` only)."""
    require(actor, "notification.send")
    return secrets.lookup_secret(_entry(db, _secret_key(key)))
