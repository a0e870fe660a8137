"""The notification outbox: writing messages in the business action's own transaction.

:func:`enqueue` is called by services inside the transaction of the action it tells of
(a payment posted, a notice issued), so the message exists exactly when the action does.
The customer's contact and preferences decide the channels
(:func:`ebs_desktop.domain.notifications.choose_channels`); each message's dedupe key is
the caller's key plus the channel, and a key already in the outbox is left as it is
(enqueuing twice, e.g. a retried action, adds nothing).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ebs_desktop.domain.notifications import Contact, Kind, choose_channels
from ebs_desktop.persistence.models import Account, AccountPreferences, Customer, OutboxMessage
from ebs_desktop.persistence.models.base import utcnow
from ebs_desktop.persistence.tx import Session


def contact_and_preferences(session: Session, account_id: int
                            ) -> tuple[Contact, dict[str, list[str]] | None, bool, str | None]:
    """The account's contact, its chosen channels per kind (None: defaults), whether it
    takes reminders, and its language (None: the utility's)."""
    row = session.execute(
        select(Customer.email, Customer.email_status, Customer.phone, Customer.phone_status,
               AccountPreferences.channels, AccountPreferences.reminders,
               AccountPreferences.language)
        .select_from(Account)
        .join(Customer, Customer.id == Account.customer_id)
        .outerjoin(AccountPreferences, AccountPreferences.account_id == Account.id)
        .where(Account.id == account_id)).one()
    contact = Contact(email=row.email, email_ok=row.email_status == "ok",
                      phone=row.phone, phone_ok=row.phone_status == "ok")
    chosen = json.loads(row.channels) if row.channels else None
    reminders = True if row.reminders is None else bool(row.reminders)
    return contact, chosen, reminders, row.language


def enqueue(session: Session, *, kind: Kind, account_id: int, dedupe_key: str,
            context: Mapping[str, Any], language: str, bill_id: int | None = None) -> int:
    """Write the messages of one notification; returns how many rows were added (0 when
    the customer takes none of it, or when the key was enqueued before)."""
    contact, chosen, reminders, own_language = contact_and_preferences(session, account_id)
    targets = choose_channels(kind, contact, chosen, reminders)
    if not targets:
        return 0
    now = utcnow()
    body = json.dumps(dict(context), sort_keys=True, default=str)
    rows = [{"kind": kind.value, "channel": channel.value, "account_id": account_id,
             "recipient": address, "language": own_language or language, "context": body,
             "bill_id": bill_id, "dedupe_key": f"{dedupe_key}:{channel.value}",
             "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for channel, address in targets]
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(OutboxMessage).values(rows).on_conflict_do_nothing(
        index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return len(session.execute(statement).all())
