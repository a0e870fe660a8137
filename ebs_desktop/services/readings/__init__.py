"""Meter readings services: route entry, imports, direct readouts, handheld sync, exchange.

Every path turns its input into candidate readings, checks them with the pure rules in
``ebs_desktop.domain.readings`` against the registers' last readings (loaded in bulk) and
stores them in one transaction; see each module's docstring.
"""

from ebs_desktop.services.readings.entry import (
    HandheldSink,
    NeedsConfirmation,
    SavedReading,
    confirm_reading,
    save_reading,
    store_readout,
)
from ebs_desktop.services.readings.exchange import (
    ExchangeResult,
    SyncResult,
    exchange_meter,
    sync_handheld,
)
from ebs_desktop.services.readings.imports import (
    ImportRefused,
    ImportSummary,
    import_bytes,
    import_file,
)
from ebs_desktop.services.readings.route import RouteEntry, list_route, route_items, sheet_text

__all__ = ["ExchangeResult", "HandheldSink", "ImportRefused", "ImportSummary",
           "NeedsConfirmation", "RouteEntry", "SavedReading", "SyncResult", "confirm_reading",
           "exchange_meter", "import_bytes", "import_file", "list_route", "route_items",
           "save_reading", "sheet_text", "store_readout", "sync_handheld"]
