"""``ebs bill mail-export``: postal bills only, one PDF per route in walk order, a manifest
a print shop can take (address block, page count, bill number)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, AccountPreferences, Customer, Route
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import StaffServices
from tests.support.counter_scratch import seed_counter_scratch

BILLING = Actor(None, "bob", frozenset({"billing"}))


def _layout(db: Database, numbers: tuple[str, ...]) -> None:
    """Accounts 1-3 on route R0001 walked 3, 1, 2; accounts 4-5 on R0002 walked 2, 1;
    account 6 is paperless; account 2's customer has no address of their own."""
    with db.write() as s:
        cycle_id = s.scalar(select(Route.cycle_id))
        s.add(Route(code="R0002", name="Route 2", cycle_id=cycle_id))
        s.flush()
        r1, r2 = (s.scalar(select(Route.id).where(Route.code == c)) for c in ("R0001", "R0002"))
        for number, route, walk in zip(numbers, (r1, r1, r1, r2, r2, r1),
                                       (30, 10, 20, 20, 10, 5), strict=True):
            s.execute(update(Account).where(Account.account_number == number)
                      .values(route_id=route, walk_order=walk))
        ids = {a: i for a, i in s.execute(select(Account.account_number, Account.id))}
        s.add(AccountPreferences(account_id=ids[numbers[5]], paperless=True, reminders=True))
        customer = s.scalar(select(Account.customer_id).where(
            Account.account_number == numbers[1]))
        s.execute(update(Customer).where(Customer.id == customer).values(address=""))
        s.execute(update(Customer).where(Customer.id != customer).values(
            address="12 River St, Riverside, RC 1"))


def test_mail_export_per_route_in_walk_order(db: Database, tmp_path: Path) -> None:
    scratch = seed_counter_scratch(db, accounts=6, bills_per_account=2, with_users=False)
    n = scratch.account_numbers
    _layout(db, n)
    out = tmp_path / "post"
    result = StaffServices(db, BILLING).billing.mail_export("2025-02", out)
    assert result.bills == 5 and result.paperless_left_out == 1
    assert [(r.route, r.file.name, r.bills) for r in result.routes] == [
        ("R0001", "route-R0001.pdf", 3), ("R0002", "route-R0002.pdf", 2)]
    assert sorted(p.name for p in out.iterdir()) == [
        "manifest.csv", "route-R0001.pdf", "route-R0002.pdf"]

    with (out / "manifest.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    walk = [n[1], n[2], n[0], n[4], n[3]]  # R0001 by walk 10, 20, 30; R0002 by 10, 20
    assert [r["account_number"] for r in rows] == walk
    assert [r["bill_number"] for r in rows] == [f"B{a}-02" for a in walk]
    assert [(r["route"], r["file"], r["sequence"]) for r in rows] == [
        ("R0001", "route-R0001.pdf", "1"), ("R0001", "route-R0001.pdf", "2"),
        ("R0001", "route-R0001.pdf", "3"), ("R0002", "route-R0002.pdf", "1"),
        ("R0002", "route-R0002.pdf", "2")]
    assert n[5] not in {r["account_number"] for r in rows}
    first = rows[1]
    assert (first["address_1"], first["address_2"], first["address_3"], first["address_4"],
            first["address_5"]) == ("Customer 00003", "12 River St", "Riverside", "RC 1", "")
    assert rows[0]["address_1"] == "Customer 00002"  # no own address: the premise's (none)

    for route in result.routes:
        reader = PdfReader(route.file)
        mine = [r for r in rows if r["file"] == route.file.name]
        assert len(reader.pages) == route.pages == sum(int(r["pages"]) for r in mine)
        for r in mine:  # each bill starts where the manifest says, in walk order
            page = reader.pages[int(r["first_page"]) - 1].extract_text()
            assert r["bill_number"] in page and r["account_number"] in page
            assert int(r["pages"]) >= 1


def test_nothing_to_post_and_bad_input(db: Database, tmp_path: Path) -> None:
    seed_counter_scratch(db, accounts=1, bills_per_account=1, with_users=False)
    staff = StaffServices(db, BILLING)
    with pytest.raises(ValidationError, match=r"no bill of 2025-05 goes by post \(0 paperless\)"):
        staff.billing.mail_export("2025-05", tmp_path / "x")
    with pytest.raises(ValidationError):
        staff.billing.mail_export("May", tmp_path / "x")
    a_file = tmp_path / "file.pdf"
    a_file.write_bytes(b"")
    with pytest.raises(ValidationError, match="is a file; give a folder"):
        staff.billing.mail_export("2025-01", a_file)
