"""The settings operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import notify_settings as _notify
from ebs_desktop.services import settings as _settings
from ebs_desktop.services.facade.door import Area, Operation


class SettingsArea(Area):
    current = Operation("settings.view", _settings.current_settings)
    update_settings = Operation("settings.edit", _settings.update_settings)
    # every documented key (business and delivery), checked; secrets in the OS keyring
    list_settings = Operation("settings.view", _notify.list_settings)
    get_setting = Operation("settings.view", _notify.get_setting)
    set_setting = Operation("settings.edit", _notify.set_setting)
    set_settings = Operation("settings.edit", _notify.set_settings)
    notify = Operation("settings.view", _notify.current_notify_settings)
    set_secret = Operation("settings.edit", _notify.set_secret)
    secret_states = Operation("settings.edit", _notify.secret_states)
