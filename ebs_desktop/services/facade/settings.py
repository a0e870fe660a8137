"""The settings operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import settings as _settings
from ebs_desktop.services.facade.door import Area, Operation


class SettingsArea(Area):
    current = Operation("settings.view", _settings.current_settings)
    update_settings = Operation("settings.edit", _settings.update_settings)
