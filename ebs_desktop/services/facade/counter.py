"""The counter operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services.counter import directory as _directory
from ebs_desktop.services.counter import export as _export
from ebs_desktop.services.counter import posting as _posting
from ebs_desktop.services.counter import printing as _printing
from ebs_desktop.services.counter import reversals as _reversals
from ebs_desktop.services.counter import shifts as _shifts
from ebs_desktop.services.counter import zreport as _zreport
from ebs_desktop.services.facade.door import Area, Operation


class CounterArea(Area):
    counters = Operation("counter.manage", _directory.counters)
    printers = Operation("counter.manage", _directory.printers)
    shift_payments = Operation("report.shift", _directory.shift_payments)
    save_printer = Operation("counter.manage", _directory.save_printer)
    save_counter = Operation("counter.manage", _directory.save_counter)
    export_receipts = Operation("report.shift", _export.export_receipts)
    post_payment = Operation("payment.post", _posting.post_payment)
    retry_queue = Operation("receipt.print", _printing.retry_queue)
    reprint = Operation("receipt.reprint", _printing.reprint)
    receipt_text = Operation("receipt.print", _printing.receipt_text)
    reverse_payment = Operation("payment.post", _reversals.reverse_payment)
    open_shift = Operation("shift.open", _shifts.open_shift)
    safe_drop = Operation("shift.drop", _shifts.safe_drop)
    close_shift = Operation(("shift.close", "shift.force_close"), _shifts.close_shift)
    approve_shift = Operation(("shift.approve", "shift.close"), _shifts.approve_shift)
    store_day_report = Operation("report.shift", _zreport.store_day_report)
    load_z_report = Operation("report.shift", _zreport.load_z_report)
    print_z_report = Operation("report.shift", _zreport.print_z_report)
