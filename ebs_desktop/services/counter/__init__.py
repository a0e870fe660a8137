"""The cash counter: shifts, payments posted exactly once, receipts, reversals.

Every public function is one unit of work with its own transaction and permission check;
results are frozen records (:mod:`.records`). Printing happens after commit through the
print queue (:mod:`.printing`).

The names below are imported from their modules when first asked for: an ``ebs`` command
that needs one module of the counter (``ebs account show`` needs :mod:`.position`) does
not load the posting, shift and print machinery with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ebs_desktop.services.counter.ownership import ShiftAwaitsApproval
    from ebs_desktop.services.counter.payment_checks import (
        CreditNotConfirmed,
        SupervisorRequired,
    )
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

# Each public name and the module of this package that defines it.
_HOMES = {
    "ShiftAwaitsApproval": "ownership",
    "CreditNotConfirmed": "payment_checks", "SupervisorRequired": "payment_checks",
    "post_payment": "posting",
    "print_pending": "printing", "reprint": "printing",
    "CloseResult": "records", "PaymentResult": "records", "PrintOutcome": "records",
    "ReversalResult": "records", "ShiftInfo": "records",
    "reverse_payment": "reversals",
    "approve_shift": "shifts", "close_shift": "shifts", "current_shift": "shifts",
    "open_shift": "shifts", "safe_drop": "shifts",
}

__all__ = [
    "CloseResult", "CreditNotConfirmed", "PaymentResult", "PrintOutcome", "ReversalResult",
    "ShiftAwaitsApproval", "ShiftInfo", "SupervisorRequired",
    "approve_shift", "close_shift", "current_shift", "open_shift", "post_payment",
    "print_pending", "reprint", "reverse_payment", "safe_drop",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
