"""``ebs notify run --once`` and ``ebs notify status --json`` on both backends: the sender
uses the smtp.* settings, the status counts what waits, was sent and failed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from ebs_desktop.cli.main import cli
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Customer
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.database import set_local_operator
from tests.support.counter_scratch import CLERK, seed_counter_scratch
from tests.support.smtp_server import MailServer

OPERATOR: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}


def ebs(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=OPERATOR, catch_exceptions=False)


@pytest.fixture
def paid(db: Database) -> Database:
    scratch = seed_counter_scratch(db, 2)
    set_local_operator(db, system_actor("test-admin"), True)
    with db.write() as s:
        s.execute(update(Customer).values(email="someone@example.com"))
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money.of("100", "USD"))
    for i, number in enumerate(scratch.account_numbers):
        post_payment(db, clerk, "C01", number, [CashTender(Money.of("45.50", "USD"))],
                     f"k-{i}")
    return db


def test_status_then_run_once_then_status(paid: Database, db_url: str) -> None:
    before = ebs(db_url, "notify", "status", "--json")
    assert before.exit_code == 0, before.output
    data = json.loads(before.output)
    assert (data["pending"], data["sent"], data["failed"]) == (2, 0, 0)
    assert data["by_channel"]["email"]["pending"] == 2 and data["oldest_waiting"]
    with MailServer() as server:
        with paid.write() as s:
            settings_store.store_value(s, "smtp.host", '"127.0.0.1"')
            settings_store.store_value(s, "smtp.port", str(server.port))
            settings_store.store_value(s, "smtp.from", '"billing@example.com"')
        ran = ebs(db_url, "notify", "run", "--once", "--workers", "2", "--channel", "email")
    assert ran.exit_code == 0, ran.output
    assert ran.output.startswith("2 sent, 0 retried")
    assert {str(m["From"]) for m in server.received} == {
        "Riverside Electric Co-op <billing@example.com>"}
    after = json.loads(ebs(db_url, "notify", "status", "--json").output)
    assert (after["pending"], after["sent"]) == (0, 2)
    text = ebs(db_url, "notify", "status")
    assert "email  pending: 0  sending: 0  sent: 2" in text.output


def test_bad_worker_count_is_one_clear_line(paid: Database, db_url: str) -> None:
    result = ebs(db_url, "notify", "run", "--once", "--workers", "0")
    assert result.exit_code != 0
    assert "--workers must be 1 to 64, not 0" in result.output
    assert "Traceback" not in result.output
