"""Finding an account by every key the counter uses, on both backends."""

from __future__ import annotations

from sqlalchemy import text

from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.reports.payment_code import payment_barcode_value, payment_qr_payload
from ebs_desktop.services.accounts import find_accounts
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.demo import build_demo

ACTOR = system_actor("test")


def test_every_key_finds_the_account(db: Database) -> None:
    build_demo(db, customers=25, months=2, until="2026-06", seed=3)
    with db.read() as s:
        number, name, phone, serial = s.execute(text(
            "SELECT a.account_number, c.name, c.phone, m.serial FROM accounts a "
            "JOIN customers c ON c.id = a.customer_id JOIN premises p ON p.account_id = a.id "
            "JOIN meter_installations mi ON mi.premise_id = p.id "
            "JOIN meters m ON m.id = mi.meter_id WHERE a.id = 7")).one()

    def numbers(query: str) -> list[str]:
        return [a.account_number for a in find_accounts(db, ACTOR, query)]

    assert numbers(number) == [number]
    assert numbers(serial) == [number]
    assert numbers(serial.lower()) == [number]
    assert numbers(phone) == [number]
    assert numbers(f"{phone[:2]} {phone[2:5]} {phone[5:]}") == [number]
    assert number in numbers(name[:4])
    amount = Money.of("12.34", "USD")
    assert numbers(payment_barcode_value(number, "B2026-0000001", amount)) == [number]
    assert numbers(payment_qr_payload(number, "B2026-0000001", amount)) == [number]
    assert numbers(f"EBS|{number}|B2026-0000001|12.34") == [number]
    assert numbers("zzzz-nobody") == []
