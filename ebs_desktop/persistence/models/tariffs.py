"""Tariffs and their effective-dated versions.

A version is immutable once saved: a change is a new version with a later
``effective_from``. The components live in ``spec`` as JSON, the same document the TOML
files hold (see resources/tariffs/README.md), so the calculation reads one format.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, created_at, one_of
from ebs_desktop.persistence.models.codes import CATEGORIES


class Tariff(Base):
    __tablename__ = "tariffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (one_of("category", CATEGORIES, "category_known"),)


class TariffVersion(Base):
    __tablename__ = "tariff_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    version: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    spec: Mapped[dict[str, object]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at()

    __table_args__ = (
        UniqueConstraint("tariff_id", "version"),
        UniqueConstraint("tariff_id", "effective_from"),
    )
