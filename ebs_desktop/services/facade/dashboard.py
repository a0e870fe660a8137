"""The home dashboard's operation of the staff facade (managers and administrators; each
part of the record is checked again inside, see :mod:`ebs_desktop.services.dashboard`)."""

from __future__ import annotations

from ebs_desktop.services import dashboard as _dashboard
from ebs_desktop.services.facade.door import Area, Operation


class DashboardArea(Area):
    dashboard = Operation(("report.view", "db.manage"), _dashboard.dashboard)
