"""Help and requests in the portal (issue 21, point 6), through Starlette's TestClient.

Signed in by a resolver that returns a customer principal (the auth slice's real sign-in
is tested end to end in the browser tests). A staff reply made through the staff facade
shows in the customer's thread; another customer's request and photo are 404 like ids
that do not exist; a POST without its CSRF token is 403 and writes nothing; bad input
shows the form again with the message and what was typed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update
from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.domain.support import TOPIC_WORDS
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    Customer,
    ServiceRequest,
    ServiceRequestMessage,
)
from ebs_desktop.portal import support as support_pages
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.portal.words import FRENCH
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices
from tests.services.test_support import clear_requests

CONFIG = PortalConfig(secret_key=b"k" * 32, secure_cookies=False)


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=4, months=2, until="2026-06")
    clear_requests(db)
    return db


def _accounts(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Account.account_number).join(Customer)
                              .where(Customer.email.is_not(None))
                              .order_by(Account.account_number)))


def _client(db: Database, *accounts: str, login: int = 1) -> TestClient:
    who = Actor.customer(login, f"c{login}@example.org", accounts) if accounts else None

    async def resolver(request: Request) -> tuple[Actor | None, str]:
        return who, f"session-{login}"

    return TestClient(create_app(db, CONFIG, resolver=resolver), follow_redirects=False)


def _csrf(client: TestClient, path: str = "/support/new") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def _messages(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(ServiceRequestMessage)) or 0)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def mine_and_theirs(demo: Database) -> Iterator[tuple[str, str]]:
    first, second = _accounts(demo)[:2]
    yield first, second


def test_ask_see_the_staff_reply_and_answer(demo: Database,
                                            mine_and_theirs: tuple[str, str]) -> None:
    mine, _ = mine_and_theirs
    client = _client(demo, mine)
    listing = client.get("/support")
    assert "<h1>Help and requests</h1>" in listing.text
    assert "You have not asked us anything yet." in listing.text

    sent = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "meter",
                                             "message": "My meter <b>beeps</b> at night."},
                       files={"photo": ("meter.txt", _png(), "text/plain")})
    assert sent.status_code == 303
    found = re.fullmatch(r"/support/(\d+)\?sent=1", sent.headers["location"])
    assert found is not None
    request_id = int(found.group(1))

    thread = client.get(f"/support/{request_id}?sent=1")
    assert f"<h1>Request SR-{request_id:06d}</h1>" in thread.text
    assert "Your message was sent" in thread.text
    assert "My meter &lt;b&gt;beeps&lt;/b&gt; at night." in thread.text  # escaped
    photo_link = re.search(rf'src="(/support/{request_id}/photos/\d+)"', thread.text)
    assert photo_link is not None
    photo = client.get(photo_link.group(1))
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert photo.content.startswith(b"\x89PNG")  # a PNG by content, whatever its name
    assert photo.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in photo.headers["content-security-policy"]

    staff = StaffServices(demo, system_actor("test"))
    staff.support.reply(request_id, "A technician comes on Thursday.")
    thread = client.get(f"/support/{request_id}")
    assert "A technician comes on Thursday." in thread.text
    assert "Answered" in thread.text

    listing = client.get("/support")
    assert f'href="/support/{request_id}"' in listing.text and "Answered" in listing.text

    token = _csrf(client, f"/support/{request_id}")
    replied = client.post(f"/support/{request_id}",
                          data={"csrf_token": token, "message": "Thursday suits me."})
    assert replied.status_code == 303
    assert staff.support.request(request_id).messages[-1].text == "Thursday suits me."
    assert staff.support.request(request_id).request.status == "open"


def test_a_login_with_several_accounts_chooses_one(demo: Database,
                                                   mine_and_theirs: tuple[str, str]) -> None:
    first, second = mine_and_theirs
    client = _client(demo, first, second)
    form = client.get("/support/new").text
    assert '<select id="account_number" name="account_number"' in form
    assert '<label for="account_number">Account</label>' in form
    missing = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "billing",
                                                "message": "Which account pays?"})
    assert missing.status_code == 400
    assert "is not one of your accounts" in missing.text
    assert "Which account pays?" in missing.text  # what was typed is kept
    ok = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "billing",
                                           "account_number": second, "message": "Hello"})
    assert ok.status_code == 303
    staff = StaffServices(demo, system_actor("test"))
    assert [r.account_number for r in staff.support.queue()] == [second]


@pytest.mark.parametrize(("fields", "photo", "says"), [
    ({"topic": "billing", "message": "   "}, None, "Write a message"),
    ({"topic": "gossip", "message": "hi"}, None, "is not a topic"),
    ({"topic": "meter", "message": "see photo"}, ("x.jpg", b"%PDF-1.4", "image/jpeg"),
     "must be a JPEG, PNG or WebP image"),
])
def test_bad_input_shows_the_form_again_and_writes_nothing(
        demo: Database, mine_and_theirs: tuple[str, str], fields: dict[str, str],
        photo: tuple[str, bytes, str] | None, says: str) -> None:
    client = _client(demo, mine_and_theirs[0])
    answer = client.post("/support/new", data={"csrf_token": _csrf(client), **fields},
                         files={"photo": photo} if photo else None)
    assert answer.status_code == 400
    assert says in answer.text
    assert 'role="alert"' in answer.text and 'aria-invalid="true"' in answer.text
    assert _messages(demo) == 0


def test_a_post_without_or_with_a_wrong_csrf_token_is_403_and_writes_nothing(
        demo: Database, mine_and_theirs: tuple[str, str]) -> None:
    mine = mine_and_theirs[0]
    client = _client(demo, mine)
    data = {"topic": "billing", "message": "hello", "account_number": mine}
    assert client.post("/support/new", data=data).status_code == 403
    wrong = client.post("/support/new", data={**data, "csrf_token": "0" * 64})
    assert wrong.status_code == 403
    other_session = _client(demo, mine, login=9)  # a token from somebody else's session
    assert client.post("/support/new", data={**data, "csrf_token": _csrf(other_session)}
                       ).status_code == 403
    assert _messages(demo) == 0


def test_another_customers_request_and_photo_are_404_like_none(
        demo: Database, mine_and_theirs: tuple[str, str]) -> None:
    mine, theirs = mine_and_theirs
    them = _client(demo, theirs, login=2)
    sent = them.post("/support/new", data={"csrf_token": _csrf(them), "topic": "other",
                                           "message": "private"},
                     files={"photo": ("p.png", _png(), "image/png")})
    request_id = int(sent.headers["location"].split("/")[2].split("?")[0])
    photo_path = re.search(rf'/support/{request_id}/photos/\d+',
                           them.get(f"/support/{request_id}").text)
    assert photo_path is not None

    me = _client(demo, mine)
    nothing = me.get(f"/support/{request_id + 1000}")
    assert nothing.status_code == 404
    for path in (f"/support/{request_id}", photo_path.group(0)):
        refused = me.get(path)
        assert refused.status_code == 404
        assert refused.text == nothing.text.replace(str(request_id + 1000), str(request_id))
        assert "private" not in refused.text
    before = _messages(demo)
    reply = me.post(f"/support/{request_id}", data={"csrf_token": _csrf(me), "message": "x"})
    assert reply.status_code == 404 and _messages(demo) == before
    assert request_id not in [int(m) for m in re.findall(r'href="/support/(\d+)"',
                                                         me.get("/support").text)]


def test_signed_out_visitors_are_sent_to_sign_in(demo: Database) -> None:
    client = _client(demo)
    for path in ("/support", "/support/new", "/support/1", "/support/1/photos/1"):
        answer = client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


def test_an_upload_larger_than_a_photo_may_be_is_refused_before_it_is_read(
        demo: Database, mine_and_theirs: tuple[str, str]) -> None:
    client = _client(demo, mine_and_theirs[0])
    big = b"\xff\xd8" + b"\0" * (6 * 1024 * 1024)
    answer = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "meter",
                                                "message": "huge"},
                         files={"photo": ("big.jpg", big, "image/jpeg")})
    assert answer.status_code == 413
    assert "at most 5 MB" in answer.text
    assert _messages(demo) == 0
    # just over 5 MB but under the body's bound: the service refuses it by its size
    over = b"\xff\xd8" + b"\0" * (5 * 1024 * 1024)
    answer = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "meter",
                                                "message": "over"},
                         files={"photo": ("over.jpg", over, "image/jpeg")})
    assert answer.status_code == 400 and "at most 5 MB" in answer.text
    assert _messages(demo) == 0


TEMPLATES = Path(support_pages.__file__).parent / "templates"
CALL = re.compile(r"""\bt\(\s*(["'])(.+?)\1""")


def test_every_text_of_the_support_pages_has_its_french() -> None:
    texts: set[str] = set()
    for name in ("support_list.html", "support_new.html", "support_thread.html"):
        texts |= {m[2] for m in CALL.finditer((TEMPLATES / name).read_text("utf-8"))}
    texts |= set(support_pages.CUSTOMER_STATUS.values()) | set(TOPIC_WORDS.values())
    assert {"Help and requests", "Send reply", "With us", "Meter problem"} <= texts
    assert sorted(texts - set(FRENCH)) == []


def test_a_french_customer_reads_french_with_dates_in_the_utilitys_zone(
        demo: Database, mine_and_theirs: tuple[str, str]) -> None:
    mine = mine_and_theirs[0]
    StaffServices(demo, system_actor("test")).settings.update_settings(
        {"locale": "fr_FR", "timezone": "America/Toronto"})
    client = _client(demo, mine)
    sent = client.post("/support/new", data={"csrf_token": _csrf(client), "topic": "move",
                                             "message": "Je déménage."})
    request_id = int(sent.headers["location"].split("/")[2].split("?")[0])
    with demo.write() as s:  # opened at a known moment: 14:05 UTC is 10:05 in Toronto
        s.execute(update(ServiceRequest).values(
            opened_at=datetime(2026, 7, 3, 14, 5, tzinfo=UTC)))
    page = client.get(f"/support/{request_id}").text
    assert '<html lang="fr">' in page
    assert f"<h1>Demande SR-{request_id:06d}</h1>" in page
    assert "Emménagement ou déménagement" in page and "Chez nous" in page
    assert "3 juil. 2026 10:05" in page
    assert "Aide et demandes" in client.get("/support").text
