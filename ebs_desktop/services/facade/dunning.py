"""The collections (dunning) operations of the staff facade (issue 20, point 9)."""

from __future__ import annotations

from ebs_desktop.services import dunning as _dunning
from ebs_desktop.services.facade.door import Area, Operation


class DunningArea(Area):
    run = Operation("dunning.run", _dunning.run_dunning)
    plan = Operation("dunning.view", _dunning.plan_dunning)
    overview = Operation("dunning.view", _dunning.collections_overview)
    field_orders = Operation("dunning.view", _dunning.field_orders)
    field_order_report = Operation("dunning.view", _dunning.field_order_report)
    place_hold = Operation("dunning.manage", _dunning.place_hold)
    release_hold = Operation("dunning.manage", _dunning.release_hold)
    agree_arrangement = Operation("dunning.manage", _dunning.agree_arrangement)
    complete_order = Operation("dunning.manage", _dunning.complete_order)
    settings = Operation("settings.view", _dunning.dunning_settings)
    set_setting = Operation("settings.edit", _dunning.set_dunning_setting)
