"""No card number is stored anywhere (PCI DSS SAQ A): every text in every table is scanned
after counter card payments, online payments, refunds and the raw webhook bodies."""

from __future__ import annotations

from sqlalchemy import String, Text, select

from ebs_desktop.devices.payments import EventKind
from ebs_desktop.domain.cash import CardTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base, Setting
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.online_payments import intake_event
from tests.services.test_online_intake import refund, succeeded
from tests.support.card_scan import card_numbers, luhn
from tests.support.counter_scratch import CLERK, seed_counter_scratch


def test_the_scan_finds_card_numbers_however_written_and_nothing_else() -> None:
    assert luhn("4242424242424242") and not luhn("4242424242424241")
    text = ("visa 4242 4242 4242 4242, amex 378282246310005, mc 5555-5555-5555-4444; "
            "not: 4242424242424241, phone 254708374149, date 20191219102115, "
            "bill B-2026-000123, 1000-0001-7")
    assert card_numbers(text) == ["4242424242424242", "378282246310005", "5555555555554444"]


def test_no_table_holds_a_card_number(db: Database) -> None:
    scratch = seed_counter_scratch(db, 2)
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money.of("100", "USD"))
    post_payment(db, clerk, "C01", scratch.account_numbers[0],
                 [CardTender(Money.of("45.50", "USD"), "visa", "4242", "A1B2C3")], "k-card")
    hooks = Actor.job("webhooks")
    account = scratch.account_numbers[1]
    intake_event(db, hooks, succeeded("evt_1", "pi_1", account))
    intake_event(db, hooks, refund("evt_2", "pi_1", account))
    intake_event(db, hooks, succeeded("evt_3", "pi_3", account, kind=EventKind.OTHER))
    assert scan(db) == []
    with db.write() as s:  # the scan really reads the tables: a planted number is found
        s.add(Setting(key="planted", value='"card 4111 1111 1111 1111"'))
    assert scan(db) == ["settings: 4111111111111111"]


def scan(db: Database) -> list[str]:
    """Every card number in every text column of every table, as ``table: number``."""
    found: list[str] = []
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not texts:
                continue
            for row in s.execute(select(*texts)):
                for value in row:
                    if value:
                        found += [f"{table.name}: {n}" for n in card_numbers(str(value))]
    return found
