"""Roles and what each may do. Deny by default: an action not listed for a role is refused.

The GUI uses the same table to hide what a user cannot do, but the services check it
on every call (:func:`ebs_desktop.services.guard.require`): a hidden button is not security.
"""

from __future__ import annotations

ALL_ROLES = ("clerk", "reader", "billing", "manager", "admin")

ROLE_LABELS = {
    "clerk": "Counter clerk",
    "reader": "Meter reader",
    "billing": "Billing officer",
    "manager": "Manager",
    "admin": "Administrator",
}

PERMISSIONS: dict[str, frozenset[str]] = {
    "clerk": frozenset({
        "account.view", "payment.post", "receipt.print", "receipt.reprint", "shift.open",
        "shift.close", "shift.drop", "report.shift", "settings.view",
    }),
    "reader": frozenset({"account.view", "reading.enter", "reading.import", "handheld.sync",
                         "settings.view"}),
    "billing": frozenset({
        "account.view", "account.edit", "reading.enter", "reading.import", "reading.confirm",
        "tariff.view", "tariff.edit", "bill.calc", "bill.run", "bill.cancel", "bill.rebill",
        "bill.print", "bank.import", "bank.assign", "report.view", "books.check", "settings.view",
    }),
    "manager": frozenset({
        "account.view", "tariff.view", "bill.calc", "bill.print", "report.view",
        "report.shift", "payment.reverse", "shift.approve", "audit.view", "bank.assign",
        "shift.force_close", "payment.approve_large", "books.check", "settings.view",
    }),
    "admin": frozenset({
        "account.view", "account.edit", "user.manage", "settings.edit", "counter.manage",
        "audit.view", "audit.verify", "db.manage", "tariff.view", "report.view", "books.check",
        "settings.view",
    }),
}


def allowed(roles: frozenset[str] | set[str], permission: str) -> bool:
    return any(permission in PERMISSIONS.get(role, frozenset()) for role in roles)
