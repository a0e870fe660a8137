"""Declarative base, naming convention and small column helpers shared by every model.

Constraint names follow one convention so Alembic migrations are stable and readable on
both SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, mapped_column
from sqlalchemy.orm.properties import MappedColumn

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


def money_column(*, nullable: bool = False, default: int | None = None) -> MappedColumn[int]:
    """Integer minor units of the utility's currency."""
    return mapped_column(BigInteger, nullable=nullable, default=default)


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """CHECK that a text column holds one of a fixed set of codes.

    Written as ``col = 'a' OR col = 'b' ...``, not ``col IN (...)``: SQLite builds a
    temporary index of an IN list of more than two constants for every row it checks,
    3-4 us per row per constraint (see migration 0002)."""
    return CheckConstraint(" OR ".join(f"{column} = '{v}'" for v in values), name=name)
