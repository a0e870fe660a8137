"""Files only this user reads (issue 17 point 13): data folder 0700, its files 0600.

Run with a permissive umask (022), as most desktops have: the modes must not depend on it.
The data folder is the fresh one platformdirs derives from ``XDG_DATA_HOME``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from ebs_desktop.cli.main import cli
from ebs_desktop.config import data_dir, default_database_url
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.persistence.models import Receipt

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def fresh_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No EBS_DATA_DIR: the platform's data folder under a new XDG_DATA_HOME; umask 022;
    the working folder is an empty one, to see that nothing lands there."""
    monkeypatch.delenv("EBS_DATA_DIR", raising=False)
    monkeypatch.delenv("EBS_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    old = os.umask(0o022)
    try:
        yield cwd
    finally:
        os.umask(old)


def ebs(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env={"EBS_USER": None, "EBS_PASSWORD": None},
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_fresh_data_folder_database_and_demo_receipts_are_private(fresh_home: Path) -> None:
    folder = data_dir()
    assert folder == fresh_home.parent / "xdg" / "ebs-desktop" and not folder.exists()
    ebs("db", "upgrade")
    ebs("demo", "--customers", "3", "--months", "2", "--until", "2026-03")
    db = open_database(default_database_url())
    try:
        with db.read() as s:
            number = s.scalar(select(Receipt.number).where(Receipt.series.like("C01-%"))
                              .limit(1))
        assert number is not None
        ebs("receipt", "reprint", number)  # the demo's file printer of counter C01
        with db.read() as s:  # a connection is open: the -wal and -shm files exist
            s.scalar(select(Receipt.id).limit(1))
            files = sorted(p.name for p in folder.iterdir())
            assert {"ebs.sqlite3", "ebs.sqlite3-wal", "ebs.sqlite3-shm",
                    "receipts-c01.bin"} <= set(files)
            modes = {name: oct(mode(folder / name)) for name in files}
    finally:
        db.dispose()
    assert oct(mode(folder)) == "0o700"
    assert modes == {name: "0o600" for name in files}
    assert number.encode() in (folder / "receipts-c01.bin").read_bytes()
    assert list(fresh_home.iterdir()) == []  # nothing in the folder the program ran from


def test_an_older_installation_is_closed_on_the_next_start(fresh_home: Path) -> None:
    folder = data_dir()
    folder.mkdir(parents=True, mode=0o755)
    os.chmod(folder, 0o755)
    ebs("db", "upgrade")
    os.chmod(folder, 0o755)
    os.chmod(folder / "ebs.sqlite3", 0o644)  # as version 0.1 left them
    ebs("db", "info")
    assert (oct(mode(folder)), oct(mode(folder / "ebs.sqlite3"))) == ("0o700", "0o600")


def test_a_named_database_gets_private_new_folders_and_file(fresh_home: Path) -> None:
    shared = fresh_home.parent / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    path = shared / "new" / "deeper" / "office.sqlite3"
    ebs("--db", str(path), "db", "upgrade")
    assert oct(mode(path)) == "0o600"
    assert oct(mode(path.parent)) == oct(mode(path.parent.parent)) == "0o700"
    assert oct(mode(shared)) == "0o755"  # a folder someone else made keeps its mode
