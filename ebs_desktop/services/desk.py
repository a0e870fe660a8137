"""The small questions a front end asks around the big operations, each behind a
permission: which counter this desk works at, the currency amounts are typed in, the
counter's open shift, printing what the receipt queue holds, the Z-report to show, a bill
by its number.

They wrap the services that answer them (:func:`~ebs_desktop.services.counter.directory.
default_counter` for the counter, so the command line and the desktop pick the same one),
so the ``ebs`` command and the desktop reach them through the facade
(``staff.desk.counter_code(...)``) instead of opening sessions of their own.
"""

from __future__ import annotations

from ebs_desktop.devices.printers import PrintOptions, ReceiptPrinter
from ebs_desktop.errors import NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import desk as store
from ebs_desktop.services.account_view import BillView, bill_view
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.records import PrintOutcome, ShiftInfo
from ebs_desktop.services.guard import require, require_any

# Whoever works at a counter (or reports on one) may ask which counter that is.
COUNTER_WORK = ("payment.post", "shift.open", "shift.drop", "shift.close", "shift.approve",
                "report.shift", "receipt.print")


def counter_code(db: Database, actor: Actor, code: str | None = None) -> str:
    """The counter named (which must exist), else this desk's default: the first active
    counter (:func:`~ebs_desktop.services.counter.directory.default_counter`)."""
    from ebs_desktop.services.counter.directory import default_counter

    require_any(actor, COUNTER_WORK)
    found = default_counter(db, code or "")
    if code:
        if found != code:
            raise NotFound(f"no counter {code!r}")
        return code
    if found is None:
        raise NotFound("no active counter is configured")
    return found


def open_shift_at(db: Database, actor: Actor, code: str) -> ShiftInfo | None:
    """The open shift at a counter, if any."""
    from ebs_desktop.services.counter.shifts import current_shift

    require_any(actor, COUNTER_WORK)
    return current_shift(db, code)


def print_queue(db: Database, actor: Actor) -> PrintOutcome:
    """Print what the receipt queue holds (after a payment or a reprint was queued)."""
    from ebs_desktop.services.counter.printing import print_pending

    require_any(actor, ("receipt.print", "receipt.reprint", "payment.post"))
    return print_pending(db)


def z_report_id(db: Database, actor: Actor, *, shift_id: int | None = None,
                counter: str | None = None) -> int:
    """The stored Z-report of a shift, or the newest one of a counter."""
    require(actor, "report.shift")
    with db.read() as s:
        found = store.latest_z_report(s, shift_id=shift_id, counter_code=counter)
    if found is None:
        raise NotFound("no Z-report yet: close a shift first")
    return found


def counter_printer(db: Database, actor: Actor,
                    code: str) -> tuple[ReceiptPrinter, PrintOptions]:
    """The receipt printer configured for a counter."""
    from ebs_desktop.services.counter.printing import printer_for

    require(actor, "report.shift")
    with db.read() as s:
        pid = store.counter_printer_id(s, code)
        if pid is None:
            raise NotFound("the counter has no printer configured")
        return printer_for(s, pid)


def bill_by_number(db: Database, actor: Actor, ref: str) -> BillView:
    """A bill by number (or id) with its lines, as a frozen record."""
    from ebs_desktop.services.billing.corrections import find_bill

    require(actor, "account.view")
    with db.read() as s:
        bill_id = find_bill(s, ref).id
    return bill_view(db, actor, bill_id)
