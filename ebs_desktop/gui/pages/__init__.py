"""The screens of the main window, in one registry.

Each page is a module here with a :class:`~ebs_desktop.gui.pages.base.Page` subclass; the
registry says its key, title, icon, the service module it needs, and what it will offer
(shown plainly while that service is missing). Which roles see a page is decided in
:mod:`ebs_desktop.gui.session`. The order here is the side bar's order; each page's
Ctrl+number is fixed in :data:`ebs_desktop.gui.main_window.PAGE_NUMBERS`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from ebs_desktop.gui.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # English source, context "Pages"
    subtitle: str
    icon: str
    service_module: str  # e.g. "ebs_desktop.services.accounts"
    module: str  # page module under ebs_desktop.gui.pages
    features: tuple[str, ...] = ()


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", QT_TRANSLATE_NOOP("Pages", "Home"),
             QT_TRANSLATE_NOOP("Pages", "The day at a glance; every figure opens its screen"),
             "reports", "ebs_desktop.services.dashboard", "home",
             (QT_TRANSLATE_NOOP("Pages", "Today's collections, open shifts, arrears, runs"),
              QT_TRANSLATE_NOOP("Pages", "System health for administrators"))),
    PageSpec("customers", QT_TRANSLATE_NOOP("Pages", "Customers"),
             QT_TRANSLATE_NOOP("Pages", "Find an account, see its meters, ledger and bills"),
             "customers", "ebs_desktop.services.accounts", "customers",
             (QT_TRANSLATE_NOOP("Pages", "Search as you type by account, meter, name or phone"),
              QT_TRANSLATE_NOOP("Pages", "Account details, meters, ledger with running balance"),
              QT_TRANSLATE_NOOP("Pages", "Bills with their lines, payments, consumption chart"),
              QT_TRANSLATE_NOOP("Pages", "Create and edit accounts; notes"))),
    PageSpec("readings", QT_TRANSLATE_NOOP("Pages", "Reading entry"),
             QT_TRANSLATE_NOOP("Pages", "Key meter readings route by route"),
             "readings", "ebs_desktop.services.readings", "readings",
             (QT_TRANSLATE_NOOP("Pages", "Readings in walk order with previous and expected"),
              QT_TRANSLATE_NOOP("Pages", "Inline warnings to confirm or re-enter"),
              QT_TRANSLATE_NOOP("Pages", "Handheld download and upload with progress"),
              QT_TRANSLATE_NOOP("Pages", "Direct meter readout (optical probe, P1)"))),
    PageSpec("billing", QT_TRANSLATE_NOOP("Pages", "Billing"),
             QT_TRANSLATE_NOOP("Pages", "Tariffs, billing runs and bills"),
             "billing", "ebs_desktop.services.billing", "billing",
             (QT_TRANSLATE_NOOP("Pages", "Tariff versions and a bill calculator"),
              QT_TRANSLATE_NOOP("Pages", "Billing run: dry run, exceptions, approve"),
              QT_TRANSLATE_NOOP("Pages", "Bill view with explanations; cancel and rebill"))),
    PageSpec("collections", QT_TRANSLATE_NOOP("Pages", "Collections"),
             QT_TRANSLATE_NOOP("Pages", "Reminders, notices, holds, arrangements, field orders"),
             "billing", "ebs_desktop.services.dunning", "collections",
             (QT_TRANSLATE_NOOP("Pages", "Accounts per level of the dunning path"),
              QT_TRANSLATE_NOOP("Pages", "Holds and payment arrangements"),
              QT_TRANSLATE_NOOP("Pages", "Disconnection and reconnection orders"))),
    PageSpec("counter", QT_TRANSLATE_NOOP("Pages", "Cash counter"),
             QT_TRANSLATE_NOOP("Pages", "Shifts, payments and receipts"),
             "counter", "ebs_desktop.services.counter", "counter",
             (QT_TRANSLATE_NOOP("Pages", "Open a shift; find the account or scan the bill"),
              QT_TRANSLATE_NOOP("Pages", "Payment with tenders and change; print the receipt"),
              QT_TRANSLATE_NOOP("Pages", "Reprint; reversal with a supervisor"),
              QT_TRANSLATE_NOOP("Pages", "Close the shift with a blind count and Z-report"))),
    PageSpec("reports", QT_TRANSLATE_NOOP("Pages", "Reports"),
             QT_TRANSLATE_NOOP("Pages", "Choose, preview, print or save a report"),
             "reports", "ebs_desktop.services.reports", "reports",
             (QT_TRANSLATE_NOOP("Pages", "Report parameters and preview"),
              QT_TRANSLATE_NOOP("Pages", "Print, save as PDF or CSV"))),
    PageSpec("administration", QT_TRANSLATE_NOOP("Pages", "Administration"),
             QT_TRANSLATE_NOOP("Pages", "Users, counters, printers, database and audit log"),
             "admin", "ebs_desktop.services.users", "administration",
             (QT_TRANSLATE_NOOP("Pages", "Users and roles"),
              QT_TRANSLATE_NOOP("Pages", "Counters and receipt printers, with a test print"),
              QT_TRANSLATE_NOOP("Pages", "Database connection and utility settings"),
              QT_TRANSLATE_NOOP("Pages", "Audit log viewer with verification"))),
    PageSpec("outbox", QT_TRANSLATE_NOOP("Pages", "Outbox"),
             QT_TRANSLATE_NOOP("Pages", "Messages to customers: waiting, sent, failed"),
             "mail", "ebs_desktop.services.notify.outbox_admin", "outbox",
             (QT_TRANSLATE_NOOP("Pages", "Filter by state, channel, kind and account"),
              QT_TRANSLATE_NOOP("Pages", "The message as the customer gets it"),
              QT_TRANSLATE_NOOP("Pages", "Retry what failed, cancel what waits"))),
    PageSpec("service_requests", QT_TRANSLATE_NOOP("Pages", "Service requests"),
             QT_TRANSLATE_NOOP("Pages", "Customers' questions from the portal, answered here"),
             "info", "ebs_desktop.services.support", "service_requests",
             (QT_TRANSLATE_NOOP("Pages", "The queue: status, assignee, time open"),
              QT_TRANSLATE_NOOP("Pages", "The thread with the customer's photos"),
              QT_TRANSLATE_NOOP("Pages", "Reply by the customer's channel"))),
)

PAGE_BY_KEY = {spec.key: spec for spec in PAGES}


def service_installed(module: str) -> bool:
    """Whether a service module exists in this build (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False

