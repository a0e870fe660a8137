"""A customer's own quiet hours for SMS (both backends): checked like every preference,
kept per account, and honoured by the sender for that account only; the utility's window
still applies to everyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from ebs_desktop.devices.delivery import Sent
from ebs_desktop.domain.cash import CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Customer, OutboxMessage
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.services.account_prefs import PreferencesChange, check_quiet_hours
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.counter import open_shift, post_payment, reverse_payment
from ebs_desktop.services.facade import StaffServices, SystemServices
from ebs_desktop.services.notify.sender import Transports
from tests.support.counter_scratch import CLERK, SUPERVISOR, seed_counter_scratch

OPERATOR = system_actor("test")


class RecordingSms:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, to: str, text: str, client_ref: str) -> Sent:
        self.sent.append(to)
        return Sent(provider_id=f"sms-{len(self.sent)}")

    def close(self) -> None:
        pass


class NoEmail:
    def send(self, *args: object, **kwargs: object) -> Sent:
        return Sent(provider_id="mail")

    def close(self) -> None:
        pass


@pytest.mark.parametrize(("quiet", "where", "message"), [
    (("25:00", "07:00"), "quiet_from", "is not a time of day"),
    (("22:00", ""), "quiet_to", "both the start and the end"),
    (("07:00", "7:00"), "quiet_to", "two different times"),
])
def test_quiet_hours_are_checked(quiet: tuple[str, str], where: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        check_quiet_hours(quiet)
    assert caught.value.location == where
    assert check_quiet_hours(("", "")) is None
    assert check_quiet_hours(("9:05", "17:30")) == ("09:05", "17:30")


def test_the_sender_holds_the_sms_of_a_customer_in_their_own_quiet_hours(
        db: Database) -> None:
    scratch = seed_counter_scratch(db, 3)
    quiet_one, other = scratch.account_numbers[:2]
    with db.write() as s:  # SMS only, and no utility window
        s.execute(update(Customer).values(email=None))
        settings_store.store_value(s, "sms.quiet_start", '"00:00"')
        settings_store.store_value(s, "sms.quiet_end", '"00:00"')
    clerk = login(db, *CLERK)
    open_shift(db, clerk, "C01", Money.of("100", "USD"))
    for i, number in enumerate((quiet_one, other)):
        paid = post_payment(db, clerk, "C01", number, [CashTender(Money.of("20", "USD"))],
                            f"k-{i}")
        reverse_payment(db, clerk, paid.receipt_number, "cheque bounced", *SUPERVISOR)
    now = datetime.now(UTC)
    window = (f"{now - timedelta(hours=1):%H:%M}", f"{now + timedelta(hours=2):%H:%M}")
    staff = StaffServices(db, OPERATOR).accounts
    staff.set_preferences(quiet_one, PreferencesChange(quiet_hours=window))
    assert staff.preferences(quiet_one).quiet_hours == window
    assert staff.preferences(other).quiet_hours is None
    sms = RecordingSms()
    summary = SystemServices(db, Actor.job("notifier")).send_notifications(
        transports=Transports(email=NoEmail, sms=lambda: sms))  # type: ignore[arg-type]
    assert summary.postponed >= 1
    with db.read() as s:
        phones = dict(s.execute(select(Account.account_number, Customer.phone)
                                .join(Customer, Customer.id == Account.customer_id)).all())
        held = s.execute(select(OutboxMessage.recipient, OutboxMessage.next_attempt_at)
                         .where(OutboxMessage.channel == "sms",
                                OutboxMessage.status == "pending")).all()
    assert phones[other] in sms.sent and phones[quiet_one] not in sms.sent
    assert held and {to for to, _at in held} == {phones[quiet_one]}
    assert all(at.replace(tzinfo=UTC) > now + timedelta(minutes=100) for _to, at in held)
    # the window removed: it goes
    staff.set_preferences(quiet_one, PreferencesChange(quiet_hours=("", "")))
    with db.write() as s:
        s.execute(update(OutboxMessage).where(OutboxMessage.status == "pending")
                  .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
    SystemServices(db, Actor.job("notifier")).send_notifications(
        transports=Transports(email=NoEmail, sms=lambda: sms))  # type: ignore[arg-type]
    assert phones[quiet_one] in sms.sent


def test_the_command_line_sets_and_shows_the_quiet_hours(sqlite_db: Database) -> None:
    from click.testing import CliRunner

    from ebs_desktop.cli.main import cli

    scratch = seed_counter_scratch(sqlite_db, 1)
    number = scratch.account_numbers[0]
    url = str(sqlite_db.engine.url)
    env: dict[str, str | None] = {"EBS_USER": None, "EBS_PASSWORD": None}

    def ebs(*args: str) -> str:
        done = CliRunner().invoke(cli, ["--db", url, "account", "prefs", number, *args],
                                  env=env)
        return done.output + (f"[exit {done.exit_code}]" if done.exit_code else "")

    assert "SMS quiet hours    (the utility's only)" in ebs()
    assert "SMS quiet hours    22:00-06:30" in ebs("--quiet-hours", "22:00-6:30")
    assert "quiet_to: the quiet hours start and end at 22:00" in ebs("--quiet-hours",
                                                                     "22:00-22:00")
    assert "[exit" in ebs("--quiet-hours", "22:00")
    assert StaffServices(sqlite_db, OPERATOR).accounts.preferences(number).quiet_hours == (
        "22:00", "06:30")
    assert "(the utility's only)" in ebs("--quiet-hours", "")
