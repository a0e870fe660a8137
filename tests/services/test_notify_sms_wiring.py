"""The sender takes its SMS provider from the settings and the keyring: an HTTP gateway
(a real server in the test) gets the message with the token kept by `ebs settings secret`
and the outbox key as its client reference."""

from __future__ import annotations

from sqlalchemy import select

from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import OutboxMessage
from ebs_desktop.services import notify_settings as ns
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.facade import SystemServices
from ebs_desktop.services.notify.sender import transports_from_settings
from tests.devices.test_sms_http import TOKEN, Gateway, gateway
from tests.services.test_notify_settings import memory_keyring
from tests.support.counter_scratch import CLERK, seed_counter_scratch

__all__ = ["gateway", "memory_keyring"]  # fixtures used here by name
ADMIN = system_actor("test")
JOB = Actor.job("notifier")


def test_a_payment_is_texted_through_the_configured_gateway(
        db: Database, gateway: tuple[Gateway, str],
        memory_keyring: dict[tuple[str, str], str]) -> None:
    state, url = gateway
    scratch = seed_counter_scratch(db, 1)  # a customer with a phone and no email
    ns.set_settings(db, ADMIN, {"sms.provider": "http", "sms.url": url,
                                "sms.sender": "RIVERSIDE", "sms.quiet_start": "00:00",
                                "sms.quiet_end": "00:00"})
    ns.set_secret(db, ADMIN, "sms.token", TOKEN)
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money.of("100", "USD"))
    post_payment(db, clerk, "C01", scratch.account_numbers[0],
                 [CashTender(Money.of("50", "USD"))], "k-sms", amount=Money.of("45.50", "USD"))
    transports = transports_from_settings(db, JOB)
    assert transports.sms is not None
    summary = SystemServices(db, JOB).send_notifications(transports=transports,
                                                         channel="sms")
    assert summary.sent == 1
    ((headers, body),) = state.requests
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert body["to"] == "+15550000001" and "$45.50" in body["text"]
    with db.read() as s:
        row = s.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status,
                               OutboxMessage.provider_id)).one()
    assert tuple(row) == (body["client_ref"], "sent", "gw-1")
