"""Sign-in through the portal's pages (TestClient over a real database, both backends):
register, confirm, sign in, log out; uniform answers; reset; the code step."""

from __future__ import annotations

import json
import re

import pyotp
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo.portal import DEMO_PORTAL_EMAIL, DEMO_PORTAL_PASSWORD
from tests.portal.conftest import BASE_URL, csrf, sign_in


def other_account(db: Database) -> tuple[str, str]:
    with db.read() as s:
        row = s.execute(text(
            "SELECT a.account_number, b.bill_number FROM accounts a "
            "JOIN bills b ON b.account_id = a.id WHERE a.id NOT IN "
            "(SELECT account_id FROM portal_login_accounts) "
            "ORDER BY b.issue_date DESC, b.id DESC")).first()
    assert row is not None
    return str(row[0]), str(row[1])


def last_link(db: Database, kind: str) -> str:
    with db.read() as s:
        context = s.execute(text("SELECT context FROM notification_outbox WHERE kind = :k "
                                 "ORDER BY id DESC"), {"k": kind}).scalars().first()
    assert context is not None
    link: str = json.loads(context)["link"]
    assert link.startswith(BASE_URL)
    return link.removeprefix(BASE_URL)


def post(client: TestClient, path: str, data: dict[str, str], form_page: str | None = None):  # type: ignore[no-untyped-def]
    page = client.get(form_page or path)
    return client.post(path, data={**data, "csrf_token": csrf(page.text)},
                       follow_redirects=False)


def main_text(html: str) -> str:
    body = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def signed_in_page(client: TestClient) -> int:
    return client.get("/account/security", follow_redirects=False).status_code


def test_register_confirm_sign_in_and_out(client: TestClient, portal_demo: Database) -> None:
    number, bill = other_account(portal_demo)
    page = client.get("/register")
    assert page.status_code == 200 and "<h1>Register</h1>" in page.text
    answer = post(client, "/register", {"account_number": number, "proof": bill,
                                        "email": "rose@example.org", "password": "roses are red",
                                        "password_confirm": "roses are red"})
    assert answer.status_code == 200 and "rose@example.org" in answer.text
    refused = post(client, "/login", {"email": "rose@example.org", "password": "roses are red"})
    assert refused.status_code == 401 and "confirm your email" in refused.text
    confirmed = client.get(last_link(portal_demo, "portal_verify"))
    assert confirmed.status_code == 200 and "is confirmed" in confirmed.text
    again = client.get(last_link(portal_demo, "portal_verify"))
    assert again.status_code == 400 and "already been used" in again.text
    signed = post(client, "/login?next=/account/security",
                  {"email": "rose@example.org", "password": "roses are red"}, "/login")
    assert signed.status_code == 303 and signed.headers["location"] == "/account/security"
    assert signed_in_page(client) == 200
    out = post(client, "/logout", {}, "/account/security")
    assert out.status_code == 303
    assert signed_in_page(client) == 303


def test_wrong_proof_and_unknown_account_answer_alike(client: TestClient,
                                                      portal_demo: Database) -> None:
    number, bill = other_account(portal_demo)
    common = {"email": "probe@example.org", "password": "password12",
              "password_confirm": "password12"}
    wrong = post(client, "/register", {**common, "account_number": number, "proof": "B-0"})
    unknown = post(client, "/register", {**common, "account_number": "0000-0000-0",
                                         "proof": bill})
    taken = post(client, "/register", {**common, "email": DEMO_PORTAL_EMAIL,
                                       "account_number": number, "proof": bill})
    assert wrong.status_code == unknown.status_code == taken.status_code == 200
    assert main_text(wrong.text) == main_text(unknown.text)
    assert main_text(taken.text) == main_text(wrong.text).replace("probe@example.org",
                                                                  DEMO_PORTAL_EMAIL)
    none = post(client, "/password/forgot", {"email": "nobody@example.org"})
    some = post(client, "/password/forgot", {"email": DEMO_PORTAL_EMAIL})
    assert main_text(none.text).replace("nobody@example.org", "X") == \
        main_text(some.text).replace(DEMO_PORTAL_EMAIL, "X")


def test_bad_input_shows_the_form_again_with_the_field(client: TestClient) -> None:
    answer = post(client, "/register", {"account_number": "1", "proof": "2",
                                        "email": "not-an-email", "password": "password12",
                                        "password_confirm": "password12"})
    assert answer.status_code == 400
    assert 'id="email-error"' in answer.text and 'aria-invalid="true"' in answer.text
    assert 'value="1"' in answer.text  # what was typed is kept (never the password)
    assert "password12" not in answer.text


def test_reset_link_used_twice_is_refused(client: TestClient, portal_demo: Database) -> None:
    post(client, "/password/forgot", {"email": DEMO_PORTAL_EMAIL})
    link = last_link(portal_demo, "portal_reset")
    assert client.get(link).status_code == 200
    done = post(client, link, {"password": "a new secret", "password_confirm": "a new secret"})
    assert done.status_code == 200 and "Password changed" in done.text
    again = client.get(link)
    assert again.status_code == 400 and "already been used" in again.text
    reuse = client.post(link, data={"password": "third secret", "password_confirm":
                                    "third secret", "csrf_token": csrf(client.get("/login").text)})
    assert reuse.status_code == 400
    sign_in(client, DEMO_PORTAL_EMAIL, "a new secret")


