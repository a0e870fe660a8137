"""Business settings: one reader (the snapshot), the currency read the same way on a
session and on a bare connection, and the snapshot behind ``settings.view`` for every
staff role (service and facade)."""

from __future__ import annotations

import pytest

from ebs_desktop.domain.permissions import ALL_ROLES, allowed
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.settings import (
    UtilitySettings,
    currency,
    current_settings,
    get_settings,
    update_settings,
)

ADMIN = system_actor("test-admin")
NOBODY = Actor(None, "nobody", frozenset())


def test_defaults_until_stored_then_the_stored_values(db: Database) -> None:
    with db.read() as s:
        assert get_settings(s) == UtilitySettings()
        assert currency(s) == currency(s.connection()) == "USD"
    changed = update_settings(db, ADMIN, {"currency": "EUR", "bill_due_days": 21,
                                          "cash_step": "0.05"})
    assert changed == {"currency": "EUR", "bill_due_days": 21, "cash_step": "0.05"}
    with db.read() as s:
        snapshot = get_settings(s)
        assert snapshot.currency == currency(s) == currency(s.connection()) == "EUR"
        assert snapshot.bill_due_days == 21
        assert snapshot.cash_step_money.minor == 5 and snapshot.cash_step_money.currency == "EUR"
        assert snapshot.utility_name == UtilitySettings().utility_name  # never stored


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_staff_role_reads_the_snapshot(db: Database, role: str) -> None:
    update_settings(db, ADMIN, {"utility_name": "Hill Power"})
    actor = Actor(None, role, frozenset({role}))
    assert allowed(actor.roles, "settings.view")
    assert current_settings(db, actor).utility_name == "Hill Power"
    snapshot = StaffServices(db, actor).settings.current()
    assert isinstance(snapshot, UtilitySettings) and snapshot.utility_name == "Hill Power"


def test_the_snapshot_is_refused_without_a_role(db: Database) -> None:
    with pytest.raises(PermissionDenied, match=r"\(settings\.view\)"):
        current_settings(db, NOBODY)
    with pytest.raises(PermissionDenied, match=r"\(settings\.view\)"):
        StaffServices(db, NOBODY).settings.current()
    clerk = Actor(None, "clerk", frozenset({"clerk"}))
    with pytest.raises(PermissionDenied, match=r"\(settings\.edit\)"):
        StaffServices(db, clerk).settings.update_settings({"utility_name": "Mine"})
    with db.read() as s:
        assert get_settings(s).utility_name == UtilitySettings().utility_name
