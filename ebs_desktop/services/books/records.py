"""What the books check reports: each problem named (journal, account, series, audit entry)
and, when all holds, a summary of what was proved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ebs_desktop.persistence.tx import DBAPIError

LIMIT = 20
"""Problems named per check; the rest are counted."""


@dataclass(frozen=True)
class BooksProblem:
    check: str
    """``journal``, ``balance``, ``payment``, ``series``, ``audit`` or ``check`` (a check
    that failed)."""
    subject: str
    """What is wrong: ``journal 12``, ``account 10000017``, ``series C01-2026``..."""
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass(frozen=True)
class SeriesSummary:
    code: str
    documents: int
    last: int


@dataclass(frozen=True)
class BooksReport:
    journals: int
    entries: int
    accounts: int
    series: tuple[SeriesSummary, ...]
    audit_entries: int
    audit_head: str
    problems: tuple[BooksProblem, ...]
    more: int = 0
    """Problems beyond the ones named (``LIMIT`` per check)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return (f"BOOKS DO NOT ADD UP: {len(self.problems) + self.more} problem(s) "
                    f"({', '.join(sorted({p.check for p in self.problems}))})")
        series = ", ".join(f"{s.code} 1-{s.last}" for s in self.series) or "none yet"
        return (f"books balanced: {self.journals:,} journals ({self.entries:,} entries) sum "
                f"to zero; {self.accounts:,} account balances and every cached total equal "
                f"their ledger; numbers gapless ({series}); audit chain intact "
                f"({self.audit_entries:,} entries, head {self.audit_head})")

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "summary": self.summary(), "journals": self.journals,
                "entries": self.entries, "accounts": self.accounts,
                "series": [{"code": s.code, "documents": s.documents, "last": s.last}
                           for s in self.series],
                "audit_entries": self.audit_entries, "audit_head": self.audit_head,
                "problems": [{"check": p.check, "subject": p.subject, "message": p.message}
                             for p in self.problems], "more_problems": self.more}


@dataclass
class Found:
    """Problems found so far; each check adds its rows (``LIMIT`` named, the rest counted)."""

    problems: list[BooksProblem] = field(default_factory=list)
    more: int = 0

    def add(self, check: str, rows: Sequence[Any],
            describe: Callable[[Any], tuple[str, str]]) -> None:
        for row in rows[:LIMIT]:
            subject, message = describe(row)
            self.problems.append(BooksProblem(check, subject, message))
        self.more += max(0, len(rows) - LIMIT)


def why(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
