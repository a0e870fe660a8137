"""An account's delivery preferences (``account_preferences``) and its customer's contact
status, for the preferences screen and ``ebs account prefs``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ebs_desktop.persistence.models import Account, AccountPreferences, Customer
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


@dataclass(frozen=True)
class PreferencesRow:
    account_id: int
    customer_id: int
    email: str | None
    email_status: str
    email_problem: str | None
    phone: str | None
    phone_status: str
    phone_problem: str | None
    stored: bool  # False: no row, the defaults
    paperless: bool
    language: str | None
    reminders: bool
    channels: str | None  # JSON {"kind": ["email", ...]}
    quiet_from: str | None = None  # the customer's own SMS quiet window, HH:MM
    quiet_to: str | None = None


def preferences_of(session: Session, account_number: str) -> PreferencesRow | None:
    """The account's contact (with its status) and preferences, None without the account."""
    row = session.execute(
        select(Account.id, Customer.id.label("customer_id"), Customer.email,
               Customer.email_status, Customer.email_problem, Customer.phone,
               Customer.phone_status, Customer.phone_problem,
               AccountPreferences.account_id.label("stored"), AccountPreferences.paperless,
               AccountPreferences.language, AccountPreferences.reminders,
               AccountPreferences.channels, AccountPreferences.quiet_from,
               AccountPreferences.quiet_to)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(Account.account_number == account_number)).one_or_none()
    if row is None:
        return None
    return PreferencesRow(
        int(row.id), int(row.customer_id), row.email, row.email_status, row.email_problem,
        row.phone, row.phone_status, row.phone_problem, row.stored is not None,
        bool(row.paperless), row.language,
        True if row.reminders is None else bool(row.reminders), row.channels,
        row.quiet_from, row.quiet_to)


def save_preferences(session: Session, account_id: int, *, paperless: bool,
                     language: str | None, reminders: bool, channels: str | None,
                     quiet: tuple[str, str] | None = None) -> None:
    """Insert or replace the account's preferences row (flushed with the caller's session)."""
    row = session.get(AccountPreferences, account_id)
    if row is None:
        row = AccountPreferences(account_id=account_id)
        session.add(row)
    row.paperless = paperless
    row.language = language
    row.reminders = reminders
    row.channels = channels
    row.quiet_from, row.quiet_to = quiet if quiet else (None, None)
    row.updated_at = utcnow()
    session.flush()


def quiet_windows(session: Session, account_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The customers' own SMS quiet windows (HH:MM, HH:MM) of those accounts that have one
    (the sender holds their SMS back inside it)."""
    if not account_ids:
        return {}
    rows = session.execute(
        select(AccountPreferences.account_id, AccountPreferences.quiet_from,
               AccountPreferences.quiet_to)
        .where(AccountPreferences.account_id.in_(sorted(set(account_ids))),
               AccountPreferences.quiet_from.is_not(None),
               AccountPreferences.quiet_to.is_not(None)))
    return {int(a): (str(f), str(t)) for a, f, t in rows}


def first_language(session: Session, account_numbers: Sequence[str]) -> str | None:
    """The language chosen on the first (by number) of these accounts that has one."""
    if not account_numbers:
        return None
    found: str | None = session.scalar(
        select(AccountPreferences.language)
        .join(Account, Account.id == AccountPreferences.account_id)
        .where(Account.account_number.in_(sorted(account_numbers)),
               AccountPreferences.language.is_not(None), AccountPreferences.language != "")
        .order_by(Account.account_number).limit(1))
    return found
