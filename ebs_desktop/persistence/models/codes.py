"""Code lists that the database guards with CHECK constraints.

They live here, not in the domain, because they are part of the schema: changing one
needs a migration.
"""

from __future__ import annotations

ROLES = ("clerk", "reader", "billing", "manager", "admin")
CATEGORIES = ("residential", "commercial", "industrial", "agricultural", "public")
ACCOUNT_STATUSES = ("active", "disconnected", "closed")
REGISTER_KINDS = ("energy", "demand")
READING_SOURCES = ("manual", "handheld", "optical", "p1", "file", "estimated", "customer")
READING_STATUSES = ("valid", "confirmed", "pending", "rejected", "superseded")
READING_CODES = (
    "no_access", "meter_damaged", "door_locked", "meter_changed", "dog",
    "reading_doubtful", "premises_vacant", "meter_final", "meter_first",
)
BILL_KINDS = ("regular", "rebill")
LEDGER_KINDS = (
    "bill", "payment", "credit_note", "reversal", "adjustment", "fee", "opening",
    "bank_payment",
)
TENDERS = ("cash", "card", "cheque", "transfer")
SHIFT_STATUSES = ("open", "closed")
PRINTER_KINDS = ("usb", "serial", "network", "file")
PRINT_JOB_STATUSES = ("queued", "printed", "failed")
RECEIPT_KINDS = ("payment", "reversal")
RUN_STATUSES = ("running", "completed", "cancelled", "failed")
BANK_LINE_STATUSES = ("matched", "review", "assigned", "ignored")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
OUTBOX_KINDS = ("bill_issued", "payment_posted", "payment_reversed", "reminder", "overdue_notice",
                "final_notice", "disconnection_notice", "reconnection", "account_problem",
                "portal_verify", "portal_reset", "portal_invite", "support_reply",
                "high_usage")
CONTACT_STATUSES = ("ok", "unreachable")
# General-ledger codes: AR is the customers' receivable (per account); the others are the
# utility's side of each posting, so every journal sums to zero.
GL_CODES = ("AR", "SALES", "CASH", "CARD", "CHEQUE", "BANK", "FEES", "SUSPENSE", "GATEWAY")
# GATEWAY: money an online gateway holds for us until it pays it out (issue 22).
PAYMENT_CHANNELS = ("counter", "bank", "online")
GATEWAY_STATES = ("pending", "requires_action", "processing", "succeeded", "failed",
                  "canceled")
# What was done with a gateway's event: posted a payment, recorded a state, nothing
# (a duplicate is never stored twice: the unique event id refuses it), or parked for staff.
EVENT_OUTCOMES = ("posted", "recorded", "ignored", "parked", "received")
# Collections (issue 20, point 9); the rules are in ebs_desktop.domain.dunning.
HOLD_KINDS = ("dispute", "medical", "moratorium", "arrangement")
DUNNING_LEVELS = ("reminder", "overdue", "final", "disconnect")
FIELD_ORDER_KINDS = ("disconnect", "reconnect")
FIELD_ORDER_STATUSES = ("open", "done", "cancelled")
ARRANGEMENT_STATUSES = ("active", "completed", "broken", "cancelled")
# Service requests (issue 21, point 6): topics, whose turn (open: staff's; waiting: the
# customer's), who wrote a message, and the photo types kept (after re-encoding).
REQUEST_TOPICS = ("billing", "meter", "payment", "move", "other")
REQUEST_STATUSES = ("open", "waiting", "answered", "closed")
REQUEST_AUTHORS = ("customer", "staff")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
