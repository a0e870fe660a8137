"""Tariffs through the staff facade: stored, listed, read back and priced by the roles
that may, refused to the others (``tariff.view`` for every read, ``bill.calc`` to price)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ebs_desktop.domain.billcalc import AccountFacts, Usage
from ebs_desktop.domain.tariffs import read_tariff_file
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.tariffs import price_usage

RES_1 = Path(__file__).resolve().parents[2] / "resources" / "tariffs" / "res-1.toml"
BILLING = Actor(None, "billing", frozenset({"billing"}))
READER = Actor(None, "reader", frozenset({"reader"}))
CLERK = Actor(None, "clerk", frozenset({"clerk"}))


def test_store_list_read_and_price_through_the_facade(db: Database) -> None:
    staff = StaffServices(db, BILLING)
    tariff = read_tariff_file(RES_1)
    stored = staff.tariffs.save_tariff(tariff, source=RES_1.name)
    assert stored.code == tariff.code and stored.added_versions
    assert staff.tariffs.list_tariffs() == [(tariff.code, tariff.name, tariff.category,
                                             len(tariff.versions))]
    again = staff.tariffs.get_tariff(tariff.code)
    assert again.versions == tariff.versions and again.currency == "USD"
    step = staff.settings.current().cash_step_money
    usage = Usage(Decimal(350), {}, None, {})
    facts = AccountFacts(category="residential", sanctioned_load_kw=None)
    bill = staff.tariffs.price_usage(again, date(2024, 3, 1), date(2024, 3, 31), usage, facts,
                                     step)
    assert bill == price_usage(BILLING, tariff, date(2024, 3, 1), date(2024, 3, 31), usage,
                               facts, step)
    assert bill.total.minor > 0


def test_reads_and_pricing_are_refused_without_their_permission(db: Database) -> None:
    StaffServices(db, BILLING).tariffs.save_tariff(read_tariff_file(RES_1))
    reader = StaffServices(db, READER)
    with pytest.raises(PermissionDenied, match=r"\(tariff\.view\)"):
        reader.tariffs.list_tariffs()
    with pytest.raises(PermissionDenied, match=r"\(tariff\.view\)"):
        reader.tariffs.get_tariff("RES-1")
    tariff = read_tariff_file(RES_1)
    with pytest.raises(PermissionDenied, match=r"\(bill\.calc\)"):
        StaffServices(db, CLERK).tariffs.price_usage(
            tariff, date(2024, 3, 1), date(2024, 3, 31), Usage(Decimal(1), {}, None, {}),
            AccountFacts(category="", sanctioned_load_kw=None), None)
