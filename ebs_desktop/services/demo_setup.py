"""The demo utility as an operation of the staff facade (``ebs demo``, first start).

:func:`ebs_desktop.services.demo.build_demo` fills an empty database and takes no actor
(it is also how tests and benchmarks get data); a front end asks for it through here, so
the permission is checked like any other: the demo writes settings, users, tariffs and
counters, so it needs ``settings.edit``.
"""

from __future__ import annotations

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.demo import DemoResult
from ebs_desktop.services.demo import build_demo as _build
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState


def build_demo(db: Database, actor: Actor, customers: int, months: int,
               until: str | None = None, seed: int = 1, counter_months: int | None = None,
               *, task: TaskState | None = None) -> DemoResult:
    """Fill an empty database with the demo utility (see :mod:`ebs_desktop.services.demo`)."""
    require(actor, "settings.edit")
    return _build(db, customers, months, until, seed, counter_months=counter_months, task=task)
