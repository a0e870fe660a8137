"""Folders and files only this OS user may read: the data folder 0700, its files 0600.

Why: the SQLite database holds password hashes and every customer's name, address and
account; a receipt spool holds names and amounts. Created with the usual umask (022) they
would be readable by every account on the PC. Modes are set explicitly after creating
(``chmod``/``fchmod``), so they do not depend on the umask of whoever starts the program.

Only what EBS creates is tightened, plus the data folder itself (EBS's own folder, so an
installation made by an older version is closed on its next start). A folder or a file
someone named (``--db /srv/shared/ebs.sqlite3`` on a group share) keeps the mode it has.
SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so a database
created here keeps all three private. On Windows these are no-ops: the per-user profile
folders are already private by their ACLs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ebs_desktop import config

DIR_MODE = 0o700
FILE_MODE = 0o600
POSIX = os.name == "posix"


def make_private_dirs(path: Path) -> Path:
    """Create ``path`` and any missing parents, each new one 0700; existing ones untouched."""
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made by another process meanwhile
        if POSIX:
            os.chmod(folder, DIR_MODE)
    return path


def tighten(path: Path, mode: int) -> None:
    """Take group and other access away from ``path`` if it is ours and has some."""
    if not POSIX:
        return
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, stat.S_IMODE(info.st_mode) & mode)


def private_data_dir() -> Path:
    """The data folder (see :func:`config.data_dir`), existing and 0700."""
    folder = make_private_dirs(config.data_dir())
    tighten(folder, DIR_MODE)
    return folder


def is_in_data_dir(path: Path) -> bool:
    try:
        path.resolve().relative_to(config.data_dir().resolve())
    except ValueError:
        return False
    return True


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists; True if it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        if POSIX:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True


def prepare_sqlite_file(path: Path) -> None:
    """Before SQLite opens ``path``: its folder exists (new folders 0700), a new database
    file is created 0600 (SQLite's own default is 0644 less the umask), and in the data
    folder the folder and the database with its ``-wal``/``-shm`` are made private."""
    make_private_dirs(path.parent)
    create_private_file(path)
    if is_in_data_dir(path):
        private_data_dir()
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            tighten(path.with_name(name), FILE_MODE)
