"""The Usage page and the self-read form through Starlette's TestClient, on a demo
utility with 14 months of bills (both backends).

The resolver here stands in for the auth slice's session table: it signs in one customer
for the accounts given. What is checked is what a customer sees and what a form does to
the database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from PIL import Image
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    CustomerRead,
    Meter,
    MeterRegister,
    Reading,
)
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.account_prefs import PreferencesChange
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices

CONFIG = PortalConfig(secret_key=b"usage-tests-" * 4, secure_cookies=False)


def _last_month() -> str:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@pytest.fixture
def demo(db: Database) -> Database:
    """Bills to two months ago, readings to the end of last month: the page runs on the
    server's clock, so the demo ends where today's period begins."""
    build_demo(db, customers=16, months=14, until=_last_month())
    return db


def _usual(value: Decimal) -> Decimal:
    """A plausible reading today: about 6 kWh a day since the last one (end of last month)."""
    return value + 6 * date.today().day


def _accounts(db: Database, n: int = 2) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Account.account_number)
                              .where(Account.category == "residential")
                              .order_by(Account.account_number).limit(n)))


def _client(db: Database, *accounts: str) -> TestClient:
    async def resolver(request: Request) -> tuple[Actor | None, str]:
        if not accounts:
            return None, "anonymous-key"
        return Actor.customer(41, "ann@example.org", accounts), "session-key-41"

    return TestClient(create_app(db, CONFIG, resolver=resolver), follow_redirects=False)


@pytest.fixture
def mine(demo: Database) -> str:
    return _accounts(demo)[0]


@pytest.fixture
def client(demo: Database, mine: str) -> Iterator[TestClient]:
    with _client(demo, mine) as c:
        yield c


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _meter(db: Database, number: str) -> tuple[str, Decimal]:
    with db.read() as s:
        serial, value = s.execute(
            select(Meter.serial, Reading.value)
            .join(MeterRegister, MeterRegister.meter_id == Meter.id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(Meter.id.in_(_meter_ids(number)), Reading.status != "superseded")
            .order_by(Reading.read_on.desc()).limit(1)).one()
    return serial, value


def _meter_ids(number: str) -> object:
    from ebs_desktop.persistence.models import MeterInstallation, Premise
    return (select(MeterInstallation.meter_id)
            .join(Premise, Premise.id == MeterInstallation.premise_id)
            .join(Account, Account.id == Premise.account_id)
            .where(Account.account_number == number, MeterInstallation.removed_on.is_(None)))


def _customer_readings(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Reading)
                            .where(Reading.source == "customer")) or 0)


def test_the_page_shows_the_chart_table_insights_and_form(client: TestClient, demo: Database,
                                                          mine: str) -> None:
    page = client.get("/usage")
    assert page.status_code == 200
    body = page.text
    assert re.search(r"<h1>Usage</h1>", body)
    headings = [int(h) for h in re.findall(r"<h([1-6])", body)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in pairwise(headings))
    # a server-drawn chart with an accessible name, and the same figures as a table
    assert '<svg class="usage-chart"' in body and 'role="img"' in body
    staff = StaffServices(demo, system_actor("t")).accounts.account_view(mine)
    bars = re.findall(r'<rect class="bar[ "]', body)
    assert len(bars) == len(staff.consumption)
    rows = re.findall(r'<td data-label="kWh" class="num">([^<]*)</td>', body)
    newest = max(staff.consumption, key=lambda c: c.period)
    assert rows[0] == f"{newest.kwh.quantize(Decimal(1)):,}"
    assert len(rows) == len(staff.consumption)
    # the insight box: last year, percentile, projection with an amount, a tariff tip
    box = body.split('class="card insights"')[1].split("</section>")[0]
    assert "same period last year" in box
    assert "of similar accounts" in box
    assert re.search(r"a bill of about \$\d+\.\d\d", box)
    assert "The first 100 kWh of a month cost $0.085" in box
    # the form, by the contract's field names, with labels
    for name in ("account_number", "meter", "value", "photo", "csrf_token"):
        assert f'name="{name}"' in body
    for field in ("meter", "value", "photo"):
        assert f'<label for="{field}">' in body
    assert 'enctype="multipart/form-data"' in body
    assert "<script" not in body and "style=" not in body


def test_nobody_signed_in_goes_to_sign_in(demo: Database) -> None:
    with _client(demo) as anonymous:
        page = anonymous.get("/usage")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        sent = anonymous.post("/usage/read", data={"csrf_token": "x", "value": "1"})
        assert sent.status_code in (303, 403)


def test_another_customers_account_is_not_found(client: TestClient, demo: Database) -> None:
    theirs = _accounts(demo)[1]
    assert client.get(f"/usage?account={theirs}").status_code == 404
    assert client.get("/usage?account=999999999").status_code == 404
    token = _csrf(client.get("/usage").text)
    serial, value = _meter(demo, theirs)
    sent = client.post("/usage/read", data={"csrf_token": token, "account_number": theirs,
                                            "meter": serial, "value": str(value + 5)})
    assert sent.status_code == 404
    assert _customer_readings(demo) == 0


def test_a_self_read_without_the_csrf_token_is_refused_and_nothing_stored(
        client: TestClient, demo: Database, mine: str) -> None:
    serial, value = _meter(demo, mine)
    for token in (None, "forged"):
        data = {"account_number": mine, "meter": serial, "value": str(value + 5)}
        if token:
            data["csrf_token"] = token
        assert client.post("/usage/read", data=data).status_code == 403
    assert _customer_readings(demo) == 0


def test_a_self_read_is_stored_and_the_page_says_so(client: TestClient, demo: Database,
                                                    mine: str) -> None:
    serial, value = _meter(demo, mine)
    token = _csrf(client.get("/usage").text)
    sent = client.post("/usage/read", data={"csrf_token": token, "account_number": mine,
                                            "meter": serial, "value": str(_usual(value))})
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"/usage?account={mine}&sent=accepted")
    page = client.get(sent.headers["location"])
    assert "your reading was accepted" in page.text
    assert "Accepted" in page.text.split("Your recent readings")[1]
    with demo.read() as s:
        row = s.execute(select(Reading.source, Reading.status, Reading.value,
                               CustomerRead.login_id)
                        .join(CustomerRead, CustomerRead.reading_id == Reading.id)).one()
    assert row == ("customer", "valid", _usual(value), 41)


def test_an_unusual_self_read_with_a_photo_is_held(client: TestClient, demo: Database,
                                                   mine: str) -> None:
    serial, value = _meter(demo, mine)
    token = _csrf(client.get("/usage").text)
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 10)).save(photo, format="PNG")
    sent = client.post("/usage/read",
                       data={"csrf_token": token, "account_number": mine, "meter": serial,
                             "value": str(value + 5000)},
                       files={"photo": ("meter.png", photo.getvalue(), "image/png")})
    assert sent.status_code == 303 and "sent=held" in sent.headers["location"]
    assert "our staff will check it" in client.get(sent.headers["location"]).text
    held = StaffServices(demo, system_actor("t")).readings.held_self_reads()
    assert [(h.account_number, h.has_photo) for h in held] == [(mine, True)]


def test_a_refused_reading_shows_the_form_again_with_the_message(
        client: TestClient, demo: Database, mine: str) -> None:
    serial, value = _meter(demo, mine)
    token = _csrf(client.get("/usage").text)
    for typed, words, field in ((str(value - 40), "lower than the previous reading", "value"),
                                ("12a4", "is not a meter reading", "value"),
                                ):
        page = client.post("/usage/read", data={"csrf_token": token, "account_number": mine,
                                                "meter": serial, "value": typed})
        assert page.status_code == 400
        assert words in page.text
        assert f'id="{field}-error"' in page.text and 'aria-invalid="true"' in page.text
        assert f'value="{typed}"' in page.text  # what was typed is kept
        assert "Traceback" not in page.text
    page = client.post("/usage/read",
                       data={"csrf_token": token, "account_number": mine, "meter": serial,
                             "value": str(value + 3)},
                       files={"photo": ("meter.jpg", b"GIF89a not really", "image/jpeg")})
    assert page.status_code == 400 and 'id="photo-error"' in page.text
    assert _customer_readings(demo) == 0


def test_the_page_speaks_the_customers_language(client: TestClient, demo: Database,
                                                mine: str) -> None:
    StaffServices(demo, system_actor("t")).accounts.set_preferences(
        mine, PreferencesChange(language="fr"))
    body = client.get("/usage").text
    assert '<html lang="fr">' in body
    assert "<h1>Consommation</h1>" in body
    assert "Vous avez consommé" in body
    assert re.search(r"facture d&#39;environ [\d\s]+,\d\d\s\$", body)  # 26,94 $US
    assert 'name="value"' in body


def test_the_chart_copes_with_an_account_without_bills(demo: Database) -> None:
    with demo.read() as s:
        numbers = set(s.scalars(select(Account.account_number)))
    with _client(demo, *sorted(numbers)[:2]) as c:
        page = c.get("/usage")
        assert page.status_code == 200
        assert '<select id="account" name="account">' in page.text


def test_a_time_of_use_meter_is_read_register_by_register(demo: Database) -> None:
    with demo.read() as s:
        number = s.scalars(select(Account.account_number)
                           .where(Account.category == "commercial")
                           .order_by(Account.account_number).limit(1)).one()
        serial, peak = s.execute(
            select(Meter.serial, Reading.value)
            .join(MeterRegister, MeterRegister.meter_id == Meter.id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(Meter.id.in_(_meter_ids(number)), MeterRegister.code == "peak",
                   Reading.status != "superseded")
            .order_by(Reading.read_on.desc()).limit(1)).one()
    with _client(demo, number) as c:
        body = c.get("/usage").text
        assert body.count(f'<option value="{serial}"') == 1  # the meter once
        assert '<label for="register">Register</label>' in body
        assert '<option value="kwh">Total (kWh)</option>' in body
        assert '<option value="peak">Peak</option>' in body
        sent = c.post("/usage/read", data={
            "csrf_token": _csrf(body), "account_number": number, "meter": serial,
            "register": "peak", "value": str(peak + 2 * date.today().day)})
        assert sent.status_code == 303, sent.text
        wrong = c.post("/usage/read", data={
            "csrf_token": _csrf(body), "account_number": number, "meter": serial,
            "register": "solar", "value": "10"})
        assert wrong.status_code == 400 and 'id="register-error"' in wrong.text
    with demo.read() as s:
        code = s.scalar(select(MeterRegister.code)
                        .join(Reading, Reading.register_id == MeterRegister.id)
                        .where(Reading.source == "customer"))
    assert code == "peak"
