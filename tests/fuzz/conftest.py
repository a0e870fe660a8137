"""Fixtures of the fuzz suite: one database per entry point, users that sign in cheaply.

Why cheaper password hashing here: every CLI case signs in (``--user``), as a clerk must
on PostgreSQL, and Argon2 at the production cost takes ~80 ms per sign-in: 1,000 cases
would spend minutes hashing. The fuzz users are created and verified through the same
code (``services.passwords``) with the minimum Argon2 parameters; what is under test is
the money path, not the hash cost.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services import passwords
from tests.books_check import assert_books_balanced_at


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def sqlite_file(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[str, Database]]:
    """A migrated SQLite file for one fuzz test (its URL and the open database); the books
    check runs on it at the end, as on every test database."""
    path = tmp_path / "fuzz.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    db = open_database(url)
    yield url, db
    db.dispose()
    assert_books_balanced_at(url)
