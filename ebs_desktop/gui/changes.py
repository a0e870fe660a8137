"""What kinds of data a call changed, announced to every screen (Anki's ``OpChanges``).

A page runs a change through :meth:`~ebs_desktop.gui.pages.base.Page.call` with
``changes={PAYMENTS, ACCOUNTS}``; once it succeeded, the window's :class:`ChangeBus`
tells every page, and each page showing one of those kinds refreshes itself in its
:meth:`~ebs_desktop.gui.pages.base.Page.data_changed`. No screen reloads another by hand,
and a screen that only shows data never needs to know who changes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ebs_desktop.gui.qt import QObject, Signal

ACCOUNTS = "accounts"  # balances, contact details, notes, new accounts
BILLS = "bills"  # bills written, cancelled or rebilled
PAYMENTS = "payments"  # payments taken or reversed
SHIFTS = "shifts"  # shifts opened, closed or approved
READINGS = "readings"  # meter readings stored
USERS = "users"  # users and their roles
SETTINGS = "settings"  # the utility settings (the snapshot is read again)
COUNTERS = "counters"  # counters and receipt printers
MESSAGES = "messages"  # customer messages in the outbox, message templates

KINDS = frozenset({ACCOUNTS, BILLS, PAYMENTS, SHIFTS, READINGS, USERS, SETTINGS, COUNTERS,
                   MESSAGES})


@dataclass(frozen=True)
class DataChange:
    """Kinds of data a call changed, and the widget whose call it was."""

    kinds: frozenset[str]
    origin: object | None = None

    def touches(self, *kinds: str) -> bool:
        return not self.kinds.isdisjoint(kinds)


def change_kinds(kinds: Iterable[str]) -> frozenset[str]:
    """The kinds as a set; an unknown kind is a programming error, caught at once."""
    out = frozenset(kinds)
    unknown = out - KINDS
    if unknown:
        raise ValueError(f"unknown kinds of data: {', '.join(sorted(unknown))}")
    return out


class ChangeBus(QObject):
    """One per signed-in window: pages announce changes here and hear everyone's."""

    changed = Signal(object)  # DataChange

    def announce(self, kinds: Iterable[str], origin: object | None = None) -> None:
        wanted = change_kinds(kinds)
        if wanted:
            self.changed.emit(DataChange(wanted, origin))
