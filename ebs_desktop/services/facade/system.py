"""The system jobs' facade (notification sender, scheduler, webhook intake).

Each job holds one narrow role (``job:notifier``, ``job:scheduler``, ``job:webhooks``;
see :mod:`ebs_desktop.domain.permissions`). Today the only job work that exists is the
books check the scheduler runs at night; sending notifications, dunning, autopay and
payment webhooks join here, each behind the permission already declared for it.
"""

from __future__ import annotations

from ebs_desktop.services import books as _books
from ebs_desktop.services.facade.door import Door, Operation
from ebs_desktop.services.notify import sender as _sender


class SystemServices(Door):
    """What a system job may ask of the core."""

    kinds = frozenset({"job"})

    check_books = Operation("books.check", _books.check_books)
    send_notifications = Operation("notification.send", _sender.run_sender)
    outbox_status = Operation("notification.send", _sender.outbox_status)
