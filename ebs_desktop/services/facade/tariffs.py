"""The tariffs operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import tariffs as _tariffs
from ebs_desktop.services.facade.door import Area, Operation


class TariffsArea(Area):
    save_tariff = Operation("tariff.edit", _tariffs.save_tariff)
    list_tariffs = Operation("tariff.view", _tariffs.list_tariffs)
    get_tariff = Operation("tariff.view", _tariffs.get_tariff)
    price_usage = Operation("bill.calc", _tariffs.calculate, uses_database=False)
