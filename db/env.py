"""Alembic environment: run migrations on the connection EBS Desktop hands over.

``ebs db upgrade`` (ebs_desktop.persistence.migrate) passes an open connection in
``config.attributes["connection"]``; the plain ``alembic`` command works too with
``-x url=...``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from ebs_desktop.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our TypeDecorators as their storage type, so migrations never import them."""
    from sqlalchemy.types import TypeDecorator

    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite needs table rebuilds for ALTER
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database with: alembic -x url=sqlite:///file.sqlite3 ...")
    with create_engine(url).connect() as conn:
        _run(conn)
