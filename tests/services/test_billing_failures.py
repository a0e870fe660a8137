"""Issue 17, point 4 (and 14's lost connection): tariffs that would bill nonsense are refused
whole on import, and a billing run that fails ends ``failed`` with its reason, then resumes.

Both backends (the ``db`` fixture); the lost PostgreSQL connection is real: the run's own
server backend is ended with ``pg_terminate_backend`` from another connection while the
``ebs bill-run`` process is inside a batch.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from ebs_desktop.domain.tariffs import Slab, Tariff, TariffSpec, TariffVersion, Tax
from ebs_desktop.domain.tariffs.model import EnergyCharge, EnergyPeriod
from ebs_desktop.errors import ConflictError, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, Bill, BillingRun
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.engine import bill_period
from ebs_desktop.services.billing.failures import BillingRunFailed, failed_run
from ebs_desktop.services.billing.run import run_billing
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.tariffs import load_tariff, save_tariff

ACTOR = system_actor("test")
PERIOD = "2026-06"
ISSUE = date(2026, 7, 1)
CUSTOMERS = 30
TABLES = ("tariffs", "tariff_versions", "audit_log")


@pytest.fixture
def utility(db: Database) -> Database:
    build_demo(db, customers=CUSTOMERS, months=4, until=PERIOD, seed=7)
    return db


def _counts(db: Database, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    with db.read() as s:
        return {t: int(s.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one())
                for t in tables}


def _flat(code: str, *versions: tuple[int, date, str, str]) -> Tariff:
    return Tariff(code, code, "residential", "USD", tuple(
        TariffVersion(code, n, start, TariffSpec(
            energy=EnergyCharge("flat", (EnergyPeriod("total", (Slab(Decimal(rate)),)),)),
            taxes=(Tax("VAT", "VAT", percent=Decimal(vat)),)))
        for n, start, rate, vat in versions))


def test_nonsense_tariffs_are_refused_whole_and_nothing_is_written(db: Database,
                                                                   tmp_path: Path) -> None:
    build_demo(db, customers=3, months=2, until="2026-03", seed=1)
    before = _counts(db)
    # negative energy rate and VAT -500 %: the issue's -415.98 bills
    with pytest.raises(ValidationError, match=r"2 problems.*rate -0\.08 is negative.*"
                                              r"-500% is outside 0-100%"):
        save_tariff(db, ACTOR, _flat("NEG-1", (1, date(2026, 1, 1), "-0.08", "-500")))
    with pytest.raises(ValidationError, match=r"rate 100000000000000 is above the ceiling"):
        save_tariff(db, ACTOR, _flat("BIG-1", (1, date(2026, 1, 1), "1e14", "0")))
    # two versions with one number: a located error, not an IntegrityError
    with pytest.raises(ValidationError, match=r"tariff DUP-1 has version 2 twice"):
        save_tariff(db, ACTOR, _flat("DUP-1", (2, date(2026, 1, 1), "0.1", "5"),
                                     (2, date(2026, 2, 1), "0.2", "5")))
    toml = tmp_path / "dup.toml"
    toml.write_text('code = "DUP-2"\ncurrency = "USD"\n[[versions]]\nversion = 1\n'
                    'effective_from = 2026-01-01\nenergy = { type = "flat", rate = "0.1" }\n'
                    '[[versions]]\nversion = 1\neffective_from = 2026-02-01\n'
                    'energy = { type = "flat", rate = "0.2" }\n', encoding="utf-8")
    from ebs_desktop.domain.tariffs import read_tariff_file

    with pytest.raises(ValidationError) as info:
        read_tariff_file(toml)
    assert info.value.location == "dup.toml: versions[1].version"
    assert _counts(db) == before
    # a stored tariff: a second import may only add newer versions
    save_tariff(db, ACTOR, _flat("OK-1", (1, date(2026, 1, 1), "0.1", "5"),
                                 (3, date(2026, 3, 1), "0.2", "5")))
    stored = _counts(db)
    with pytest.raises(ConflictError, match=r"OK-1 version 2 .* not newer than the stored "
                                            r"version 3"):
        save_tariff(db, ACTOR, _flat("OK-1", (1, date(2026, 1, 1), "0.1", "5"),
                                     (2, date(2026, 4, 1), "0.3", "5")))
    assert _counts(db) == stored
    save_tariff(db, ACTOR, _flat("OK-1", (4, date(2026, 5, 1), "0.3", "5")))
    with db.read() as s:
        assert [v.version for v in load_tariff(s, "OK-1").versions] == [1, 3, 4]


def _series(db: Database, delta: int) -> None:
    with db.write() as s:
        s.execute(text("UPDATE number_series SET next_value = next_value + :d"
                       " WHERE code = 'BILL-2026'"), {"d": delta})


def _run_row(db: Database, run_id: int) -> tuple[str, str | None]:
    with db.read() as s:
        row = s.execute(select(BillingRun.status, BillingRun.failure_reason)
                        .where(BillingRun.id == run_id)).one()
    return str(row[0]), row[1]


def _june(db: Database) -> list[tuple[int, str]]:
    with db.read() as s:
        return [(int(a), str(n)) for a, n in s.execute(
            select(Bill.account_id, Bill.bill_number).where(Bill.period == PERIOD)
            .order_by(Bill.bill_number))]


def _gapless_year(db: Database) -> bool:
    with db.read() as s:
        numbers = [str(n) for n in s.scalars(select(Bill.bill_number))]
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    return seqs == list(range(1, len(seqs) + 1))


def test_a_failed_run_ends_failed_with_its_reason_and_resumes(utility: Database) -> None:
    """The third batch cannot be written (its numbers collide: the series was set back by
    one, as a restore of an old copy of number_series would): the run ends ``failed``
    with the reason, two batches written. Fixed, the period billed again resumes the same
    run: every account billed once, numbers gapless, the run completed."""
    batches = 0

    def break_third(ids: list[int]) -> None:
        nonlocal batches
        batches += 1
        if batches == 3:
            _series(utility, -1)

    with pytest.raises(BillingRunFailed) as info:
        bill_period(utility, ACTOR, PERIOD, issue_date=ISSUE, batch_size=7, workers=0,
                    before_pricing=break_third)
    failed = info.value
    assert failed.period == PERIOD and "resumes the run" in str(failed)
    assert failed.reason.startswith("the database refused the write (")
    assert "bill_number" in failed.reason and "\n" not in str(failed)
    status, reason = _run_row(utility, failed.run_id)
    assert status == "failed" and reason == failed.reason
    # the batches written before; PostgreSQL writes behind on a thread, so under load the
    # series may be set back before even the first batch reached the database
    written = len(_june(utility))
    assert written in ((7, 14) if utility.backend == "sqlite" else (0, 7, 14))
    shown = failed_run(utility, ACTOR, PERIOD)
    assert shown is not None and str(shown) == str(failed)  # what the billing screen shows
    with utility.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "bill.run.failed")) == 1

    _series(utility, +1)  # the cause fixed
    again = run_billing(utility, ACTOR, PERIOD, workers=0)
    assert again.run_id == failed.run_id and again.bills == CUSTOMERS - written
    bills = _june(utility)
    assert len(bills) == CUSTOMERS == len({a for a, _n in bills})
    assert _gapless_year(utility)
    assert _run_row(utility, failed.run_id) == ("completed", None)
    assert failed_run(utility, ACTOR, PERIOD) is None
    with utility.read() as s:  # the resumed bills keep the first part's issue date
        # (no issue date given the second time)
        assert set(s.scalars(select(Bill.issue_date).where(Bill.period == PERIOD))) == {ISSUE}


def test_a_stored_tariff_with_an_absurd_rate_lists_accounts_not_a_stuck_run(
        utility: Database) -> None:
    """A version stored before the checks existed (1e14 per kWh): the old run crashed with
    OverflowError and stayed ``running``. Now its bills are refused per account
    (``over_limit``), the run completes, and a corrective version from the period's start
    bills them when the period is billed again."""
    with utility.write() as s:
        tariff_id = s.execute(text("SELECT id FROM tariffs WHERE code = 'RES-1'")).scalar_one()
        v = s.execute(text("SELECT id, spec FROM tariff_versions WHERE tariff_id = :t"
                           " ORDER BY effective_from DESC LIMIT 1"), {"t": tariff_id}).one()
    import json

    spec = v[1] if isinstance(v[1], dict) else json.loads(v[1])
    spec["energy"] = {"type": "flat", "limits_per": "month",
                      "slabs": [{"rate": "100000000000000"}]}
    with utility.write() as s:
        s.execute(text("UPDATE tariff_versions SET spec = :s WHERE id = :i"),
                  {"s": json.dumps(spec), "i": v[0]})
    result = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, workers=0)
    over = {e.account_id for e in result.exceptions if e.code == "over_limit"}
    assert over and result.bills == CUSTOMERS - len(over)
    with utility.read() as s:
        assert s.scalar(select(BillingRun.status).where(BillingRun.id == result.run_id)) \
            == "completed"
    with utility.read() as s:
        res1 = load_tariff(s, "RES-1")
    fixed = Tariff(res1.code, res1.name, res1.category, res1.currency, (*res1.versions, (
        TariffVersion(res1.code, res1.versions[-1].version + 1, date(2026, 5, 1),
                      TariffSpec(energy=EnergyCharge("flat", (EnergyPeriod(
                          "total", (Slab(Decimal("0.12")),)),)))))))
    save_tariff(utility, ACTOR, fixed)
    rest = run_billing(utility, ACTOR, PERIOD, issue_date=ISSUE, workers=0)
    assert rest.bills == len(over) and not [e for e in rest.exceptions
                                            if e.code == "over_limit"]
    assert len(_june(utility)) == CUSTOMERS and _gapless_year(utility)


CHILD = """
import os, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from ebs_desktop.cli.main import cli

