"""The readings operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import usage as _usage
from ebs_desktop.services.facade.door import Area, Operation
from ebs_desktop.services.readings import entry as _entry
from ebs_desktop.services.readings import exchange as _exchange
from ebs_desktop.services.readings import imports as _imports
from ebs_desktop.services.readings import route as _route


class ReadingsArea(Area):
    save_reading = Operation("reading.enter", _entry.save_reading)
    confirm_reading = Operation("reading.confirm", _entry.confirm_reading)
    store_readout = Operation("reading.enter", _entry.store_readout)
    exchange_meter = Operation("reading.enter", _exchange.exchange_meter)
    sync_handheld = Operation("handheld.sync", _exchange.sync_handheld)
    import_file = Operation("reading.import", _imports.import_file)
    import_bytes = Operation("reading.import", _imports.import_bytes)
    list_route = Operation("reading.enter", _route.list_route)
    sheet_text = Operation("reading.import", _route.sheet_text)
    route_items = Operation("handheld.sync", _route.route_items)
    held_self_reads = Operation("reading.confirm", _usage.held_self_reads)
    self_read_photo = Operation("reading.confirm", _usage.self_read_photo)
