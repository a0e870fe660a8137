"""The desk operations of the staff facade: the small lookups around the big operations
(which counter, the currency, the open shift, the print queue, a Z-report, a bill by
number, pricing a consumption), each behind the permission that opens its door."""

from __future__ import annotations

from ebs_desktop.services import desk as _desk
from ebs_desktop.services.facade.door import Area, Operation


class DeskArea(Area):
    counter_code = Operation(_desk.COUNTER_WORK, _desk.counter_code)
    open_shift_at = Operation(_desk.COUNTER_WORK, _desk.open_shift_at)
    print_queue = Operation(("receipt.print", "receipt.reprint", "payment.post"),
                            _desk.print_queue)
    z_report_id = Operation("report.shift", _desk.z_report_id)
    counter_printer = Operation("report.shift", _desk.counter_printer)
    bill_by_number = Operation("account.view", _desk.bill_by_number)
