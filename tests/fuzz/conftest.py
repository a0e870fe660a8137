"""Fixtures of the fuzz suite: one database per entry point, users that sign in cheaply.

Why cheaper password hashing here: every CLI case signs in (``--user``), as a clerk must
on PostgreSQL, and Argon2 at the production cost takes ~80 ms per sign-in: 1,000 cases
would spend minutes hashing. The fuzz users are created and verified through the same
code (``services.passwords``) with the minimum Argon2 parameters; what is under test is
the money path, not the hash cost.

Why a memory ceiling: an input such as ``25E+8700050742`` formatted with ``f"{value:f}"``
asks for billions of digits; the fuzz suite once took 23 GB and the kernel killed it. Each
fuzz test runs with the address space capped at 3 GB above what the process already uses,
so such a case fails as a ``MemoryError`` naming its input instead of taking the machine.

Why the SQLite files live in /dev/shm when there is one: every posting commits with
``synchronous = FULL``, and a thousand fsyncs to a shared disk cost more than the rest of
a case. The books check runs on each fuzz database at the end, as on every test database.
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.models import Base
from ebs_desktop.services import passwords
from tests.books_check import assert_books_balanced_at

FAST_DIR = Path("/dev/shm") if Path("/dev/shm").is_dir() else None


MEMORY_HEADROOM = 3 << 30


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture(autouse=True)
def memory_ceiling() -> Iterator[None]:
    """Cap the address space while a fuzz test runs (Linux; elsewhere nothing)."""
    if not Path("/proc/self/statm").exists():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY
                                            else min(cap, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def sqlite_file(sqlite_template: Path) -> Iterator[tuple[str, Database]]:
    """A migrated SQLite file for one fuzz test (its URL and the open database)."""
    with tempfile.TemporaryDirectory(prefix="ebs-fuzz-", dir=FAST_DIR) as folder:
        path = Path(folder) / "fuzz.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
        db = open_database(url)
        yield url, db
        db.dispose()
        assert_books_balanced_at(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def fuzz_db(request: pytest.FixtureRequest, sqlite_template: Path) -> Iterator[Database]:
    """An empty migrated database for one fuzz test, on each backend in turn."""
    if request.param == "sqlite":
        sqlite: tuple[str, Database] = request.getfixturevalue("sqlite_file")
        yield sqlite[1]
        return
    url: str = request.getfixturevalue("pg_migrated_url")
    db = open_database(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE alembic_version SET version_num = :head"),
                     {"head": migrate.head_revision()})
    yield db
    db.dispose()
    assert_books_balanced_at(url)
