"""The system jobs' facade (notification sender, scheduler, webhook intake).

Each job holds one narrow role (``job:notifier``, ``job:scheduler``, ``job:webhooks``;
see :mod:`ebs_desktop.domain.permissions`). Today the only job work that exists is the
books check the scheduler runs at night; sending notifications, dunning, autopay and
payment webhooks join here, each behind the permission already declared for it.
"""

from __future__ import annotations

from ebs_desktop.services import books as _books
from ebs_desktop.services import dunning as _dunning
from ebs_desktop.services import notify_settings as _notify_settings
from ebs_desktop.services import online_payments as _online
from ebs_desktop.services.facade.door import Door, Operation
from ebs_desktop.services.notify import sender as _sender
from ebs_desktop.services.notify import sms as _sms


class SystemServices(Door):
    """What a system job may ask of the core."""

    kinds = frozenset({"job"})

    check_books = Operation("books.check", _books.check_books)
    run_dunning = Operation("dunning.run", _dunning.run_dunning)
    record_sms_receipts = Operation("notification.receipt", _sms.record_sms_receipts)
    notify_settings = Operation("notification.send", _notify_settings.current_notify_settings)
    notify_secret = Operation("notification.send", _notify_settings.secret_value)
    send_notifications = Operation("notification.send", _sender.run_sender)
    outbox_status = Operation("notification.send", _sender.outbox_status)
    intake_payment_event = Operation("payment.webhook", _online.intake_event)
    receive_payment_event = Operation("payment.webhook", _online.receive_event)
    drain_payment_events = Operation("payment.webhook", _online.drain_events)
    sync_payments = Operation("payment.webhook", _online.sync_payments)
    run_autopay = Operation("autopay.run", _online.run_autopay)