seen = 0

@event.listens_for(Engine, "before_cursor_execute")
def pause_in_second_batch(conn, cursor, statement, parameters, context, executemany):
    global seen
    if statement.startswith("UPDATE number_series"):
        seen += 1
        if seen == 2:  # inside the second batch's transaction: let the test end our backend
            pid = conn.connection.dbapi_connection.info.backend_pid
            print(f"backend {pid}", flush=True)
            sys.stdin.readline()

cli(sys.argv[1:], prog_name="ebs")
"""


def _bill_run(url: str, pause: bool) -> subprocess.Popen[str]:
    args = ["--db", url, "--user", "billing", "bill-run", "--period", PERIOD,
            "--issue-date", ISSUE.isoformat(), "--batch-size", "7", "--workers", "0"]
    code = CHILD if pause else "from ebs_desktop.cli.main import cli; import sys; " \
        "cli(sys.argv[1:], prog_name='ebs')"
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "EBS_PASSWORD": "billing-demo",
                                 "PYTHONUNBUFFERED": "1"})


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.pg)],
                         indirect=True)  # a server connection to lose: PostgreSQL only
def test_lost_postgresql_connection_is_one_line_and_the_run_resumes(
        utility: Database, db_url: str) -> None:
    proc = _bill_run(db_url, pause=True)
    assert proc.stdout is not None and proc.stdin is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("backend "), (line, proc.stderr.read() if proc.stderr else "")
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"),
                            {"p": int(line.split()[1])}).scalar_one()
    admin.dispose()
    proc.stdin.write("go\n")
    proc.stdin.flush()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert len(lines) == 1, err  # one line, no traceback
    assert "the database connection was lost" in lines[0]
    assert f"`ebs bill-run --period {PERIOD}`" in lines[0] and "resumes the run" in lines[0]
    written = _june(utility)
    assert len(written) == 7  # the first batch; the second rolled back with the connection
    with utility.read() as s:
        status, reason = s.execute(select(BillingRun.status, BillingRun.failure_reason)
                                   .where(BillingRun.period == PERIOD)).one()
    assert status == "failed" and "connection was lost" in (reason or "")

    proc = _bill_run(db_url, pause=False)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, (out, err)
    bills = _june(utility)
    assert len(bills) == CUSTOMERS == len({a for a, _n in bills})
    assert _gapless_year(utility)
    with utility.read() as s:
        assert list(s.scalars(select(BillingRun.status).where(
            BillingRun.period == PERIOD))) == ["completed"]


def test_migration_0005_adds_failed_and_its_reason_both_ways(db: Database) -> None:
    """Upgrade: 'failed' and failure_reason accepted, an unknown status still refused;
    downgrade to 0004: a failed run becomes 'cancelled' (resumed the same way) and the
    old rule is back."""
    from ebs_desktop.persistence import migrate

    insert = ("INSERT INTO billing_runs (period, status, bills_created, total_minor,"
              " started_at{col}) VALUES ('2026-06', :s, 0, 0, '2026-07-01 00:00:00'{val})")
    with db.engine.begin() as conn:
        conn.execute(text(insert.format(col=", failure_reason", val=", 'disk full'")),
                     {"s": "failed"})
    with pytest.raises(Exception, match=r"(?i)check"), db.engine.begin() as conn:
        conn.execute(text(insert.format(col="", val="")), {"s": "exploded"})
    migrate.downgrade(db, "0004")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM billing_runs")).scalar_one() == "cancelled"
    with pytest.raises(Exception, match=r"(?i)check"), db.engine.begin() as conn:
        conn.execute(text(insert.format(col="", val="")), {"s": "failed"})
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text(insert.format(col=", failure_reason", val=", 'again'")),
                     {"s": "failed"})
        assert conn.execute(text("SELECT COUNT(*) FROM billing_runs WHERE status = 'failed'"
                                 )).scalar_one() == 1
