"""The audit operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import audit as _audit
from ebs_desktop.services.facade.door import Area, Operation


class AuditArea(Area):
    verify = Operation("audit.verify", _audit.verify)
    anchor = Operation("audit.view", _audit.anchor)
    resume = Operation("audit.verify", _audit.resume)
    newest_entry = Operation("audit.view", _audit.newest_entry)
    entries_below = Operation("audit.view", _audit.entries_below)
    count_entries = Operation("audit.view", _audit.count_entries)
    find_entries = Operation("audit.view", _audit.find_entries)
    staff_names = Operation("audit.view", _audit.staff_names)
