"""Tariffs and their versions (a version's spec is stored as JSON and never edited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ebs_desktop.persistence.models import Tariff, TariffVersion


def tariff_by_code(session: Session, code: str) -> Tariff | None:
    return session.scalar(select(Tariff).where(Tariff.code == code))


def tariff_by_id(session: Session, tariff_id: int) -> Tariff | None:
    return session.get(Tariff, tariff_id)


def all_tariffs(session: Session) -> list[Tariff]:
    """Every tariff, by code."""
    return list(session.scalars(select(Tariff).order_by(Tariff.code)))


def tariff_ids(session: Session) -> list[int]:
    """The id of every tariff."""
    return list(session.scalars(select(Tariff.id)))


def tariff_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every tariff, by code."""
    return [(c, n) for c, n in session.execute(
        select(Tariff.code, Tariff.name).order_by(Tariff.code))]


def tariff_categories(session: Session) -> dict[str, str]:
    """The default tariff of each category: its first tariff by code."""
    out: dict[str, str] = {}
    for code, category in session.execute(
            select(Tariff.code, Tariff.category).order_by(Tariff.code)):
        out.setdefault(category, code)
    return out


def tariff_id_of(session: Session, code: str) -> int | None:
    return session.scalar(select(Tariff.id).where(Tariff.code == code))


def add_tariff(session: Session, code: str, name: str, category: str,
               description: str) -> Tariff:
    """A new tariff header (flushed: it has its id)."""
    row = Tariff(code=code, name=name, category=category, description=description)
    session.add(row)
    session.flush()
    return row


def versions_of(session: Session, tariff_id: int) -> list[TariffVersion]:
    """Every stored version of a tariff, in no particular order."""
    return list(session.scalars(select(TariffVersion)
                                .where(TariffVersion.tariff_id == tariff_id)))


def versions_by_start(session: Session, tariff_id: int) -> list[TariffVersion]:
    """Every stored version of a tariff, earliest start first."""
    return list(session.scalars(select(TariffVersion)
                                .where(TariffVersion.tariff_id == tariff_id)
                                .order_by(TariffVersion.effective_from)))


def version_ids(session: Session, tariff_id: int) -> dict[int, int]:
    """version number -> tariff_versions.id."""
    return {v: i for i, v in session.execute(
        select(TariffVersion.id, TariffVersion.version)
        .where(TariffVersion.tariff_id == tariff_id))}


def add_version(session: Session, tariff_id: int, version: int, effective_from: date,
                spec: dict[str, Any], created_by: int | None) -> None:
    session.add(TariffVersion(tariff_id=tariff_id, version=version,
                              effective_from=effective_from, spec=spec,
                              created_by=created_by))
