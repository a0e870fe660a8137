"""The portal in a real browser: Debian's chromium driven by Playwright against a real
uvicorn server process on a real migrated database (SQLite, and PostgreSQL as the ``pg``
variant), with a real SMTP server (aiosmtpd) the notification sender delivers to.

One *site* per backend for the whole session (:class:`Site`): a demo utility (8 customers,
4 months of bills and payments), the SMTP settings pointing at the test's mail server, and
a portal server. With this build's sign-in (the auth slice: ``/login`` and the session
table) the server is the product's and pages are reached by signing in through ``/login``;
without it the server runs with a test resolver that makes every request a customer of one
demo account, so the page tests still reach the signed-in pages, and the sign-in flows skip
naming what is missing.

Chromium: ``/usr/bin/chromium`` (``make test`` installs it with apt; Playwright's own
download is not reachable), ``--no-sandbox`` when running as root. Without it the browser
tests skip with the reason, or fail under ``CI=true``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import CustomerServices, StaffServices, SystemServices
from tests.browser.helpers import sign_in
from tests.conftest import IN_CI, PG_URL, _pg_unavailable_reason
from tests.support.portal_server import PortalServer, product_sign_in_available
from tests.support.smtp_server import MailServer

CHROMIUM = Path(os.environ.get("EBS_CHROMIUM", "/usr/bin/chromium"))
OPERATOR = system_actor("browser-tests")
DEMO_LOGIN = ("customer@example.net", "portal-demo")


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments: Debian's chromium, no sandbox as root."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (make test installs Debian's chromium)")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": args}


@dataclass
class Site:
    """A running portal over a demo database, with its mail server."""

    backend: str
    url: str
    db: Database
    server: PortalServer
    mail: MailServer
    signed_in_by_form: bool  # the product's sign-in (else a test resolver)
    account: str  # the demo account the pages are shown for
    others: list[str] = field(default_factory=list)  # other demo accounts with bills

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def staff(self) -> StaffServices:
        return StaffServices(self.db, OPERATOR)

    def customer(self, *accounts: str) -> CustomerServices:
        return CustomerServices(self.db, Actor.customer(1, "browser@example.net", accounts))

    def deliver_mail(self) -> None:
        """The notification sender, once: what the outbox holds goes to the mail server."""
        SystemServices(self.db, Actor.job("notifier")).send_notifications(once=True)


def _fresh_pg_database() -> Iterator[str]:
    reason = _pg_unavailable_reason()
    if reason is not None:
        _missing(reason)
    name = f"ebs_browser_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def accounts_with_bills_and_payments(db: Database) -> list[str]:
    """Demo accounts that have printable bills and payments, in number order."""
    staff = StaffServices(db, OPERATOR)
    found = []
    for summary in staff.accounts.list_accounts(limit=100):
        view = staff.accounts.account_view(summary.account_number)
        if view.bills and view.payments:
            found.append(summary.account_number)
    return found


def _build_site(backend: str, url: str, tmp: Path) -> Iterator[Site]:
    db = open_database(url)
    migrate.upgrade(db)
    build_demo(db, customers=8, months=4, until="2026-06")
    accounts = accounts_with_bills_and_payments(db)
    assert len(accounts) >= 3, f"the demo has too few accounts with bills: {accounts}"
    by_form = product_sign_in_available()
    with MailServer() as mail:
        StaffServices(db, OPERATOR).settings.set_settings({
            "smtp.host": "127.0.0.1", "smtp.port": str(mail.port),
            "smtp.security": "none", "smtp.from": "billing@example.org"})
        SystemServices(db, Actor.job("notifier")).send_notifications(once=True)
        mail.received.clear()  # the demo's own bill notices: not what the tests read
        server = PortalServer(url, accounts=None if by_form else [accounts[0]],
                              log_path=tmp / f"portal-{backend}.log")
        with server:
            yield Site(backend, url, db, server, mail, by_form, accounts[0], accounts[1:])
    db.dispose()


@pytest.fixture(scope="session", params=["sqlite",
                                          pytest.param("postgresql", marks=pytest.mark.pg)])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(f"site-{request.param}")
    if request.param == "sqlite":
        yield from _build_site("sqlite", f"sqlite:///{tmp / 'portal.sqlite3'}", tmp)
        return
    for url in _fresh_pg_database():
        yield from _build_site("postgresql", url, tmp)


@pytest.fixture(scope="session")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The SQLite site alone (page checks that need not run on both backends)."""
    tmp = tmp_path_factory.mktemp("site-sqlite-pages")
    yield from _build_site("sqlite", f"sqlite:///{tmp / 'portal.sqlite3'}", tmp)


@pytest.fixture
def signed_in_page(sqlite_site: Site, browser: Browser) -> Iterator[Page]:
    """A page of a fresh browser context on the SQLite site, signed in (through /login
    with the demo login when the build has sign-in, else by the test resolver)."""
    context = browser.new_context(base_url=sqlite_site.base_url)
    page = context.new_page()
    if sqlite_site.signed_in_by_form:
        sign_in(page, *DEMO_LOGIN)
    yield page
    context.close()


@pytest.fixture
def anonymous_page(sqlite_site: Site, browser: Browser) -> Iterator[Page]:
    """A page of a fresh browser context on the SQLite site, nobody signed in."""
    if not sqlite_site.signed_in_by_form:
        pytest.skip("the sign-in pages are not in this build yet (auth slice)")
    context = browser.new_context(base_url=sqlite_site.base_url)
    yield context.new_page()
    context.close()
