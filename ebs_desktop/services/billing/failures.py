"""A billing run that stops on an error: stored as ``failed`` with the reason, one line.

Whatever stops a run after it started (the database connection lost, a disk full, a
bug), the run is not left ``running`` without a word: :func:`mark_failed` stores the
status ``failed`` and the reason as a person reads it (:func:`failure_reason`), audited,
and the caller gets :class:`BillingRunFailed`, whose one line says that running the
period again resumes the run (``engine._start_run`` picks up the unfinished run of the
period: the accounts not yet billed, the same issue date, the next numbers).
"""

from __future__ import annotations

from contextlib import suppress

from ebs_desktop.errors import EbsError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import billing as store
from ebs_desktop.persistence.tx import DBAPIError
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

REASON_CHARS = 1000  # what is stored of a failure's reason


class BillingRunFailed(EbsError):
    """A billing run stopped on an error; it is stored as ``failed`` with the reason, and
    billing the period again resumes it."""

    def __init__(self, run_id: int, period: str, reason: str) -> None:
        self.run_id, self.period, self.reason = run_id, period, reason
        super().__init__(
            f"billing run {run_id} for {period} failed: {reason}. The bills written before "
            f"are kept; once the cause is fixed, `ebs bill-run --period {period}` (or the "
            "billing screen) resumes the run")


def failure_reason(exc: BaseException) -> str:
    """An error as one line a person reads (a lost server connection says so)."""
    orig: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    driver = type(orig).__module__.split(".")[0]
    if isinstance(exc, DBAPIError) or driver in ("sqlite3", "psycopg", "psycopg2"):
        name = type(orig).__name__
        detail = _first_line(orig)
        lost = (isinstance(exc, DBAPIError) and exc.connection_invalidated) or (
            driver != "sqlite3" and name in ("OperationalError", "InterfaceError",
                                             "AdminShutdown"))
        what = "the database connection was lost" if lost else "the database refused the write"
        return f"{what} ({name}: {detail})" if detail else f"{what} ({name})"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, EbsError):
        return str(exc)
    text = _first_line(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0].strip() if text else ""


def mark_failed(db: Database, actor: Actor, run_id: int, period: str, reason: str) -> None:
    """Store the run as failed with its reason, in a transaction of its own. If even that
    fails (the database is gone), the run stays ``running``, which resumes the same way."""
    with suppress(Exception), db.write() as session:
        store.fail_run(session, run_id, reason[:REASON_CHARS])
        audit.record(session, actor, "bill.run.failed", "billing_run", run_id,
                     after={"period": period, "reason": reason[:REASON_CHARS]})


def failed_run(db: Database, actor: Actor, period: str) -> BillingRunFailed | None:
    """The period's run that failed (the latest), as the error it ended with; else None.
    What the billing screen shows when it opens on that period."""
    require(actor, "bill.calc")
    with db.read() as session:
        row = store.latest_failed_run(session, period)
    if row is None:
        return None
    return BillingRunFailed(int(row[0]), period, row[1] or "no reason stored")
