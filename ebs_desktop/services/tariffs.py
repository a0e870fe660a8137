"""Tariffs in the database: import from TOML/URDB, export, and load versions for billing.

A version is never edited: importing a tariff whose code exists appends only versions
newer than the stored ones (higher number, later start), and refuses a file that would
change a stored version. Whatever the path (TOML, URDB, a screen), the tariff is checked
whole first (:func:`ebs_desktop.domain.tariffs.checks.check_tariff`): nothing of a tariff
with a problem is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage, calculate_bill
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.tariffs.checks import check_tariff
from ebs_desktop.domain.tariffs.model import Tariff, TariffVersion
from ebs_desktop.domain.tariffs.spec_dict import spec_from_dict, spec_to_dict
from ebs_desktop.errors import ConflictError, NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import tariffs as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import currency as utility_currency


@dataclass(frozen=True)
class ImportResult:
    code: str
    tariff_id: int
    added_versions: tuple[int, ...]


def _json_spec(version: TariffVersion) -> dict[str, Any]:
    """The spec as JSON-safe data (TOML dates and Decimals become text)."""
    import json

    return dict(json.loads(json.dumps(spec_to_dict(version.spec), default=str)))


def save_tariff_in(session: Session, actor: Actor, tariff: Tariff, *,
                   source: str | None = None) -> ImportResult:
    """Store ``tariff`` (new, or new versions of a stored one) in the caller's transaction;
    ``source`` (the file name) locates problems."""
    require(actor, "tariff.edit")
    currency = utility_currency(session)
    if tariff.currency != currency:
        raise ConflictError(f"tariff {tariff.code} is in {tariff.currency} but the utility "
                            f"bills in {currency}")
    row = store.tariff_by_code(session, tariff.code)
    if row is None:
        row = store.add_tariff(session, tariff.code, tariff.name, tariff.category,
                               tariff.description)
    stored = {v.version: v for v in store.versions_of(session, row.id)}
    # the versions to be stored are checked whole (a version stored before these checks
    # existed must not block its corrective successor)
    check_tariff(tariff, source=source or f"tariff {tariff.code}",
                 only=[i for i, v in enumerate(tariff.versions) if v.version not in stored])
    added: list[int] = []
    latest = max(stored.values(), key=lambda v: v.effective_from, default=None)
    for version in tariff.versions:
        spec = _json_spec(version)
        existing = stored.get(version.version)
        if existing is not None:
            if existing.spec != spec or existing.effective_from != version.effective_from:
                raise ConflictError(
                    f"tariff {tariff.code} version {version.version} already exists with "
                    "different content; a change must be a new version")
            continue
        if latest is not None and (version.version < latest.version
                                   or version.effective_from <= latest.effective_from):
            raise ConflictError(
                f"tariff {tariff.code} version {version.version} (from "
                f"{version.effective_from}) is not newer than the stored version "
                f"{latest.version} (from {latest.effective_from}); a new version takes the "
                "next number and a later start")
        store.add_version(session, row.id, version.version, version.effective_from, spec,
                          actor.user_id)
        added.append(version.version)
    session.flush()
    if added:
        audit.record(session, actor, "tariff.import", "tariff", row.id,
                     after={"code": tariff.code, "versions": added})
    return ImportResult(tariff.code, row.id, tuple(added))


def save_tariff(db: Database, actor: Actor, tariff: Tariff, *,
                source: str | None = None) -> ImportResult:
    with db.write() as session:
        return save_tariff_in(session, actor, tariff, source=source)


def versions_for(session: Session, tariff_id: int) -> tuple[TariffVersion, ...]:
    row = store.tariff_by_id(session, tariff_id)
    if row is None:
        raise NotFound(f"no tariff with id {tariff_id}")
    rows = store.versions_by_start(session, tariff_id)
    return tuple(
        TariffVersion(row.code, v.version, v.effective_from,
                      spec_from_dict(v.spec, source=f"tariff {row.code} v{v.version}"))
        for v in rows)


def load_tariff(session: Session, code: str) -> Tariff:
    row = store.tariff_by_code(session, code)
    if row is None:
        raise NotFound(f"no tariff {code!r}")
    currency = utility_currency(session)
    return Tariff(row.code, row.name, row.category, currency, versions_for(session, row.id),
                  row.description)


def version_ids(session: Session, tariff_id: int) -> dict[int, int]:
    """version number -> tariff_versions.id, for bill lines."""
    return store.version_ids(session, tariff_id)


def list_tariffs(db: Database, actor: Actor) -> list[tuple[str, str, str, int]]:
    """(code, name, category, number of versions) for every tariff."""
    require(actor, "tariff.view")
    with db.read() as session:
        out = []
        for t in store.all_tariffs(session):
            n = len(version_ids(session, t.id))
            out.append((t.code, t.name, t.category, n))
        return out


def get_tariff(db: Database, actor: Actor, code: str) -> Tariff:
    """A stored tariff with every version (``ebs tariff export``, the tariffs page)."""
    require(actor, "tariff.view")
    with db.read() as session:
        return load_tariff(session, code)


def price_usage(actor: Actor, tariff: Tariff, start: date, end: date, usage: Usage,
                facts: AccountFacts, cash_step: Money | None) -> BillCalculation:
    """``ebs bill-calc``: what a consumption would cost under ``tariff`` (stored or read
    from a file), without touching any account; the billing run's own calculation."""
    require(actor, "bill.calc")
    return calculate_bill(tariff.versions, start, end, usage, facts, tariff.currency,
                          cash_step)


def calculate(db: Database | None, actor: Actor, tariff: Tariff, start: date, end: date,
              usage: Usage, facts: AccountFacts, cash_step: Money | None) -> BillCalculation:
    """:func:`price_usage` in the shape of every facade operation (``staff.tariffs.
    price_usage``): the calculation reads nothing from the database (``ebs bill-calc``
    prices a tariff file without opening one)."""
    del db
    return price_usage(actor, tariff, start, end, usage, facts, cash_step)
