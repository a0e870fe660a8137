"""What the services may hold of the database without speaking SQL.

A service owns its transaction (``with db.write() as session:``) and passes the session
to the stores in ``persistence/stores/``, which own every query. These names let the
services annotate what they pass and catch what the database raises, without importing
SQLAlchemy themselves (``tests/test_layering.py`` checks that nothing outside
``persistence/`` does).
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

__all__ = ["Connection", "DBAPIError", "IntegrityError", "OperationalError", "Session"]
