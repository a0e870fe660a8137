"""The cash counter: shifts, payments posted exactly once, receipts, reversals.

Every public function is one unit of work with its own transaction and permission check;
results are frozen records (:mod:`.records`). Printing happens after commit through the
print queue (:mod:`.printing`).
"""

from ebs_desktop.services.counter.ownership import ShiftAwaitsApproval
from ebs_desktop.services.counter.payment_checks import CreditNotConfirmed, SupervisorRequired
from ebs_desktop.services.counter.posting import post_payment
from ebs_desktop.services.counter.printing import print_pending, reprint
from ebs_desktop.services.counter.records import (
    CloseResult,
    PaymentResult,
    PrintOutcome,
    ReversalResult,
    ShiftInfo,
)
from ebs_desktop.services.counter.reversals import reverse_payment
from ebs_desktop.services.counter.shifts import (
    approve_shift,
    close_shift,
    current_shift,
    open_shift,
    safe_drop,
)

__all__ = [
    "CloseResult", "CreditNotConfirmed", "PaymentResult", "PrintOutcome", "ReversalResult",
    "ShiftAwaitsApproval", "ShiftInfo", "SupervisorRequired",
    "approve_shift", "close_shift", "current_shift", "open_shift", "post_payment",
    "print_pending", "reprint", "reverse_payment", "safe_drop",
]
