"""The home dashboard's one call, on both databases, against a small demo utility: the
figures agree with the reports and the counter that produce them elsewhere, and each part
reaches only the roles allowed to see it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from ebs_desktop.domain.cash import CardTender, CashTender
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import AuthenticationError, PermissionDenied
from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.auth import login
from ebs_desktop.services.backup import backup_database
from ebs_desktop.services.counter import open_shift, post_payment
from ebs_desktop.services.dashboard import dashboard
from ebs_desktop.services.demo.build import build_demo
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.reports import ReportRange
from ebs_desktop.services.reports.arrears_aging import arrears_aging
from ebs_desktop.services.reports.reading_completeness import reading_completeness

MANAGER = Actor(None, "manager", frozenset({"manager"}))
ADMIN = Actor(None, "admin", frozenset({"admin"}))


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=40, months=4, until="2026-06", workers=0)
    return db


def _owing(db: Database, n: int) -> list[str]:
    with db.read() as s:
        found = list(s.scalars(select(Account.account_number)
                               .where(Account.balance_minor > 3_000)
                               .order_by(Account.balance_minor.desc()).limit(n)))
    assert len(found) == n
    return found


def test_collections_and_shifts_of_today_match_the_counter(demo: Database) -> None:
    clerk = login(demo, "clerk", "clerk-demo")
    first, second = _owing(demo, 2)
    open_shift(demo, clerk, "C01", Money(5000, "USD"))
    post_payment(demo, clerk, "C01", first, [CashTender(Money(1050, "USD"))], "dash-1")
    post_payment(demo, clerk, "C01", second, [CardTender(Money(2000, "USD"), "visa", "4242",
                                                         "a1b2c3")], "dash-2")
    d = dashboard(demo, MANAGER)
    c = d.collections
    assert c is not None and c.day == datetime.now(UTC).date()
    # the demo's payments are all in the past: only today's two count
    assert {(t.label, t.payments, t.amount.minor) for t in c.by_tender} == {
        ("cash", 1, 1050), ("card", 1, 2000)}
    assert [(t.label, t.payments, t.amount.minor) for t in c.by_counter] == [
        ("Main office counter 1", 2, 3050)]
    assert c.total == Money(3050, "USD") and c.payments == 2 and c.reversed == 0
    assert d.open_shifts is not None and len(d.open_shifts) == 1
    shift = d.open_shifts[0]
    assert (shift.counter, shift.taken) == ("Main office counter 1", Money(3050, "USD"))
    assert "Clerk" in shift.clerk
    assert d.to_approve == ()


def test_arrears_match_the_aging_report_and_the_trend_ends_today(demo: Database) -> None:
    today = datetime.now(UTC).date()
    d = dashboard(demo, MANAGER)
    assert d.arrears is not None
    report = arrears_aging(demo, MANAGER, ReportRange(today, today))
    assert report.totals is not None
    # the report's columns: not due, 0-30, 31-60, 61-90, over 90, open (Money cells)
    expected = [cell.minor for cell in report.totals[2:7]]  # type: ignore[union-attr]
    assert [m.minor for _label, m in d.arrears.buckets] == expected
    assert d.arrears.overdue.minor == sum(expected[1:])
    assert len(d.arrears.trend) == 12
    assert d.arrears.trend[-1] == (f"{today:%Y-%m}", d.arrears.overdue)
    # a past month's end, checked against the aging report as of that day
    y, m = int(d.arrears.trend[-8][0][:4]), int(d.arrears.trend[-8][0][5:])
    month_end = date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)
    past = arrears_aging(demo, MANAGER, ReportRange(month_end, month_end))
    assert past.totals is not None
    assert d.arrears.trend[-8][1].minor == sum(
        cell.minor for cell in past.totals[3:7])  # type: ignore[union-attr]
    assert any(m.minor > 0 for _p, m in d.arrears.trend)


def test_runs_and_readings_of_the_open_period(demo: Database) -> None:
    d = dashboard(demo, MANAGER)
    assert d.runs is not None and d.runs[0].period == "2026-05"  # the demo bills to May
    assert d.runs[0].status == "completed" and d.runs[0].bills == 40
    assert d.runs[0].total.minor > 0
    assert [r.run_id for r in d.runs] == sorted((r.run_id for r in d.runs), reverse=True)
    r = d.readings
    assert r is not None and r.period == "2026-06"  # read, not billed yet
    assert r.expected > 0 and r.missing == r.expected - r.read - r.estimated
    report = reading_completeness(demo, MANAGER, ReportRange(date(2026, 6, 1),
                                                             date(2026, 6, 30)))
    assert report.totals is not None
    assert (r.expected, r.read, r.estimated, r.missing) == tuple(report.totals[2:6])
    assert sum(n for _route, n in r.worst_routes) == r.missing


def test_each_part_for_its_roles_only(demo: Database, tmp_path: Path) -> None:
    manager = dashboard(demo, MANAGER)
    assert manager.health is None and manager.arrears is not None
    with pytest.raises(AuthenticationError):
        login(demo, "clerk", "not-the-password")
    backup_database(demo, ADMIN, str(tmp_path))
    admin = StaffServices(demo, ADMIN).dashboard.dashboard()
    h = admin.health
    assert h is not None and admin.collections is not None  # admins see the business too
    assert h.schema_version == migrate.head_revision() == h.program_schema
    assert h.backend == demo.backend and h.database_bytes > 0
    assert (h.connections is None) == (demo.backend == "sqlite")
    if h.connections is not None:
        assert h.connections >= 1
    assert h.last_backup is not None and h.last_backup.kind == "manual"
    assert h.failed_sign_ins == 1
    assert h.audit_ok is True and h.audit_entries > 0
    # the demo's last bill notices wait, its history was told; the portal is not in use
    outbox = dict(h.outbox or ())
    assert outbox["pending"] > 0 and outbox["sent"] > 0 and set(outbox) <= {
        "pending", "sending", "sent", "failed", "cancelled"}
    assert h.portal_actions is None
    for nobody in (Actor(None, "clerk", frozenset({"clerk"})),
                   Actor(None, "reader", frozenset({"reader"}))):
        with pytest.raises(PermissionDenied):
            StaffServices(demo, nobody).dashboard.dashboard()


def test_growth_is_measured_from_a_recorded_backup(demo: Database, tmp_path: Path) -> None:
    backup_database(demo, ADMIN, str(tmp_path))
    later = datetime.now(UTC) + timedelta(days=8)
    h = dashboard(demo, ADMIN, now=later).health
    assert h is not None and h.growth_since is not None and h.growth_bytes is not None
    assert h.growth_since < later - timedelta(days=7)
    assert abs(h.growth_bytes) < h.database_bytes
    assert Decimal(h.database_bytes) > 0
