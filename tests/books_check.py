"""The books check after a test: what the suite asks of every database a test leaves.

``tests/conftest.py`` runs it when a test that used the ``db``, ``db_url`` or
``sqlite_db`` fixture ends (tests marked ``books_broken`` break the books on purpose and
are left out); tests with their own databases (the SIGKILL tests) call it at the end.
"""

from __future__ import annotations

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.books import check_books


def assert_books_balanced(db: Database) -> None:
    """Fail naming every problem ``ebs books check`` would name."""
    report = check_books(db, system_actor("books-check"))
    assert report.ok, "\n".join([report.summary(), *map(str, report.problems)])


def assert_books_balanced_at(url: str) -> None:
    """The same for a database URL; a database not at this program's schema (a migration
    test left it elsewhere) has no books this program can read and is skipped."""
    db = open_database(url)
    try:
        if migrate.current_revision(db) == migrate.head_revision():
            assert_books_balanced(db)
    finally:
        db.dispose()


def books_problems(db: Database) -> list[str]:
    """Every problem ``ebs books check`` names, as sentences (empty when the books add up)."""
    return [str(p) for p in check_books(db, system_actor("books-check")).problems]
