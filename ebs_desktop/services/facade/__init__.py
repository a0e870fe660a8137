"""The one door to the core: a typed facade per principal.

Front ends (desktop, ``ebs`` command, portal, job runners) build one of these from the
database and the principal acting and call nothing else of the core::

    staff = StaffServices(db, actor)           # staff users and the local operator
    staff.counter.post_payment(...)
    customer = CustomerServices(db, Actor.customer(login_id, email, proven_accounts))
    customer.bills("1000-0001-7")
    jobs = SystemServices(db, Actor.job("scheduler"))
    jobs.check_books()

Areas are imported on first use, so a command that needs one area loads only that area's
services. See :mod:`ebs_desktop.services.facade.door` for how each operation checks its
permission, and ``docs/development.md`` for adding one.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from ebs_desktop.services.facade.door import Area, Door, Operation, operations

if TYPE_CHECKING:
    from ebs_desktop.persistence.engine import Database as Database  # for front ends' hints
    from ebs_desktop.services.facade.accounts import AccountsArea
    from ebs_desktop.services.facade.audit import AuditArea
    from ebs_desktop.services.facade.bank import BankArea
    from ebs_desktop.services.facade.billing import BillingArea
    from ebs_desktop.services.facade.books import BooksArea
    from ebs_desktop.services.facade.counter import CounterArea
    from ebs_desktop.services.facade.customer import CustomerServices
    from ebs_desktop.services.facade.dashboard import DashboardArea
    from ebs_desktop.services.facade.database import DatabaseArea
    from ebs_desktop.services.facade.demo import DemoArea
    from ebs_desktop.services.facade.desk import DeskArea
    from ebs_desktop.services.facade.dunning import DunningArea
    from ebs_desktop.services.facade.messages import OutboxArea, TemplatesArea
    from ebs_desktop.services.facade.readings import ReadingsArea
    from ebs_desktop.services.facade.reports import ReportsArea
    from ebs_desktop.services.facade.screens import ScreensArea
    from ebs_desktop.services.facade.settings import SettingsArea
    from ebs_desktop.services.facade.sms import SmsArea
    from ebs_desktop.services.facade.support import SupportArea
    from ebs_desktop.services.facade.system import SystemServices
    from ebs_desktop.services.facade.tariffs import TariffsArea
    from ebs_desktop.services.facade.users import UsersArea


__all__ = ["Area", "CustomerServices", "Door", "Operation", "StaffServices", "SystemServices",
           "operations"]


def __getattr__(name: str) -> Any:
    """The customer and system facades, imported when first asked for (like the areas)."""
    if name == "CustomerServices":
        from ebs_desktop.services.facade.customer import CustomerServices
        return CustomerServices
    if name == "SystemServices":
        from ebs_desktop.services.facade.system import SystemServices
        return SystemServices
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class StaffServices(Door):
    """Everything a staff user (or the local operator) may ask of the core, by area."""

    kinds = frozenset({"staff"})

    @cached_property
    def accounts(self) -> AccountsArea:
        from ebs_desktop.services.facade.accounts import AccountsArea
        return AccountsArea(self)

    @cached_property
    def audit(self) -> AuditArea:
        from ebs_desktop.services.facade.audit import AuditArea
        return AuditArea(self)

    @cached_property
    def bank(self) -> BankArea:
        from ebs_desktop.services.facade.bank import BankArea
        return BankArea(self)

    @cached_property
    def billing(self) -> BillingArea:
        from ebs_desktop.services.facade.billing import BillingArea
        return BillingArea(self)

    @cached_property
    def books(self) -> BooksArea:
        from ebs_desktop.services.facade.books import BooksArea
        return BooksArea(self)

    @cached_property
    def counter(self) -> CounterArea:
        from ebs_desktop.services.facade.counter import CounterArea
        return CounterArea(self)

    @cached_property
    def dashboard(self) -> DashboardArea:
        from ebs_desktop.services.facade.dashboard import DashboardArea
        return DashboardArea(self)

    @cached_property
    def database(self) -> DatabaseArea:
        from ebs_desktop.services.facade.database import DatabaseArea
        return DatabaseArea(self)

    @cached_property
    def demo(self) -> DemoArea:
        from ebs_desktop.services.facade.demo import DemoArea
        return DemoArea(self)

    @cached_property
    def desk(self) -> DeskArea:
        from ebs_desktop.services.facade.desk import DeskArea
        return DeskArea(self)

    @cached_property
    def dunning(self) -> DunningArea:
        from ebs_desktop.services.facade.dunning import DunningArea
        return DunningArea(self)

    @cached_property
    def outbox(self) -> OutboxArea:
        from ebs_desktop.services.facade.messages import OutboxArea
        return OutboxArea(self)

    @cached_property
    def templates(self) -> TemplatesArea:
        from ebs_desktop.services.facade.messages import TemplatesArea
        return TemplatesArea(self)

    @cached_property
    def readings(self) -> ReadingsArea:
        from ebs_desktop.services.facade.readings import ReadingsArea
        return ReadingsArea(self)

    @cached_property
    def reports(self) -> ReportsArea:
        from ebs_desktop.services.facade.reports import ReportsArea
        return ReportsArea(self)

    @cached_property
    def settings(self) -> SettingsArea:
        from ebs_desktop.services.facade.settings import SettingsArea
        return SettingsArea(self)

    @cached_property
    def sms(self) -> SmsArea:
        from ebs_desktop.services.facade.sms import SmsArea
        return SmsArea(self)

    @cached_property
    def support(self) -> SupportArea:
        from ebs_desktop.services.facade.support import SupportArea
        return SupportArea(self)

    @cached_property
    def tariffs(self) -> TariffsArea:
        from ebs_desktop.services.facade.tariffs import TariffsArea
        return TariffsArea(self)

    @cached_property
    def users(self) -> UsersArea:
        from ebs_desktop.services.facade.users import UsersArea
        return UsersArea(self)

    @cached_property
    def screens(self) -> ScreensArea:
        from ebs_desktop.services.facade.screens import ScreensArea
        return ScreensArea(self)


STAFF_AREAS = ("accounts", "audit", "bank", "billing", "books", "counter", "dashboard",
               "database", "demo", "desk", "dunning", "outbox", "readings", "reports",
               "screens", "settings", "sms", "support", "tariffs", "templates", "users")
