"""Roles and what each may do. Deny by default: an action not listed for a role is refused.

The one role/permission table of the program. Three kinds of principal hold roles
(:class:`ebs_desktop.services.actor.Actor`):

* staff users: ``ALL_ROLES`` (clerk, reader, billing, manager, admin), today's roles;
* a customer signed in to the portal: the one role ``customer``, whose permissions
  (``self.*``) reach only the accounts that login has proven (the services scope every
  query by them);
* system jobs: ``job:notifier`` (sends notifications), ``job:scheduler`` (dunning,
  autopay, the nightly books check) and ``job:webhooks`` (payment notices from a payment
  provider), each with only what it needs.

The GUI uses the same table to hide what a user cannot do (``PAGE_ROLES``: which screens
each role sees), but the services check it on every call
(:func:`ebs_desktop.services.guard.require`): a hidden button is not security.
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
        "shift.close", "shift.drop", "report.shift", "settings.view", "service.handle",
    }),
    "reader": frozenset({"account.view", "reading.enter", "reading.import", "handheld.sync",
                         "settings.view"}),
    "billing": frozenset({
        "account.view", "account.edit", "reading.enter", "reading.import", "reading.confirm",
        "tariff.view", "tariff.edit", "bill.calc", "bill.run", "bill.cancel", "bill.rebill",
        "bill.print", "bank.import", "bank.assign", "report.view", "books.check", "settings.view",
        "notification.estimate", "outbox.view", "outbox.manage",
        "dunning.view", "dunning.run", "dunning.manage", "service.handle",
    }),
    "manager": frozenset({
        "account.view", "tariff.view", "bill.calc", "bill.print", "report.view",
        "report.shift", "payment.reverse", "shift.approve", "audit.view", "bank.assign",
        "shift.force_close", "payment.approve_large", "books.check", "settings.view",
        "notification.estimate", "outbox.view", "outbox.manage",
        "dunning.view", "dunning.manage", "service.handle",
    }),
    "admin": frozenset({
        "account.view", "account.edit", "user.manage", "settings.edit", "counter.manage",
        "audit.view", "audit.verify", "db.manage", "tariff.view", "report.view", "books.check",
        "settings.view", "notification.estimate", "outbox.view", "outbox.manage",
        "template.edit",
    }),

    # -- not staff: a portal customer and the system jobs (see the module docstring) --
    "customer": frozenset({"self.view", "self.bills", "self.edit", "self.pay",
                           "self.support"}),
    "job:notifier": frozenset({"notification.send", "notification.receipt"}),
    "job:scheduler": frozenset({"dunning.run", "autopay.run", "books.check"}),
    "job:webhooks": frozenset({"payment.webhook", "notification.receipt"}),
}

# What each permission lets a person do, in words (the refusal a person reads).
PERMISSION_WORDS: dict[str, str] = {
    "account.view": "look up accounts",
    "account.edit": "create or edit accounts",
    "audit.view": "read the audit log",
    "audit.verify": "verify the audit log",
    "autopay.run": "run autopay",
    "bank.assign": "assign bank payments",
    "bank.import": "import bank statements",
    "bill.calc": "calculate bills",
    "bill.cancel": "cancel bills",
    "bill.print": "print bills",
    "bill.rebill": "rebill",
    "bill.run": "run billing",
    "books.check": "check the books",
    "counter.manage": "set up counters",
    "db.manage": "manage the database",
    "dunning.manage": "place collection holds, agree arrangements, record field orders",
    "dunning.run": "run collections",
    "dunning.view": "see collections",
    "handheld.sync": "sync handhelds",
    "notification.estimate": "estimate the length and cost of SMS sends",
    "notification.receipt": "record delivery receipts",
    "notification.send": "send notifications",
    "outbox.manage": "retry or cancel customer messages",
    "outbox.view": "see customer messages",
    "payment.approve_large": "approve large payments",
    "payment.post": "take payments",
    "payment.reverse": "reverse payments",
    "payment.webhook": "take payment notices",
    "reading.confirm": "confirm readings",
    "reading.enter": "enter readings",
    "reading.import": "import readings",
    "receipt.print": "print receipts",
    "receipt.reprint": "reprint receipts",
    "report.shift": "print shift reports",
    "report.view": "view reports",
    "self.bills": "see their bills",
    "self.pay": "pay online",
    "self.edit": "change their contact details and preferences",
    "self.view": "see their accounts",
    "self.support": "ask for help and follow their requests",
    "service.handle": "handle customers' service requests",
    "settings.edit": "change settings",
    "settings.view": "read settings",
    "shift.approve": "approve shifts",
    "shift.close": "close shifts",
    "shift.drop": "make safe drops",
    "shift.force_close": "close another clerk's shift",
    "shift.open": "open shifts",
    "tariff.edit": "edit tariffs",
    "tariff.view": "see tariffs",
    "template.edit": "edit message templates",
    "user.manage": "manage users",
}

CUSTOMER_ROLE = "customer"
JOB_ROLES = ("job:notifier", "job:scheduler", "job:webhooks")

# page key -> staff roles that see the desktop screen
PAGE_ROLES: dict[str, frozenset[str]] = {
    "home": frozenset({"manager", "admin"}),
    "customers": frozenset({"clerk", "billing", "manager"}),
    # not the manager: reading entry is refused without reading.enter (issue 19, point 9)
    "readings": frozenset({"reader", "billing"}),
    "billing": frozenset({"billing", "manager"}),
    "counter": frozenset({"clerk", "manager"}),
    "reports": frozenset({"billing", "manager", "admin"}),
    "collections": frozenset({"billing", "manager"}),
    "administration": frozenset({"admin"}),
    "outbox": frozenset({"admin", "billing", "manager"}),
    "service_requests": frozenset({"clerk", "billing", "manager"}),
}


def allowed(roles: frozenset[str] | set[str], permission: str) -> bool:
    return any(permission in PERMISSIONS.get(role, frozenset()) for role in roles)
