"""Usage summaries: each period's comparison groups, computed when a billing run closes.

A group is the accounts of one category and tariff whose sanctioned load falls in one band
(:data:`ebs_desktop.domain.insights.LOAD_BANDS`). ``points`` (JSON, kWh as text) holds
every consumption of a small group, or the 101 percentiles of a large one
(:func:`ebs_desktop.domain.insights.summarise`), so placing one account among 100,000
reads one short row instead of the period's bills.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ebs_desktop.persistence.models.base import Base
from ebs_desktop.persistence.types import Quantity


class UsageBenchmark(Base):
    __tablename__ = "usage_benchmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))
    category: Mapped[str] = mapped_column(String(16))
    tariff_id: Mapped[int] = mapped_column(ForeignKey("tariffs.id"))
    band_low: Mapped[Decimal] = mapped_column(Quantity)  # kW, the band's lower bound
    accounts: Mapped[int] = mapped_column(Integer)
    points: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("period", "category", "tariff_id", "band_low"),)
