"""An account's delivery preferences (``account_preferences``) and its customer's contact
status, for the preferences screen and ``ebs account prefs``."""

from __future__ import annotations

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


def preferences_of(session: Session, account_number: str) -> PreferencesRow | None:
    """The account's contact (with its status) and preferences, None without the account."""
    row = session.execute(
        select(Account.id, Customer.id.label("customer_id"), Customer.email,
               Customer.email_status, Customer.email_problem, Customer.phone,
               Customer.phone_status, Customer.phone_problem,
               AccountPreferences.account_id.label("stored"), AccountPreferences.paperless,
               AccountPreferences.language, AccountPreferences.reminders,
               AccountPreferences.channels)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(Account.account_number == account_number)).one_or_none()
    if row is None:
        return None
    return PreferencesRow(
        int(row.id), int(row.customer_id), row.email, row.email_status, row.email_problem,
        row.phone, row.phone_status, row.phone_problem, row.stored is not None,
        bool(row.paperless), row.language,
        True if row.reminders is None else bool(row.reminders), row.channels)


def save_preferences(session: Session, account_id: int, *, paperless: bool,
                     language: str | None, reminders: bool, channels: str | None) -> None:
    """Insert or replace the account's preferences row (flushed with the caller's session)."""
    row = session.get(AccountPreferences, account_id)
    if row is None:
        row = AccountPreferences(account_id=account_id)
        session.add(row)
    row.paperless = paperless
    row.language = language
    row.reminders = reminders
    row.channels = channels
    row.updated_at = utcnow()
    session.flush()
