"""Every frequent action with its shortcut, in one registry (keyboard-first).

Counter staff work with F-keys, everyone switches screens with Ctrl+1..9 (a fixed number
per page, the same in every role: ``main_window.PAGE_NUMBERS``). An action with a
``permission`` is offered only to roles that hold it. An action
belongs to a page (or to the window); triggering it opens that page and hands the
action id to it, so F2 from any screen jumps to the counter's account search. The main
window builds QActions from this table; the page decides what the id means.
"""

from __future__ import annotations

from dataclasses import dataclass

from ebs_desktop.gui.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # English source; translated with context "Actions"
    shortcut: str
    page: str | None  # page that handles it; None = the window
    icon: str | None = None
    permission: str | None = None  # offered only to roles that hold it (issue 19)


ACTIONS: tuple[ActionSpec, ...] = (
    # cash counter
    ActionSpec("counter.find", QT_TRANSLATE_NOOP("Actions", "Find account"), "F2", "counter",
               "search"),
    ActionSpec("counter.payment", QT_TRANSLATE_NOOP("Actions", "New payment"), "F3", "counter",
               "payment"),
    ActionSpec("counter.print", QT_TRANSLATE_NOOP("Actions", "Print or reprint receipt"), "F4",
               "counter", "print"),
    ActionSpec("counter.open_shift", QT_TRANSLATE_NOOP("Actions", "Open shift"), "F5", "counter",
               "shift"),
    ActionSpec("counter.reverse", QT_TRANSLATE_NOOP("Actions", "Reverse payment"), "F8",
               "counter"),
    ActionSpec("counter.close_shift", QT_TRANSLATE_NOOP("Actions", "Close shift"), "F9",
               "counter", "lock"),
    # customers
    ActionSpec("customers.search", QT_TRANSLATE_NOOP("Actions", "Search customers"), "Ctrl+F",
               "customers", "search"),
    ActionSpec("customers.new", QT_TRANSLATE_NOOP("Actions", "New account"), "Ctrl+N",
               "customers", "add", "account.edit"),
    # readings
    ActionSpec("readings.route", QT_TRANSLATE_NOOP("Actions", "Choose route"), "Ctrl+R",
               "readings", "readings"),
    # billing
    ActionSpec("billing.dry_run", QT_TRANSLATE_NOOP("Actions", "Dry run"), "Ctrl+D", "billing",
               "billing"),
    # window
    ActionSpec("window.refresh", QT_TRANSLATE_NOOP("Actions", "Refresh"), "Ctrl+Shift+R", None,
               "refresh"),
    ActionSpec("window.sign_out", QT_TRANSLATE_NOOP("Actions", "Sign out"), "Ctrl+Shift+L", None,
               "logout"),
    ActionSpec("window.quit", QT_TRANSLATE_NOOP("Actions", "Quit"), "Ctrl+Q", None),
)


def actions_for_page(page: str) -> tuple[ActionSpec, ...]:
    return tuple(a for a in ACTIONS if a.page == page)


def check_unique_shortcuts() -> None:
    """Raise if two actions share a shortcut (a test calls this)."""
    seen: dict[str, str] = {}
    for spec in ACTIONS:
        if spec.shortcut in seen:
            other = seen[spec.shortcut]
            raise ValueError(f"shortcut {spec.shortcut} used by {other} and {spec.id}")
        seen[spec.shortcut] = spec.id
