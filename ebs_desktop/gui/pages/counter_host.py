"""What the counter screen's shift controls use of the screen they sit on.

The shift side (:mod:`ebs_desktop.gui.pages.counter_shift`) and the payment form
(:mod:`ebs_desktop.gui.pages.counter`) share this, and neither imports the other's
module for it: the payment page builds the shift controls and satisfies the protocol.
"""

from __future__ import annotations

from typing import Protocol

from ebs_desktop.gui.models.lazy_table import LazyTableModel
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.qt import QLabel, QLineEdit, QTableView, QWidget
from ebs_desktop.services.counter.records import AccountPosition, PrintOutcome


class CounterHost(Protocol):
    """The counter page as its shift controls see it."""

    context: PageContext
    pay_status: QLabel  # the line where every outcome of the counter is said
    payments_model: LazyTableModel  # payments of the open shift
    payments: QTableView
    find_edit: QLineEdit
    position: AccountPosition | None  # the account on screen
    last_receipt: str | None
    last_print: PrintOutcome | None

    def window(self) -> QWidget: ...

    def show_status(self, text: str) -> None:
        """Say an outcome on the status line (the error line is cleared)."""

    def show_error(self, error: BaseException | str) -> None:
        """Say what went wrong, in plain words, on the error line under the form."""
