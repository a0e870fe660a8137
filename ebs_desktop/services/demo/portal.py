"""The demo's ready portal login (issue 21): ``customer@example.net`` / ``portal-demo``,
confirmed, for an account with bills and payments (``ebs demo`` prints it)."""

from __future__ import annotations

from datetime import UTC, datetime

from ebs_desktop.persistence.stores import demo as store
from ebs_desktop.persistence.stores import portal_auth as portal_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.passwords import hash_password

DEMO_PORTAL_EMAIL = "customer@example.net"
DEMO_PORTAL_PASSWORD = "portal-demo"


def add_portal_login(session: Session) -> str | None:
    """Create the demo login in the demo's open transaction; the account number it holds
    (None when the demo has no account with bills and payments)."""
    account_id = store.portal_demo_account(session)
    if account_id is None:
        return None
    now = datetime.now(UTC)
    login = portal_store.add_login(session, email=DEMO_PORTAL_EMAIL, folded=DEMO_PORTAL_EMAIL,
                                   password_hash=hash_password(DEMO_PORTAL_PASSWORD),
                                   now=now, verified=True)
    portal_store.link_account(session, login.id, account_id, "staff", now)
    return portal_store.account_number(session, account_id)
