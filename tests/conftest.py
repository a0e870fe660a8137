"""Shared fixtures: every persistence and service test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``EBS_TEST_PG_URL`` (default: postgres on 127.0.0.1:5432, trust).
Each test run creates its own database and drops it at the end. Without a server the
PostgreSQL variants skip with the reason shown; with ``CI=true`` they fail instead.

Every test that used a database fixture (``db``, ``db_url``, ``sqlite_db``) ends with the
books check (``ebs books check``: journals balance, cached balances equal the ledger,
numbers gapless, audit chain intact) on what it left; a failure shows as an error at
teardown naming each problem. Tests that break the books on purpose (tampering) say so
with ``@pytest.mark.books_broken``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.persistence.models import Base
from tests.books_check import assert_books_balanced_at

# Tests never touch the user's real data folder or a database named in the environment.
os.environ["EBS_DATA_DIR"] = tempfile.mkdtemp(prefix="ebs-test-data-")
os.environ.pop("EBS_DATABASE_URL", None)

PG_URL = os.environ.get("EBS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REPO = Path(__file__).resolve().parents[1]
REFERENCE_DATA = REPO / "tests" / "data" / "reference"


def _pg_unavailable_reason() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means "no server here"
        return f"PostgreSQL not reachable at {PG_URL}: {exc.__class__.__name__}"


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    reason = _pg_unavailable_reason()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    name = f"ebs_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_migrated_url(pg_server_url: str) -> str:
    db = open_database(pg_server_url)
    migrate.upgrade(db)
    db.dispose()
    return pg_server_url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    migrate.upgrade(db)
    db.dispose()
    return path


def _truncate_all(db: Database) -> None:
    """Empty every table and put the schema version back at head (a test may have moved it
    to pretend a newer or older program wrote the database)."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("UPDATE alembic_version SET version_num = :head"),
                     {"head": migrate.head_revision()})


def _books_check_after(request: pytest.FixtureRequest, url: str) -> None:
    if request.node.get_closest_marker("books_broken") is None:
        assert_books_balanced_at(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
           ) -> Iterator[str]:
    """URL of an empty, migrated database, on each backend in turn; the books check runs
    on it when the test ends."""
    if request.param == "sqlite":
        path = tmp_path / "ebs.sqlite3"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("pg_migrated_url")
        db = open_database(url)
        _truncate_all(db)
        db.dispose()
    yield url
    _books_check_after(request, url)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(request: pytest.FixtureRequest, pg_migrated_url: str) -> Iterator[Database]:
    """An empty, migrated PostgreSQL database, for what only PostgreSQL can show (several
    processes on one server); the books check runs on it when the test ends."""
    database = open_database(pg_migrated_url)
    _truncate_all(database)
    yield database
    database.dispose()
    _books_check_after(request, pg_migrated_url)


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
              ) -> Iterator[Database]:
    """SQLite only: for tests about SQLite itself (pragmas, file tampering)."""
    path = tmp_path / "ebs.sqlite3"
    shutil.copy(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    yield database
    database.dispose()
    _books_check_after(request, f"sqlite:///{path}")


@pytest.fixture(scope="session")
def reference_data() -> Path:
    """tests/data/reference: real telegrams, readouts, tariffs and bank statements.

    Copied from the shared reference data; its README names each file's source and licence.
    """
    if not REFERENCE_DATA.is_dir():
        pytest.fail(f"reference data not found at {REFERENCE_DATA}")
    return REFERENCE_DATA
