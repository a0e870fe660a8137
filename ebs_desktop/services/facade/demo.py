"""The demo operation of the staff facade (``ebs demo``), behind ``settings.edit``."""

from __future__ import annotations

from ebs_desktop.services import demo_setup as _demo_setup
from ebs_desktop.services.facade.door import Area, Operation


class DemoArea(Area):
    build_demo = Operation("settings.edit", _demo_setup.build_demo)
