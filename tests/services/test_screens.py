"""The desktop screens' own operations (``staff.screens``): what they read, on both backends,
and that each refuses a principal without its permission, at the facade and inside."""

from __future__ import annotations

import inspect

import pytest
from sqlalchemy import text

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import StaffServices, operations
from ebs_desktop.services.facade.screens import ScreensArea

NOBODY = Actor(user_id=None, username="nobody", roles=frozenset())


def test_desk_reads_what_the_screens_show(db: Database) -> None:
    build_demo(db, customers=12, months=2, until="2026-06", seed=5)
    staff = StaffServices(db, system_actor("test"))
    with db.read() as s:
        latest = s.execute(text("SELECT max(period) FROM bills")).scalar()
        cycles = [tuple(r) for r in s.execute(text(
            "SELECT code, name FROM billing_cycles ORDER BY code"))]
        routes = [tuple(r) for r in s.execute(text("SELECT code, name FROM routes ORDER BY code"))]
        counters = [r[0] for r in s.execute(text("SELECT code FROM counters ORDER BY code"))]
        accounts = [tuple(r) for r in s.execute(text(
            "SELECT a.id, a.account_number, c.name, a.balance_minor FROM accounts a "
            "JOIN customers c ON c.id = a.customer_id ORDER BY a.id"))]
        owing = s.execute(text("SELECT account_number FROM accounts WHERE balance_minor > 0 "
                               "ORDER BY id LIMIT 1")).scalar()
        first_active = s.execute(text("SELECT code FROM counters WHERE is_active "
                                      "ORDER BY id LIMIT 1")).scalar()

    choices = staff.screens.billing_choices()
    assert latest is not None and choices.latest_period == latest
    assert [(c.code, c.name) for c in choices.cycles] == cycles and cycles
    assert [(c.code, c.name) for c in staff.screens.route_choices()] == routes and routes
    assert [c.code for c in staff.screens.counter_choices()] == counters
    # the full list, page by page, in the order the accounts were opened
    rows = staff.screens.account_rows(5, 0) + staff.screens.account_rows(100, 5)
    currency = staff.settings.current().currency
    assert [(r.account_number, r.name, r.balance) for r in rows] == [
        (number, name, Money(balance, currency)) for _id, number, name, balance in accounts]
    ids = [a[0] for a in accounts[:3]] + [10**9]
    assert staff.screens.account_numbers(ids) == {a[0]: a[1] for a in accounts[:3]}
    assert staff.screens.account_numbers([]) == {}
    assert staff.screens.first_account_owing() == owing
    # this PC's counter if it exists, else the first active one; no shift open
    assert staff.screens.counter_state(counters[-1]).code == counters[-1]
    state = staff.screens.counter_state("NO-SUCH")
    assert state.code == first_active and state.shift is None


@pytest.mark.parametrize("name", sorted(operations(ScreensArea)))
def test_every_desk_operation_refuses_a_principal_without_its_permission(
        db: Database, name: str) -> None:
    op = operations(ScreensArea)[name]
    with pytest.raises(PermissionDenied):  # at the facade's door
        getattr(StaffServices(db, NOBODY).screens, name)()
    # and inside the service function itself, before any work
    params = list(inspect.signature(op.fn).parameters.values())[2:]
    dummies = [None for p in params if p.default is inspect.Parameter.empty
               and p.kind is p.POSITIONAL_OR_KEYWORD]
    with pytest.raises(PermissionDenied):
        op.fn(db, NOBODY, *dummies)


def test_each_staff_role_reads_the_settings_and_only_its_own_choices(db: Database) -> None:
    def as_role(role: str) -> StaffServices:
        return StaffServices(db, Actor(user_id=None, username=role, roles=frozenset({role})))

    for role in ("clerk", "reader", "billing", "manager", "admin"):
        assert as_role(role).settings.current().currency
    with pytest.raises(PermissionDenied):
        as_role("reader").screens.counter_choices()
    with pytest.raises(PermissionDenied):
        as_role("clerk").screens.billing_choices()
    as_role("manager").screens.billing_choices()  # a manager's dry run needs the cycles
