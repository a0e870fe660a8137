"""The record of backups taken (table ``backups``, migration 0008)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ebs_desktop.persistence.models import BackupRecord
from ebs_desktop.persistence.tx import Session

# (taken at, kind, path, size of the file, size of the database then)
BackupRow = tuple[datetime, str, str, int, int]


def add(session: Session, kind: str, path: str, size_bytes: int, database_bytes: int,
        actor: str, taken_at: datetime) -> int:
    row = BackupRecord(kind=kind, path=path, size_bytes=size_bytes,
                       database_bytes=database_bytes, actor=actor, taken_at=taken_at)
    session.add(row)
    session.flush()
    return row.id


def latest(session: Session, kind: str | None = None) -> BackupRow | None:
    """The newest backup (of ``kind`` if given)."""
    stmt = select(BackupRecord.taken_at, BackupRecord.kind, BackupRecord.path,
                  BackupRecord.size_bytes, BackupRecord.database_bytes)
    if kind is not None:
        stmt = stmt.where(BackupRecord.kind == kind)
    row = session.execute(stmt.order_by(BackupRecord.taken_at.desc(),
                                        BackupRecord.id.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1], row[2], int(row[3]), int(row[4]))


def latest_before(session: Session, before: datetime) -> BackupRow | None:
    """The newest backup taken before ``before`` (the database size a week ago)."""
    row = session.execute(
        select(BackupRecord.taken_at, BackupRecord.kind, BackupRecord.path,
               BackupRecord.size_bytes, BackupRecord.database_bytes)
        .where(BackupRecord.taken_at < before)
        .order_by(BackupRecord.taken_at.desc(), BackupRecord.id.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1], row[2], int(row[3]), int(row[4]))
