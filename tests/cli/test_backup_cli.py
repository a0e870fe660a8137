"""``ebs db backup`` and ``ebs db restore`` through the real ``ebs`` script, on a SQLite
demo database."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.demo.build import build_demo
from tests.books_check import assert_books_balanced

EBS = Path(sys.executable).parent / "ebs"


def ebs(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EBS_USER": "", "EBS_PASSWORD": "", "EBS_DATABASE_URL": "",
           "EBS_DATA_DIR": str(data_dir)}
    return subprocess.run([str(EBS), *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_backup_then_restore_into_a_new_file(tmp_path: Path) -> None:
    source = tmp_path / "office.sqlite3"
    db = open_database(f"sqlite:///{source}")
    migrate.upgrade(db)
    build_demo(db, customers=10, months=2, until="2026-02", workers=0)
    db.dispose()
    data = tmp_path / "data"

    done = ebs("--db", str(source), "db", "backup", "--to", str(tmp_path / "kept"),
               data_dir=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("backup written: ")
    files = list((tmp_path / "kept").iterdir())
    assert len(files) == 1 and files[0].name.startswith("ebs-manual-")
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert str(files[0]) in done.stdout

    target = tmp_path / "restored.sqlite3"
    done = ebs("db", "restore", str(files[0]), "--to", str(target), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert "books check: the books balance" in done.stdout
    restored = open_database(f"sqlite:///{target}")
    try:
        assert_books_balanced(restored)
    finally:
        restored.dispose()

    again = ebs("db", "restore", str(files[0]), "--to", str(target), data_dir=data)
    assert again.returncode != 0
    assert "holds a database already" in again.stderr and "Traceback" not in again.stderr
    into_source = ebs("--db", str(source), "db", "restore", str(files[0]), data_dir=data)
    assert into_source.returncode != 0 and "new database only" in into_source.stderr

    default_folder = ebs("--db", str(source), "db", "backup", data_dir=data)
    assert default_folder.returncode == 0, default_folder.stderr
    assert [p.parent for p in (data / "backups").iterdir()] == [data / "backups"]
