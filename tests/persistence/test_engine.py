"""How the database is opened: SQLite pragmas, write locking, network shares, passwords."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import text

from ebs_desktop.errors import ConfigError
from ebs_desktop.persistence import engine as engine_mod
from ebs_desktop.persistence import secrets
from ebs_desktop.persistence.engine import Database, open_database


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_foreign_keys_are_enforced(sqlite_db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), sqlite_db.write() as s:
        s.execute(text("INSERT INTO user_roles (user_id, role) VALUES (999, 'clerk')"))


WRITER = """
import sys
from sqlalchemy import text
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.numbering import take_number
db = open_database(sys.argv[1])
errors = 0
for _ in range(int(sys.argv[2])):
    try:
        with db.write() as s:
            take_number(s, "TEST", "T-")
            # read, then write, in one transaction: what fails with "database is locked"
            # under a deferred BEGIN
            s.execute(text("SELECT next_value FROM number_series"))
            take_number(s, "TEST", "T-")
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
print(errors)
"""


def test_several_processes_write_without_database_is_locked(sqlite_db: Database) -> None:
    url = str(sqlite_db.engine.url)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, "150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert [out.strip() for out, _err in outputs] == ["0"] * 4, outputs
    with sqlite_db.read() as s:
        assert s.execute(text("SELECT next_value FROM number_series WHERE code = 'TEST'")
                         ).scalar() == 4 * 150 * 2 + 1


def test_sqlite_on_a_network_share_is_refused(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setattr(engine_mod, "_mount_fs_type", lambda _p: "cifs")
    with pytest.raises(ConfigError, match=r"network share.*PostgreSQL"):
        open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with pytest.raises(ConfigError, match="network share"):
        open_database("sqlite:////" + "/server/share/ebs.sqlite3")


def test_mount_table_lookup_finds_the_longest_mount(tmp_path: Path) -> None:
    fs = engine_mod._mount_fs_type(tmp_path)
    assert fs is not None and fs not in {"cifs", "nfs"}
    assert not engine_mod.is_network_path(tmp_path / "ebs.sqlite3")


def test_password_in_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="keyring"):
        secrets.with_password("postgresql+psycopg://u:secret@db.example:5432/ebs")


def test_no_secure_keyring_asks_each_time(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert not secrets.secure_keyring_available()
    url = secrets.with_password("postgresql+psycopg://clerk@db.example:5432/ebs",
                                prompt=lambda _msg: "typed", interactive=True)
    assert url.password == "typed"
    assert "asked for at each start" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="no secure OS keyring"):
        secrets.store_password("postgresql+psycopg://clerk@db.example:5432/ebs", "pw")


def test_secure_keyring_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 10  # type: ignore[assignment]
        store: ClassVar[dict[tuple[str, str], str]] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    monkeypatch.setattr(keyring, "get_keyring", lambda: MemoryKeyring())
    monkeypatch.setattr(keyring, "set_password", MemoryKeyring().set_password)
    monkeypatch.setattr(keyring, "get_password", MemoryKeyring().get_password)
    secrets.store_password("postgresql+psycopg://clerk@db.example:5432/ebs", "s3cret")
    url = secrets.with_password("postgresql+psycopg://clerk@db.example:5432/ebs",
                                interactive=False)
    assert url.password == "s3cret"
    assert MemoryKeyring.store == {("ebs-desktop", "clerk@db.example:5432/ebs"): "s3cret"}
