"""The physical side: premises (service connections), meters, their registers and history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base, one_of
from ebs_desktop.persistence.models.codes import REGISTER_KINDS
from ebs_desktop.persistence.types import Quantity


class Premise(Base):
    """A service connection: where electricity is delivered, with its sanctioned load."""

    __tablename__ = "premises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    address: Mapped[str] = mapped_column(String(400))
    sanctioned_load_kw: Mapped[Decimal] = mapped_column(Quantity)
    phases: Mapped[int] = mapped_column(Integer, default=1)
    connected_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("sanctioned_load_kw > 0", name="sanctioned_load_positive"),
        CheckConstraint("phases IN (1, 3)", name="phases_known"),
    )


class Meter(Base):
    __tablename__ = "meters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(32), unique=True)
    make: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(64), default="")
    dials: Mapped[int] = mapped_column(Integer)
    multiplier: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(1))
    is_tou: Mapped[bool] = mapped_column(Boolean, default=False)
    has_demand: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        CheckConstraint("dials BETWEEN 3 AND 10", name="dials_range"),
        CheckConstraint("multiplier > 0", name="multiplier_positive"),
    )


class MeterRegister(Base):
    """One register of a meter: total kWh (``kwh``), a TOU register, or maximum demand."""

    __tablename__ = "meter_registers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    code: Mapped[str] = mapped_column(String(16))
    obis: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))

    __table_args__ = (
        UniqueConstraint("meter_id", "code"),
        one_of("kind", REGISTER_KINDS, "kind_known"),
    )


class MeterInstallation(Base):
    """Which meter sat on which premise, when; at most one open installation per meter."""

    __tablename__ = "meter_installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meters.id"))
    premise_id: Mapped[int] = mapped_column(ForeignKey("premises.id"), index=True)
    installed_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("removed_on IS NULL OR removed_on >= installed_on",
                        name="removed_after_installed"),
        Index("uq_meter_installations_open_meter", "meter_id", unique=True,
              sqlite_where=text("removed_on IS NULL"),
              postgresql_where=text("removed_on IS NULL")),
        Index("uq_meter_installations_open_premise", "premise_id", unique=True,
              sqlite_where=text("removed_on IS NULL"),
              postgresql_where=text("removed_on IS NULL")),
    )
