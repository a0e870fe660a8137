"""Issue 20, point 3: settings from the command line and the admin screen.

Every documented key is listed with its value; a value is checked before it is stored and
a refusal names the key and the value; changes are audited; secrets go to the OS keyring
(here a keyring backend held in memory: the one thing this machine has no real one of),
never the database, and are refused where no secure keyring exists."""

from __future__ import annotations

from typing import ClassVar

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from ebs_desktop.cli.main import cli
from ebs_desktop.errors import ConfigError, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Setting
from ebs_desktop.services import notify_settings as ns
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.facade import StaffServices, SystemServices

ADMIN = system_actor("test")
CLERK = Actor(None, "clerk", frozenset({"clerk"}))
NOTIFIER = Actor.job("notifier")


def test_defaults_listed_and_changes_checked_stored_and_audited(db: Database) -> None:
    listed = {s.key: s for s in ns.list_settings(db, CLERK)}
    for key in ("smtp.host", "smtp.port", "smtp.security", "smtp.user", "smtp.from",
                "sms.provider", "sms.url", "sms.system_id", "sms.sender", "sms.quiet_start",
                "sms.quiet_end", "notify.country", "utility_name", "bill_due_days"):
        assert key in listed and listed[key].is_default and listed[key].help
    assert listed["smtp.security"].choices == ("none", "starttls", "tls")
    changed = ns.set_settings(db, ADMIN, {"smtp.host": "mail.riverside.test",
                                          "smtp.port": "587", "smtp.security": "STARTTLS",
                                          "sms.quiet_start": "9:30", "bill_due_days": "20",
                                          "sms.url": "smpp://smsc.example.com:2775",
                                          "sms.segment_price": "0.0075"})
    assert {c.key: c.value for c in changed} == {
        "smtp.host": "mail.riverside.test", "smtp.port": 587, "smtp.security": "starttls",
        "sms.quiet_start": "09:30", "bill_due_days": 20,
        "sms.url": "smpp://smsc.example.com:2775", "sms.segment_price": "0.0075"}
    current = ns.current_notify_settings(db, CLERK)
    assert (current.smtp_host, current.smtp_port, current.smtp_security) == (
        "mail.riverside.test", 587, "starttls")
    assert current.quiet_hours[0].hour == 9 and current.quiet_hours[0].minute == 30
    assert ns.get_setting(db, CLERK, "bill_due_days").value == 20
    with db.read() as s:
        last = s.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert last is not None and last.action == "settings.edit"
        assert '"smtp.port":25' in (last.before or "") and '"smtp.port":587' in (
            last.after or "")
    # the same value again changes nothing and writes no audit entry
    assert ns.set_settings(db, ADMIN, {"smtp.port": "587"}) == []


@pytest.mark.parametrize(("key", "typed", "words"), [
    ("smtp.port", "99999", "setting smtp.port: '99999' is outside 1..65535"),
    ("smtp.port", "smtp", "setting smtp.port: 'smtp' is not a whole number"),
    ("smtp.security", "ssl", "setting smtp.security: 'ssl' is not one of none, starttls, tls"),
    ("smtp.from", "bills at riverside", "setting smtp.from: 'bills at riverside' is not an "
                                        "address mail can come from"),
    ("sms.provider", "pigeon", "'pigeon' is not one of http, smpp"),
    ("sms.url", "ftp://gw.example.com", "'ftp://gw.example.com' is not an https:// address"),
    ("sms.url", "smpp://smsc.example.com:0", "is not an https:// address"),
    ("sms.quiet_end", "25:00", "'25:00' is not a time of day HH:MM"),
    ("sms.sender", "Riverside Electric", "an alphanumeric sender is at most 11"),
    ("notify.country", "Narnia", "'Narnia' is not a country code"),
    ("notify.check_email_domain", "maybe", "'maybe' is not true or false"),
    ("notify.dns_server", "ns.example.com", "is not an IP address"),
    ("smtp.hots", "x", "unknown setting 'smtp.hots'"),
    ("smtp.password", "x", "smtp.password is a secret: use 'ebs settings secret"),
    ("currency", "EURO", "EURO"),
])
def test_a_wrong_value_is_refused_naming_key_and_value(db: Database, key: str, typed: str,
                                                       words: str) -> None:
    with pytest.raises(ValidationError) as info:
        ns.set_settings(db, ADMIN, {key: typed, "smtp.host": "changed.example.com"})
    assert words in str(info.value)
    # nothing at all was stored: the good change beside it neither
    with db.read() as s:
        assert s.get(Setting, "smtp.host") is None