def test_session_from_before_a_password_change_is_refused(portal_app: Starlette) -> None:
    with TestClient(portal_app, base_url=BASE_URL) as phone, \
            TestClient(portal_app, base_url=BASE_URL) as laptop:
        sign_in(phone)
        sign_in(laptop)
        old_cookie = phone.cookies["ebs_session"]
        changed = post(laptop, "/account/password", {
            "current_password": DEMO_PORTAL_PASSWORD, "password": "changed it",
            "password_confirm": "changed it"}, "/account/security")
        assert changed.status_code == 303
        assert signed_in_page(laptop) == 200  # the changing browser has a new session
        assert signed_in_page(phone) == 303
        assert laptop.cookies["ebs_session"] != old_cookie


def test_totp_code_step(signed_in: TestClient, portal_app: Starlette) -> None:
    page = signed_in.post("/account/totp/begin", data={
        "csrf_token": csrf(signed_in.get("/account/security").text)})
    secret = re.search(r'<p class="secret"><code>([A-Z2-7]+)</code>', page.text)
    assert secret is not None
    on = signed_in.post("/account/totp/confirm", data={
        "code": pyotp.TOTP(secret.group(1)).now(), "csrf_token": csrf(page.text)},
        follow_redirects=False)
    assert on.status_code == 303
    with TestClient(portal_app, base_url=BASE_URL) as other:
        step = post(other, "/login", {"email": DEMO_PORTAL_EMAIL,
                                      "password": DEMO_PORTAL_PASSWORD})
        assert step.headers["location"].startswith("/login/code")
        assert signed_in_page(other) == 303  # not signed in before the code
        wrong = post(other, "/login/code", {"code": "000000" if pyotp.TOTP(
            secret.group(1)).now() != "000000" else "111111"})
        assert wrong.status_code == 401
        right = post(other, "/login/code", {"code": pyotp.TOTP(secret.group(1)).now()})
        assert right.status_code == 303
        assert signed_in_page(other) == 200


def test_log_out_everywhere(portal_app: Starlette) -> None:
    with TestClient(portal_app, base_url=BASE_URL) as one, \
            TestClient(portal_app, base_url=BASE_URL) as two:
        sign_in(one)
        sign_in(two)
        done = post(one, "/sessions/revoke-all", {}, "/account/security")
        assert done.status_code == 303 and "signed_out=all" in done.headers["location"]
        assert signed_in_page(one) == 303 and signed_in_page(two) == 303


def test_next_never_leaves_the_site(client: TestClient) -> None:
    answer = post(client, "/login?next=//evil.example/x",
                  {"email": DEMO_PORTAL_EMAIL, "password": DEMO_PORTAL_PASSWORD}, "/login")
    assert answer.headers["location"] == "/"


def test_signing_in_again_ends_the_browsers_previous_session(
        client: TestClient, portal_demo: Database) -> None:
    sign_in(client)
    first = client.cookies["ebs_session"]
    sign_in(client)
    assert client.cookies["ebs_session"] != first
    with portal_demo.read() as s:
        open_now = s.execute(text("SELECT count(*) FROM portal_sessions "
                                  "WHERE revoked_at IS NULL")).scalar_one()
    assert open_now == 1
    assert client.get("/register", follow_redirects=False).headers["location"] == \
        "/accounts/add"


def test_the_confirmation_email_leaves_through_the_sender_and_its_link_works(
        client: TestClient, portal_demo: Database) -> None:
    """Register, the sender delivers the email to a real SMTP server, the link in the
    delivered text confirms the address, the customer signs in."""
    from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices
    from ebs_desktop.services.notify.sender import Transports
    from tests.support.smtp_server import MailServer

    with portal_demo.write() as s:  # the demo's own waiting bill notices are not this test's
        s.execute(text("UPDATE notification_outbox SET status = 'cancelled' "
                       "WHERE status = 'pending'"))
    number, bill = other_account(portal_demo)
    post(client, "/register", {"account_number": number, "proof": bill,
                               "email": "mail@example.org", "password": "via the sender",
                               "password_confirm": "via the sender"})
    with MailServer() as server:
        config = SmtpConfig("127.0.0.1", server.port)
        summary = SystemServices(portal_demo, Actor.job("notifier")).send_notifications(
            transports=Transports(email=lambda: SmtpTransport(config), sms=None))
    assert summary.sent == 1
    (mail,) = server.received
    assert mail["To"] == "mail@example.org"
    assert "Confirm your email" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(re.escape(BASE_URL) + r"(/verify/[A-Za-z0-9_\-]+)", body)
    assert found is not None, body
    assert "is confirmed" in client.get(found.group(1)).text
    sign_in(client, "mail@example.org", "via the sender")
