"""The desktop app's link to the services: one database, the signed-in user's facade, and
local choices.

The screens never hold a session or a database handle: they call the staff facade
(:class:`~ebs_desktop.services.facade.StaffServices`, ``hub.staff``) inside tasks on the
worker thread and get frozen records back. The facade is built once per sign-in, with a
snapshot of the utility settings (``hub.settings``: currency, cash step...) read at the
same time. Which database to open is, in order: ``--db``, ``EBS_DATABASE_URL``, the
connection chosen in Administration (a local QSettings value applied at the next start),
the default SQLite file. The counter this PC serves is a local setting too
(``counter/code``).
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass, field

from ebs_desktop.config import resolve_database_url
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.gui.session import database_name
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.connection import Database, open_checked_database
from ebs_desktop.services.facade import StaffServices
from ebs_desktop.services.facade.signin import SignIn
from ebs_desktop.services.settings import UtilitySettings

KEY_DATABASE_URL = "database/url"
KEY_COUNTER = "counter/code"


def choose_database_url(explicit: str | None, saved: str = "") -> str:
    """``--db`` beats ``EBS_DATABASE_URL`` beats the saved local choice beats the default."""
    if explicit or os.environ.get("EBS_DATABASE_URL"):
        return resolve_database_url(explicit)
    return resolve_database_url(saved or None)


@dataclass
class ServiceHub:
    """What every page reaches through ``context.services``: the facade of whoever is
    signed in, the settings snapshot of that sign-in, and this PC's counter."""

    db: Database
    actor: Actor | None = None
    counter_code: str = ""
    _staff: StaffServices | None = field(default=None, init=False, repr=False)
    _settings: UtilitySettings | None = field(default=None, init=False, repr=False)

    @property
    def database_label(self) -> str:
        """The database as a person names it ("ebs on db.example:5432"), not its URL."""
        return database_name(self.db.display_name)

    @property
    def sign_in_door(self) -> SignIn:
        return SignIn(self.db)

    # -- who is signed in ----------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> Actor:
        """Check the password; on success the facade and the settings snapshot are the
        new user's."""
        actor = self.sign_in_door.login(username, password)
        self.use_actor(actor)
        return actor

    def use_actor(self, actor: Actor) -> None:
        """Act as ``actor`` from now on (a sign-in, or a test that signs in directly)."""
        self.actor = actor
        self._staff = StaffServices(self.db, actor)
        self._settings = None
        with suppress(PermissionDenied):  # a user without a role signs in to be told so
            self.reload_settings()

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no one is signed in")
        return self.actor

    @property
    def staff(self) -> StaffServices:
        """The facade of the signed-in user: every call checks that user's permission."""
        actor = self.require_actor()
        if self._staff is None or self._staff.principal != actor:
            self._staff = StaffServices(self.db, actor)
            self._settings = None
        return self._staff

    # -- the settings snapshot -----------------------------------------------------------
    @property
    def settings(self) -> UtilitySettings:
        """The utility settings as read at sign-in (or after they were last changed)."""
        staff = self.staff
        if self._settings is None:
            self._settings = staff.settings.current()
        return self._settings

    def reload_settings(self) -> UtilitySettings:
        """Read the settings again (after a change); safe on the worker thread."""
        self._settings = self.staff.settings.current()
        return self._settings

    def close(self) -> None:
        self.db.dispose()


def open_hub(url: str) -> ServiceHub:
    """Open and check the database; raises SchemaError/ConfigError with a readable message."""
    return ServiceHub(open_checked_database(url))