def test_only_an_administrator_changes_settings(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        ns.set_settings(db, CLERK, {"smtp.host": "x.example.com"})
    with pytest.raises(PermissionDenied):
        ns.set_secret(db, CLERK, "smtp.password", "pw")
    with pytest.raises(PermissionDenied):
        StaffServices(db, CLERK).settings.set_setting("smtp.host", "x.example.com")


class MemoryKeyring:
    """A keyring backend held in memory (the OS keyring's stand-in on a headless machine)."""

    store: ClassVar[dict[tuple[str, str], str]] = {}


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    import keyring
    from keyring.backend import KeyringBackend

    class Backend(KeyringBackend):
        priority = 10  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return MemoryKeyring.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            MemoryKeyring.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            MemoryKeyring.store.pop((service, username), None)

    MemoryKeyring.store = {}
    previous = keyring.get_keyring()
    keyring.set_keyring(Backend())
    yield MemoryKeyring.store
    keyring.set_keyring(previous)


def test_a_secret_goes_to_the_keyring_only(db: Database,
                                           memory_keyring: dict[tuple[str, str], str]) -> None:
    assert [s.stored for s in ns.secret_states(db, ADMIN)] == [False, False, False, False]
    ns.set_secret(db, ADMIN, "smtp.password", "pa55-word")
    entry = ("ebs-desktop", f"smtp.password@{db.display_name}")
    assert memory_keyring == {entry: "pa55-word"}
    assert {s.key: s.stored for s in ns.secret_states(db, ADMIN)}["smtp.password"]
    with db.read() as s:
        stored = " ".join(f"{r.key}={r.value}" for r in s.scalars(select(Setting)))
        entries = " ".join(f"{e.before} {e.after}" for e in s.scalars(select(AuditEntry)))
    assert "pa55-word" not in stored and "pa55-word" not in entries
    assert "smtp.password" in entries
    job = SystemServices(db, NOTIFIER)
    assert job.notify_secret("smtp.password") == "pa55-word"
    assert job.notify_settings().smtp_port == 25
    with pytest.raises(PermissionDenied):  # an administrator cannot read it back
        ns.secret_value(db, ADMIN, "smtp.password")
    with pytest.raises(ValidationError, match="is a secret"):
        ns.get_setting(db, ADMIN, "smtp.password")
    with pytest.raises(ValidationError, match=r"'smtp\.host' is not a secret"):
        ns.set_secret(db, ADMIN, "smtp.host", "x")


def test_no_secure_keyring_refuses_the_secret(db: Database,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    with pytest.raises(ConfigError, match="never written to the database or a file"):
        ns.set_secret(db, ADMIN, "sms.token", "t0ken")
    with db.read() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "settings.secret")) is None


def test_the_command_line(db: Database, db_url: str,
                          memory_keyring: dict[tuple[str, str], str]) -> None:
    def ebs(*args: str, stdin: str | None = None) -> tuple[int, str]:
        done = CliRunner().invoke(cli, ["--db", db_url, *args], input=stdin,
                                  env={"EBS_USER": None, "EBS_PASSWORD": None})
        return done.exit_code, done.output

    code, out = ebs("settings", "set", "smtp.security", "tls")
    assert (code, out) == (0, "smtp.security = tls\n")
    assert ebs("settings", "get", "smtp.security") == (0, "tls\n")
    code, out = ebs("settings", "set", "smtp.port", "0")
    assert code == 1 and "setting smtp.port: '0' is outside 1..65535" in out
    assert "Traceback" not in out
    code, out = ebs("settings", "list")
    assert code == 0 and "* smtp.security" in out and "  smtp.port" in out
    assert "smtp.password" in out and "(never shown)" in out
    code, out = ebs("settings", "list", "--json")
    assert code == 0 and '"smtp.security": "tls"' in out
    code, out = ebs("settings", "secret", "sms.token", stdin="gateway-token\n")
    assert (code, out) == (0, "sms.token stored in the OS keyring\n")
    assert list(memory_keyring.values()) == ["gateway-token"]
    code, out = ebs("settings", "secret", "smtp.host", stdin="x\n")
    assert code == 1 and "'smtp.host' is not a secret" in out
