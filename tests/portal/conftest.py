"""Fixtures for the portal's route tests, shared by every portal slice.

* ``portal_config``: a :class:`PortalConfig` for plain-HTTP tests (cookies without
  ``Secure``, so the TestClient sends them back; links to ``http://testserver``).
* ``portal_demo``: the ``db`` fixture (SQLite and PostgreSQL) with a small demo, which has
  the demo portal login ``customer@example.net`` / ``portal-demo``.
* ``make_app(db, resolver=None)``: ``create_app`` over a database; without a resolver,
  the product's (the session table).
* ``portal_app`` / ``client``: the product app over ``portal_demo`` and a TestClient.
* ``sign_in(client, email, password)``: signs a TestClient in through the real /login form.
* ``signed_in``: a TestClient of ``portal_app`` signed in as the demo login.
* ``fixed_resolver(actor)``: a resolver that always answers ``actor`` (route tests of
  pages that need a customer but not the sign-in).
* ``csrf(html)``: the csrf_token of the first form in a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.portal.app import Resolver, create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.demo.portal import DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD

BASE_URL = "http://testserver"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(html: str) -> str:
    found = _CSRF.search(html)
    assert found is not None, "no csrf_token in the page"
    return found.group(1)


def fixed_resolver(actor: Actor | None, key: str = "test-session-key") -> Resolver:
    async def resolve(request: Request) -> tuple[Actor | None, str]:
        return actor, key
    return resolve


def sign_in(client: TestClient, email: str = DEMO_PORTAL_EMAIL,
            password: str = DEMO_PORTAL_PASSWORD) -> TestClient:
    page = client.get("/login", follow_redirects=False)
    if page.status_code == 303:  # signed in already: /login sends on; any form's token does
        page = client.get("/password/forgot")
    answer = client.post("/login", data={"email": email, "password": password,
                                         "csrf_token": csrf(page.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert "ebs_session" in client.cookies
    return client


@pytest.fixture
def portal_config() -> PortalConfig:
    return PortalConfig(secret_key=b"portal-tests-secret-key-32-bytes", secure_cookies=False,
                        base_url=BASE_URL)


@pytest.fixture
def portal_demo(db: Database) -> Database:
    build_demo(db, customers=4, months=3, until="2026-06")
    return db


@pytest.fixture
def make_app(portal_config: PortalConfig) -> Callable[..., Starlette]:
    def make(db: Database, resolver: Resolver | None = None) -> Starlette:
        return create_app(db, portal_config, resolver=resolver)
    return make


@pytest.fixture
def portal_app(portal_demo: Database, make_app: Callable[..., Starlette]) -> Starlette:
    return make_app(portal_demo)


@pytest.fixture
def client(portal_app: Starlette) -> Iterator[TestClient]:
    with TestClient(portal_app, base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def signed_in(portal_app: Starlette) -> Iterator[TestClient]:
    with TestClient(portal_app, base_url=BASE_URL) as test_client:
        yield sign_in(test_client)
