"""The desktop app's link to the services: one database, the signed-in actor, local choices.

The screens never hold a session: they call service functions with ``hub.db`` and
``hub.actor`` inside tasks on the worker thread and get frozen records back. Which
database to open is, in order: ``--db``, ``EBS_DATABASE_URL``, the connection chosen in
Administration (a local QSettings value applied at the next start), the default SQLite
file. The counter this PC serves is a local setting too (``counter/code``).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field

from ebs_desktop.config import resolve_database_url
from ebs_desktop.persistence.engine import Database, open_database
from ebs_desktop.services.actor import Actor

KEY_DATABASE_URL = "database/url"
KEY_COUNTER = "counter/code"


def service_module_present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def choose_database_url(explicit: str | None, saved: str = "") -> str:
    """``--db`` beats ``EBS_DATABASE_URL`` beats the saved local choice beats the default."""
    if explicit or os.environ.get("EBS_DATABASE_URL"):
        return resolve_database_url(explicit)
    return resolve_database_url(saved or None)


@dataclass
class ServiceHub:
    """What every page reaches through ``context.services``."""

    db: Database
    actor: Actor | None = None
    counter_code: str = ""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def database_label(self) -> str:
        return f"{self.db.display_name} ({self.db.backend})"

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no one is signed in")
        return self.actor


def open_hub(url: str) -> ServiceHub:
    """Open and check the database; raises SchemaError/ConfigError with a readable message."""
    from ebs_desktop.persistence.migrate import check_schema

    db = open_database(url)
    try:
        check_schema(db)
    except Exception:
        db.dispose()
        raise
    return ServiceHub(db)
