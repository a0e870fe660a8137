"""The audit log in words: what an action means, and a change as "before -> after".

Why here: an entry stores its action as a code (``payment.post``) and its before/after as
JSON, which is what the hash covers and must stay as it is; an administrator reading the
log wants "Payment taken" and "phone: 555-0101 -> 555-0199". Both the desktop viewer and
the command line show entries through these functions, so they read the same.

Worked example: ``customer.edit`` with before ``{"phone": "555-0101"}`` and after
``{"account": "100010283", "phone": "555-0199"}`` reads "Customer details changed",
subject "account 100010283", change "phone: 555-0101 -> 555-0199".
"""

from __future__ import annotations

import json
from typing import Any

#: Every action the services record, in words (the viewer's action filter lists these).
ACTION_WORDS: dict[str, str] = {
    "account.create": "Account opened",
    "account.note": "Note added to an account",
    "audit.anchor": "Audit chain anchored",
    "audit.resume": "Audit chain resumed after a break",
    "bank.assign": "Bank payment assigned to an account",
    "bank.ignore": "Bank line ignored",
    "bank.statement": "Bank statement imported",
    "bank.statement.unbalanced": "Unbalanced bank statement refused",
    "bill.cancel": "Bill cancelled (credit note)",
    "bill.rebill": "Bill issued again",
    "bill.run.batch": "Billing run: batch of bills written",
    "bill.run.completed": "Billing run completed",
    "bill.run.failed": "Billing run failed",
    "bill.run.resume": "Billing run resumed",
    "bill.run.start": "Billing run started",
    "counter.save": "Counter saved",
    "customer.edit": "Customer details changed",
    "customer.preferences": "Delivery preferences changed",
    "dunning.arrangement": "Payment arrangement agreed",
    "dunning.hold": "Collection hold placed",
    "dunning.order_done": "Field order done by the crew",
    "dunning.release": "Collection hold released",
    "dunning.run": "Dunning run: notices and orders",
    "meter.exchange": "Meter exchanged",
    "outbox.cancel": "Customer messages cancelled",
    "outbox.retry": "Customer messages sent again",
    "payment.post": "Payment taken",
    "payment.reverse": "Payment reversed",
    "printer.save": "Printer saved",
    "reading.confirm": "Reading confirmed",
    "reading.enter": "Reading entered",
    "reading.import": "Readings imported",
    "reading.readout": "Meter read out directly",
    "receipt.reprint": "Receipt reprinted",
    "service.assign": "Service request assigned",
    "service.reply": "Service request answered",
    "service.status": "Service request status changed",
    "settings.edit": "Settings changed",
    "settings.secret": "Secret stored in the OS keyring",
    "settings.local_operator": "Local operator set up",
    "settings.update": "Utility settings changed",
    "shift.approve": "Shift approved",
    "shift.close": "Shift closed",
    "shift.drop": "Safe drop",
    "shift.force_close": "Shift closed by a supervisor",
    "shift.open": "Shift opened",
    "tariff.import": "Tariff imported",
    "template.reset": "Message template back to the shipped text",
    "template.save": "Message template changed",
    "user.add": "User added",
    "user.disable": "User disabled",
    "user.enable": "User enabled",
    "user.locked": "User locked after failed sign-ins",
    "user.login": "Signed in",
    "user.login_failed": "Failed sign-in",
    "user.passwd": "Password changed",
    "user.roles": "Roles changed",
}

FAILED_SIGN_IN = "user.login_failed"
#: Keys that name the thing acted on, shown as the subject rather than as a change.
_SUBJECT_KEYS = (("account", "account"), ("account_number", "account"), ("bill", "bill"),
                 ("receipt", "receipt"), ("period", "period"))
#: Keys that mean nothing to a reader (an idempotency key).
_HIDDEN_KEYS = frozenset({"key"})
ARROW = "->"


def action_words(action: str) -> str:
    """``payment.post`` -> ``Payment taken``; an unknown code is shown as it is."""
    return ACTION_WORDS.get(action, action)


def _load(text: str | None) -> Any:
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, str):
        return value if value else "(empty)"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ")


def subject(entity: str, entity_id: str, before: str | None, after: str | None) -> str:
    """What the entry is about, in words: "account 100010283", "user 4", "bill B2026-19"."""
    facts = _load(after)
    if not isinstance(facts, dict):
        facts = _load(before)
    if isinstance(facts, dict):
        for key, word in _SUBJECT_KEYS:
            if facts.get(key):
                return f"{word} {facts[key]}"
    if entity_id:
        return f"{_label(entity)} {entity_id}"
    return _label(entity)


def changes(before: str | None, after: str | None) -> list[str]:
    """The change as lines, one per field: "phone: 555-0101 -> 555-0199" where a field
    changed, "amount: 20.00" where it is only recorded after, "x: 1 -> (removed)"."""
    old, new = _load(before), _load(after)
    if old is None and isinstance(new, dict):
        old = {}
    if new is None and isinstance(old, dict):
        new = {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        if old is None and new is None:
            return []
        if old is None:
            return [_value(new)]
        return [f"{_value(old)} {ARROW} {_value(new)}"]
    lines = []
    shown = next((k for k, _w in _SUBJECT_KEYS if new.get(k)), None)  # is the subject
    for key in sorted(set(old) | set(new)):
        if key in _HIDDEN_KEYS:
            continue
        if key in old and key in new:
            if old[key] != new[key]:
                lines.append(f"{_label(key)}: {_value(old[key])} {ARROW} {_value(new[key])}")
        elif key in new:
            if key == shown:
                continue
            lines.append(f"{_label(key)}: {_value(new[key])}")
        else:
            lines.append(f"{_label(key)}: {_value(old[key])} {ARROW} (removed)")
    return lines


def summary(lines: list[str], width: int = 90) -> str:
    """The change on one line for a list; cut at ``width`` characters with "…" (the whole
    change is shown beside the list)."""
    text = "; ".join(lines)
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def failed_sign_in(after: str | None) -> str:
    """A failed sign-in in words: "as 'bob': wrong password (3 in a row)"."""
    facts = _load(after)
    if not isinstance(facts, dict):
        return ""
    text = f"as {facts.get('username', '?')!r}: {facts.get('reason', 'refused')}"
    count = facts.get("failed_logins")
    if isinstance(count, int) and count > 1:
        text += f" ({count} in a row)"
    return text
