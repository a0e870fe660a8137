"""Helpers of the portal page tests (slice ``pages``): an app on a demo database whose
resolver says a given customer is signed in, and the form's CSRF token.

The real sign-in (sessions table, cookies) is the auth slice's and is tested there and in
the browser; these tests exercise the pages and the facade behind them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Payment
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.actor import Actor

SECRET = b"pages-test-secret-0123456789abcdef"
SESSION_KEY = "pages-test-session"
PROXY = "testclient"  # what Starlette's TestClient gives as the peer's address


def client(db: Database, accounts: Iterable[str], *, login_id: int = 7,
           email: str = "ann@example.org", behind_proxy: bool = False) -> TestClient:
    """A TestClient signed in as a customer who has proven ``accounts``."""
    who = Actor.customer(login_id, email, tuple(accounts))

    async def resolver(request: Request) -> tuple[Actor | None, str]:
        return who, SESSION_KEY

    config = PortalConfig(secret_key=SECRET, secure_cookies=False,
                          trusted_proxies=(PROXY,) if behind_proxy else ("127.0.0.1",))
    return TestClient(create_app(db, config, resolver=resolver), follow_redirects=False,
                      raise_server_exceptions=True)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found[1]


def paid_accounts(db: Database) -> list[str]:
    """Account numbers that have payments (and so bills), in order."""
    with db.read() as s:
        return list(dict.fromkeys(s.scalars(
            select(Account.account_number).join(Payment, Payment.account_id == Account.id)
            .order_by(Account.account_number))))
