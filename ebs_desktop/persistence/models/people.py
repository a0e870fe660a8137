"""Users (staff), customers, accounts and account notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, BigId, created_at, money_column, one_of
from ebs_desktop.persistence.models.codes import ACCOUNT_STATUSES, CATEGORIES, ROLES


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),
        CheckConstraint("length(username) > 0", name="username_not_empty"),
    )


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    __table_args__ = (one_of("role", ROLES, "role_known"),)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Lower-cased copy of the name: a plain index serves prefix search on both backends.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = created_at()


class CustomerWord(Base):
    """One folded word of a customer's name or address (see
    :mod:`ebs_desktop.domain.search_words`): the search by any word. The primary key
    (word, customer) serves "customers with a word starting with ..."; the second index
    (customer, word) serves "does this customer also have ..." and rewriting a customer's
    words. On PostgreSQL the words compare byte-wise (collation C), so a prefix is a range."""
    __tablename__ = "customer_words"

    word: Mapped[str] = mapped_column(
        String(64).with_variant(String(64, collation="C"), "postgresql"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)

    __table_args__ = (Index("ix_customer_words_customer", "customer_id", "word"),)


class BillingCycle(Base):
    __tablename__ = "billing_cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    read_day: Mapped[int] = mapped_column(Integer)

    # Day of the month the meters are read; 31 means the month's last day in every month.
    __table_args__ = (CheckConstraint("read_day BETWEEN 1 AND 31", name="read_day_range"),)


class Route(Base):
    __tablename__ = "routes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("billing_cycles.id"))
    reader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Account(Base):
    """A customer's service account: what bills, payments and the ledger hang on.

    ``balance_minor`` is a cache of the account's AR ledger entries, updated in the same
    transaction as every posting; the ledger reconciliation recomputes and compares it.
    """

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_number: Mapped[str] = mapped_column(String(9), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    category: Mapped[str] = mapped_column(String(16))
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("billing_cycles.id"), index=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("routes.id"))
    walk_order: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="active")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    balance_minor: Mapped[int] = money_column(default=0)
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        one_of("category", CATEGORIES, "category_known"),
        one_of("status", ACCOUNT_STATUSES, "status_known"),
        CheckConstraint("walk_order >= 0", name="walk_order_non_negative"),
        CheckConstraint("length(account_number) = 9", name="account_number_length"),
        Index("ix_accounts_route_walk", "route_id", "walk_order"),
    )


class AccountNote(Base):
    __tablename__ = "account_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at()
