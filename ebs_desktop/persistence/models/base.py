"""Declarative base, naming convention and small column helpers shared by every model.

Constraint names follow one convention so Alembic migrations are stable and readable on
both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    event,
)
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.orm.properties import MappedColumn

from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_TOTAL_MINOR

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Primary key for high-volume tables: BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer, "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at() -> MappedColumn[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


#: Money columns that hold running totals (bounded by MAX_TOTAL_MINOR); every other money
#: column holds one amount (MAX_AMOUNT_MINOR). A billing batch's SALES entry sums its bills,
#: a statement balance sums a bank account's history.
TOTAL_COLUMNS = frozenset({
    "accounts.balance_minor", "billing_runs.total_minor", "ledger_entries.amount_minor",
    "bank_statements.opening_minor", "bank_statements.closing_minor",
})


def money_checks(table: str, column: str) -> tuple[tuple[str, str, str], ...]:
    """The CHECKs of a money column as (name suffix, SQL, dialect or "" for every dialect).

    ``_range``: within +/- the ceiling (an amount's or a total's, see domain.money).
    ``_integer`` (SQLite only): the value is stored as an integer. SQLite turns an integer
    overflow in ``balance_minor + :d`` into a float and stores it in a BIGINT column; on
    PostgreSQL a BIGINT is always an integer and an overflow is an error. A REAL that
    SQLite keeps as REAL in an INTEGER column has a fraction (``1.5 <> 1``) or lies beyond
    64 bits (the range refuses it); text and blobs fail the range. NULL passes both.

    Written as comparisons, which cost 11 and 17 ns per row and column on SQLite 3.40
    (``typeof(x) = 'integer'`` costs 45 ns: a function call; an IN list far more, see
    migration 0002). Migration 0004 writes the same texts from its own frozen copy: change
    both together.
    """
    ceiling = MAX_TOTAL_MINOR if f"{table}.{column}" in TOTAL_COLUMNS else MAX_AMOUNT_MINOR
    return ((f"{column}_range", f"{column} BETWEEN -{ceiling} AND {ceiling}", ""),
            (f"{column}_integer", f"{column} = CAST({column} AS INTEGER)", "sqlite"))


def _add_money_checks(column: Column[int], table: Table) -> None:
    for suffix, sql, dialect in money_checks(table.name, column.name):
        check = CheckConstraint(sql, name=suffix)
        table.append_constraint(check.ddl_if(dialect=dialect) if dialect else check)


def money_column(*, nullable: bool = False, default: int | None = None) -> MappedColumn[int]:
    """Integer minor units of the utility's currency, with the CHECKs of
    :func:`money_checks` added to its table (named ``ck_<table>_<column>_range`` and
    ``..._integer``)."""
    mapped = mapped_column(BigInteger, nullable=nullable, default=default,
                           info={"money": True})
    event.listen(mapped.column, "after_parent_attach", _add_money_checks)
    return mapped


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """CHECK that a text column holds one of a fixed set of codes.

    Written as ``col = 'a' OR col = 'b' ...``, not ``col IN (...)``: SQLite builds a
    temporary index of an IN list of more than two constants for every row it checks,
    3-4 us per row per constraint (see migration 0002)."""
    return CheckConstraint(" OR ".join(f"{column} = '{v}'" for v in values), name=name)
