"""Business settings kept in the database (so every counter sees the same), typed here.

Each setting has a default. There is one way to read them: :func:`get_settings` returns
a frozen :class:`UtilitySettings` snapshot that services pass around instead of reading
keys one by one; :func:`currency` is the same value as ``get_settings(session).currency``
for the paths that need nothing else (one primary-key probe, usable on a bare
connection). Front ends read the snapshot through the facade
(``staff.settings.current()``, any staff role), never the table or a default of their own.
The queries are in :mod:`ebs_desktop.persistence.stores.settings`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal
from typing import Any

from ebs_desktop.domain.money import Money, parse_money, parse_number
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import settings as store
from ebs_desktop.persistence.tx import Connection, Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require


@dataclass(frozen=True)
class UtilitySettings:
    utility_name: str = "Riverside Electric Co-op"
    address: str = "1 Power House Road, Riverside"
    phone: str = "+1 555 0100"
    tax_id: str = "TAX-000-000"
    currency: str = "USD"
    locale: str = "en_US"
    timezone: str = "UTC"
    bill_due_days: int = 15
    cash_step: str = "0.01"
    receipt_footer: str = "Thank you. Keep this receipt."
    shift_difference_threshold: str = "5.00"
    bounced_cheque_fee: str = "10.00"
    high_consumption_factor: str = "3"
    low_consumption_factor: str = "0.3"
    late_payment_percent: str = "1.5"
    payment_supervisor_limit: str = "10000.00"
    """A counter payment above this amount (in the utility's currency) needs a supervisor's
    approval (``ebs pay --supervisor NAME``; the counter screen asks for a sign-in)."""

    def money(self, field_name: str) -> Money:
        return Money.of(getattr(self, field_name), self.currency)

    @property
    def cash_step_money(self) -> Money:
        return self.money("cash_step")

    def decimal(self, field_name: str) -> Decimal:
        return Decimal(getattr(self, field_name))


_FIELDS = {f.name: f for f in fields(UtilitySettings)}
#: Settings that hold an amount of the utility's currency, or a plain number, as text.
MONEY_SETTINGS = frozenset({"cash_step", "shift_difference_threshold", "bounced_cheque_fee",
                            "payment_supervisor_limit"})
NUMBER_SETTINGS = frozenset({"high_consumption_factor", "low_consumption_factor",
                             "late_payment_percent"})


def get_settings(session: Session) -> UtilitySettings:
    """The business settings as stored, defaults where a key was never set."""
    values: dict[str, Any] = {key: json.loads(value)
                              for key, value in store.stored_values(session).items()
                              if key in _FIELDS}
    return replace(UtilitySettings(), **values)


def currency(conn: Session | Connection) -> str:
    """The utility's currency: ``get_settings(session).currency`` for a caller that needs
    only that (a payment on its own connection, a list of balances)."""
    value = store.stored_currency(conn)
    return str(json.loads(value)) if value is not None else UtilitySettings().currency


def current_settings(db: Database, actor: Actor) -> UtilitySettings:
    """The snapshot a front end shows and works with (``staff.settings.current()``): any
    signed-in staff role may read the business settings."""
    require(actor, "settings.view")
    with db.read() as session:
        return get_settings(session)


def set_settings(session: Session, **changes: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store changed settings; returns (before, after) of what changed, for the audit log."""
    current = asdict(get_settings(session))
    before, after = {}, {}
    for key, value in changes.items():
        if key not in _FIELDS:
            raise ValidationError(f"unknown setting {key!r}", location=f"setting {key}")
        expected = type(current[key])
        if not isinstance(value, expected):
            raise ValidationError(f"{value!r} is not a {expected.__name__}",
                                  location=f"setting {key}")
        if key == "currency":
            Money.zero(value)  # validates the ISO code
        elif key in MONEY_SETTINGS:  # an amount like any typed one: decimals, ceiling
            amount = parse_money(value, changes.get("currency", current["currency"]),
                                 field=f"setting {key}")
            if key == "payment_supervisor_limit" and amount.minor <= 0:
                raise ValidationError(f"must be more than zero, got {value}",
                                      location=f"setting {key}")
        elif key in NUMBER_SETTINGS:
            parse_number(value, field=f"setting {key}")
        before[key], after[key] = current[key], value
        store.store_value(session, key, json.dumps(value))
    session.flush()
    return before, after


def update_settings(db: Database, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    """The administrator's use case: store changed settings, audited (before and after)."""
    require(actor, "settings.edit")
    with db.write() as session:
        before, after = set_settings(session, **changes)
        if after:
            audit.record(session, actor, "settings.edit", "settings", "", before=before,
                         after=after)
        return after
