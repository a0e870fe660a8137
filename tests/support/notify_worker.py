"""A notification sender in a process of its own (the concurrency test starts several
and kills one): drains the outbox of ``url`` into the SMTP server on ``port``."""

from __future__ import annotations

import gc


def run_sender_process(url: str, port: int, name: str, lease_seconds: float) -> None:
    gc.disable()
    from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.services.actor import Actor
    from ebs_desktop.services.facade import SystemServices
    from ebs_desktop.services.notify.sender import Transports

    db = open_database(url)
    config = SmtpConfig("127.0.0.1", port)
    SystemServices(db, Actor.job("notifier")).send_notifications(
        transports=Transports(email=lambda: SmtpTransport(config)), batch=10,
        lease_seconds=lease_seconds, name=name)
    db.dispose()
