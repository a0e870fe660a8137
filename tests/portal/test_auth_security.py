"""The portal's security suite for sign-in (issue 21, "Done means"): CSRF, headers on every
response, cookies, throttling across two app instances on one database, /healthz."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import create_engine, func, select, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import PortalLogin, PortalSession
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.demo.portal import DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD
from tests.portal.conftest import BASE_URL, csrf, sign_in

HEADERS = {"content-security-policy", "x-content-type-options", "x-frame-options",
           "referrer-policy"}


def logins(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(PortalLogin)) or 0)


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_csrf_missing_or_wrong_is_403_and_nothing_changes(
        client: TestClient, portal_demo: Database, token: str | None) -> None:
    data = {"account_number": "x", "proof": "y", "email": "csrf@example.org",
            "password": "password12", "password_confirm": "password12"}
    if token is not None:
        data["csrf_token"] = token
    before = logins(portal_demo)
    answer = client.post("/register", data=data)
    assert answer.status_code == 403
    assert "did not come from this site" in answer.text
    login = {"email": DEMO_PORTAL_EMAIL, "password": DEMO_PORTAL_PASSWORD}
    if token is not None:
        login["csrf_token"] = token
    assert client.post("/login", data=login, follow_redirects=False).status_code == 403
    assert "ebs_session" not in client.cookies
    assert logins(portal_demo) == before


def test_csrf_of_another_session_is_refused_on_signed_in_forms(
        portal_app: Starlette, portal_demo: Database) -> None:
    with TestClient(portal_app, base_url=BASE_URL) as mine, \
            TestClient(portal_app, base_url=BASE_URL) as theirs:
        sign_in(mine)
        sign_in(theirs)
        foreign = csrf(theirs.get("/account/security").text)
        for path in ("/sessions/revoke-all", "/logout", "/account/totp/begin"):
            assert mine.post(path, data={"csrf_token": foreign}).status_code == 403
        changed = mine.post("/account/password", data={
            "current_password": DEMO_PORTAL_PASSWORD, "password": "hijacked!",
            "password_confirm": "hijacked!", "csrf_token": foreign})
        assert changed.status_code == 403
        assert mine.get("/account/security", follow_redirects=False).status_code == 200
        with portal_demo.read() as s:
            assert s.scalar(select(func.count()).select_from(PortalSession)
                            .where(PortalSession.revoked_at.is_not(None))) == 0


def test_security_headers_on_every_response(signed_in: TestClient) -> None:
    token = csrf(signed_in.get("/account/security").text)
    answers = [signed_in.get("/login"), signed_in.get("/register"),
               signed_in.get("/account/security"), signed_in.get("/no/such/page"),
               signed_in.get("/healthz"), signed_in.get("/static/portal.css"),
               signed_in.get("/verify/not-a-token"),
               signed_in.post("/register", data={"csrf_token": "bad"}),
               signed_in.post("/account/totp/begin", data={"csrf_token": token})]
    for answer in answers:
        missing = HEADERS - set(answer.headers)
        assert not missing, (answer.url, missing)
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "'unsafe-inline'" not in policy
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert {a.status_code for a in answers} >= {200, 400, 403, 404}


def test_session_cookie_flags(portal_demo: Database) -> None:
    config = PortalConfig(secret_key=b"k" * 32, secure_cookies=True, base_url=BASE_URL)
    with TestClient(create_app(portal_demo, config), base_url="https://testserver") as https:
        page = https.get("/login")
        assert "strict-transport-security" in page.headers
        answer = https.post("/login", data={"email": DEMO_PORTAL_EMAIL,
                                            "password": DEMO_PORTAL_PASSWORD,
                                            "csrf_token": csrf(page.text)},
                            follow_redirects=False)
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("ebs_session=")
        for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
            assert flag.lower() in cookie.lower(), cookie
        first = https.cookies["ebs_session"]
        https.post("/login", data={"email": DEMO_PORTAL_EMAIL, "password": DEMO_PORTAL_PASSWORD,
                                   "csrf_token": csrf(https.get("/login").text)})
        assert https.cookies["ebs_session"] != first  # a new secret at every sign-in


def test_twenty_wrong_passwords_are_throttled_across_two_workers(
        portal_demo: Database, make_app: Callable[..., Starlette]) -> None:
    """Two app instances (as two uvicorn workers would be) over one database: the
    failures counted by one stop the other."""
    one, two = make_app(portal_demo), make_app(portal_demo)
    with TestClient(one, base_url=BASE_URL) as a, TestClient(two, base_url=BASE_URL) as b:
        statuses = []
        for n in range(20):
            worker = a if n % 2 == 0 else b
            answer = worker.post("/login", data={
                "email": f"guess{n % 3}@example.org" if n % 4 else DEMO_PORTAL_EMAIL,
                "password": f"wrong {n}", "csrf_token": csrf(worker.get("/login").text)})
            statuses.append(answer.status_code)
        assert set(statuses) <= {401, 429} and statuses[0] == 401
        for worker in (a, b):
            answer = worker.post("/login", data={
                "email": DEMO_PORTAL_EMAIL, "password": DEMO_PORTAL_PASSWORD,
                "csrf_token": csrf(worker.get("/login").text)}, follow_redirects=False)
            assert answer.status_code == 429
            assert "paused for 15 minutes" in answer.text
            assert "ebs_session" not in worker.cookies
    with portal_demo.read() as s:
        counted = s.execute(text("SELECT failures FROM portal_throttle WHERE key LIKE 'ip:%'"
                                 )).scalars().all()
    assert counted and max(counted) >= 20


def test_healthz_reads_the_database(client: TestClient, portal_demo: Database,
                                    portal_config: PortalConfig) -> None:
    assert client.get("/healthz").text == "ok"
    broken = Database(create_engine("sqlite:////nonexistent-dir/none.sqlite"), "broken")
    with TestClient(create_app(broken, portal_config), base_url=BASE_URL,
                    raise_server_exceptions=False) as down:
        answer = down.get("/healthz")
    assert answer.status_code == 503
    assert "Traceback" not in answer.text
