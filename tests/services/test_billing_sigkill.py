"""SIGKILL at random moments, then completion: the same bills as a run never interrupted.

A starting database (a small demo utility with June read but not billed) is copied; the
copy is billed once, cleanly, in a subprocess. The original is billed by a subprocess
killed with SIGKILL at random moments twelve times (before the run starts, during
batches, between them, after the last), some with the helper pricing process, and then
billed to the end. Per account, bills (number, totals, lines), ledger entries, balances
and estimated readings must be identical; one bill per account; numbers gapless; and the
books check (``ebs books check``) passes on the killed-and-completed database.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.demo import build_demo
from tests.books_check import assert_books_balanced_at

PERIOD = "2026-06"
CUSTOMERS = 150
KILLS = 12
SCRIPT = """
import sys
from datetime import date
from ebs_desktop.persistence.engine import open_database
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.run import run_billing
db = open_database(sys.argv[1])
print("ready", flush=True)
r = run_billing(db, system_actor("kill-test"), sys.argv[2], issue_date=date(2026, 7, 1),
                batch_size=int(sys.argv[3]), workers=int(sys.argv[4]))
print("done", r.bills, flush=True)
"""


def _start(url: str, workers: int, batch: int = 2) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SCRIPT, url, PERIOD, str(batch),
                             str(workers)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _run_to_end(url: str, workers: int = 0) -> float:
    """Run to completion; the seconds from "ready" (imports done) to the end."""
    proc = _start(url, workers)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "done" in out, out
    return time.perf_counter() - started


def _snapshot(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    with engine.connect() as conn:
        q = lambda sql: [tuple(r) for r in conn.execute(text(sql))]  # noqa: E731
        out = {
            "bills": q("SELECT account_id, bill_number, total_minor, after_due_minor,"
                       " consumption_kwh, demand_kw, estimated, period_start, period_end,"
                       " due_date, tariff_id, revision, kind FROM bills"
                       f" WHERE period = '{PERIOD}' ORDER BY account_id"),
            "lines": q("SELECT b.account_id, l.seq, l.code, l.description, l.quantity, l.rate,"
                       " l.amount_minor, l.tariff_version_id FROM bill_lines l JOIN bills b"
                       f" ON b.id = l.bill_id WHERE b.period = '{PERIOD}'"
                       " ORDER BY b.account_id, l.seq"),
            "ar": q("SELECT e.account_id, e.amount_minor, e.entry_date FROM ledger_entries e"
                    f" JOIN bills b ON b.id = e.bill_id WHERE b.period = '{PERIOD}'"
                    " ORDER BY e.account_id"),
            "balances": q("SELECT id, balance_minor FROM accounts ORDER BY id"),
            "estimated": q("SELECT register_id, read_on, value, consumption FROM readings"
                           " WHERE source = 'estimated' ORDER BY register_id, read_on"),
            "journal_sums": q("SELECT journal_id, SUM(amount_minor) FROM ledger_entries"
                              " GROUP BY journal_id HAVING SUM(amount_minor) <> 0"),
            "open_runs": q("SELECT COUNT(*) FROM billing_runs WHERE status <> 'completed'"),
            "numbers": [r[0] for r in conn.execute(text("SELECT bill_number FROM bills"))],
        }
    engine.dispose()
    return out


def _count_bills(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text(f"SELECT COUNT(*) FROM bills WHERE period = '{PERIOD}'"))
                .scalar_one())
    engine.dispose()
    return n


def _kill_repeatedly(url: str, run_seconds: float, rng: random.Random) -> tuple[int, int]:
    """Kill a billing subprocess KILLS times; (kills hitting a live process, partial states)."""
    live = partial = 0
    for i in range(KILLS):
        proc = _start(url, workers=1 if i % 3 == 2 else 0)
        if i % 4 == 0:
            time.sleep(rng.uniform(0, 0.2))  # before or while starting up
        else:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
            # each kill lets the run progress by a random part of its work
            time.sleep(rng.uniform(0, run_seconds / 6))
        if proc.poll() is None:
            live += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if proc.stdout is not None:
            proc.stdout.close()
        billed = _count_bills(url)
        partial += 0 < billed < CUSTOMERS
    return live, partial


def _check_same(clean: dict[str, Any], killed: dict[str, Any]) -> None:
    assert len(killed["bills"]) == CUSTOMERS
    assert len({b[0] for b in killed["bills"]}) == CUSTOMERS  # one bill per account
    for key in ("bills", "lines", "ar", "balances", "estimated"):
        assert killed[key] == clean[key], key
    assert killed["journal_sums"] == [] and clean["journal_sums"] == []
    assert killed["open_runs"] == clean["open_runs"] == [(0,)]
    seqs = sorted(int(n.rsplit("-", 1)[1]) for n in killed["numbers"])
    assert seqs == list(range(1, len(seqs) + 1))  # gapless from the first bill of the year


def _build(db: Database) -> None:
    build_demo(db, customers=CUSTOMERS, months=3, until=PERIOD, seed=11)


def test_sigkill_sqlite(tmp_path: Path) -> None:
    from ebs_desktop.persistence import migrate

    start = tmp_path / "start.sqlite3"
    db = open_database(f"sqlite:///{start}")
    migrate.upgrade(db)
    _build(db)
    db.dispose()  # closes the WAL: the file alone is the database
    clean = tmp_path / "clean.sqlite3"
    shutil.copy(start, clean)
    run_seconds = _run_to_end(f"sqlite:///{clean}")
    live, partial = _kill_repeatedly(f"sqlite:///{start}", run_seconds, random.Random(3))
    assert live >= 10 and partial >= 1, (live, partial)
    _run_to_end(f"sqlite:///{start}")
    _check_same(_snapshot(f"sqlite:///{clean}"), _snapshot(f"sqlite:///{start}"))
    assert_books_balanced_at(f"sqlite:///{start}")


@pytest.mark.pg
def test_sigkill_postgresql(pg_server_url: str) -> None:
    """Own databases (the start and its clean copy, made with CREATE DATABASE ... TEMPLATE)
    on the test server; dropped at the end."""
    from ebs_desktop.persistence import migrate

    admin = create_engine(make_url(pg_server_url).set(database="postgres"),
                          isolation_level="AUTOCOMMIT")
    tag = uuid.uuid4().hex[:8]
    names = {"start": f"ebs_kill_{tag}", "clean": f"ebs_kill_{tag}_clean"}
    urls = {k: make_url(pg_server_url).set(database=n).render_as_string(hide_password=False)
            for k, n in names.items()}
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{names["start"]}"'))
        db = open_database(urls["start"])
        migrate.upgrade(db)
        _build(db)
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{names["clean"]}" '
                              f'TEMPLATE "{names["start"]}"'))
        run_seconds = _run_to_end(urls["clean"])
        live, partial = _kill_repeatedly(urls["start"], run_seconds, random.Random(5))
        assert live >= 10 and partial >= 1, (live, partial)
        _run_to_end(urls["start"])
        _check_same(_snapshot(urls["clean"]), _snapshot(urls["start"]))
        assert_books_balanced_at(urls["start"])
    finally:
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                  " WHERE datname = :n"), {"n": name})
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
