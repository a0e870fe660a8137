"""The database operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import backup as _backup
from ebs_desktop.services import database as _database
from ebs_desktop.services.facade.door import Area, Operation


class DatabaseArea(Area):
    database_info = Operation("db.manage", _database.database_info)
    upgrade_database = Operation("db.manage", _database.upgrade_database)
    set_local_operator = Operation("db.manage", _database.set_local_operator)
    backup_database = Operation("db.manage", _backup.backup_database)
    restore_database = Operation("db.manage", _backup.restore_database, uses_database=False)
