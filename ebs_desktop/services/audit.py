"""The audit log: every business action, hash-chained so that tampering shows.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the entry's own
canonical content (id, time, actor, action, entity, before, after). Ids are given out
contiguously under the lock of the single ``audit_head`` row, so a deleted entry leaves
a gap, an edited one a hash mismatch, and a reordered one a broken link; ``verify`` names
the first entry where the chain breaks. The head hash can be printed and kept outside the
database (the ledger reconciliation report does), so even a rewrite of the whole chain
is caught.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, AuditHead
from ebs_desktop.services.actor import Actor

GENESIS = "0" * 64


def _canonical_time(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))


def entry_hash(prev_hash: str, entry_id: int, at: datetime, user_id: int | None, actor: str,
               action: str, entity: str, entity_id: str, before: str | None,
               after: str | None) -> str:
    payload = json.dumps(
        [entry_id, _canonical_time(at), user_id, actor, action, entity, entity_id, before,
         after],
        separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


_HEAD: Table = AuditHead.__table__  # type: ignore[assignment]
_LOG: Table = AuditEntry.__table__  # type: ignore[assignment]
_LOCK_HEAD = select(_HEAD.c.last_id, _HEAD.c.last_hash).where(_HEAD.c.id == 1).with_for_update()
_INSERT = insert(_LOG)
_MOVE_HEAD = update(_HEAD).where(_HEAD.c.id == 1)


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object = "",
           *, before: Any = None, after: Any = None) -> int:
    """Append one entry in the caller's transaction (so it commits or rolls back with it);
    returns its id.

    The head row stays locked until that transaction ends, so call this as the last write
    of a use case: concurrent writers then wait only for each other's commit. Core
    statements, not the ORM: this runs on every payment and must cost well under 1 ms.
    """
    head = session.execute(_LOCK_HEAD).first()
    if head is None:
        session.execute(insert(_HEAD).values(id=1, last_id=0, last_hash=GENESIS))
        last_id, last_hash = 0, GENESIS
    else:
        last_id, last_hash = int(head[0]), str(head[1])
    # Aware UTC: PostgreSQL stores the instant whatever its TimeZone setting; SQLite keeps
    # the UTC wall time. Both read back to the same canonical text for the hash.
    at = datetime.now(UTC)
    new_id = last_id + 1
    before_text, after_text = _dump(before), _dump(after)
    entity_key = str(entity_id)
    digest = entry_hash(last_hash, new_id, at, actor.user_id, actor.username, action, entity,
                        entity_key, before_text, after_text)
    session.execute(_INSERT, {"id": new_id, "at": at, "user_id": actor.user_id,
                              "actor": actor.username, "action": action, "entity": entity,
                              "entity_id": entity_key, "before": before_text,
                              "after": after_text, "prev_hash": last_hash, "hash": digest})
    session.execute(_MOVE_HEAD, {"last_id": new_id, "last_hash": digest})
    return new_id


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    head_hash: str
    problem: str | None = None
    bad_entry_id: int | None = None


def _stream(session: Session) -> Iterator[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=5000)
    yield from session.scalars(stmt)


def verify(db: Database) -> VerifyResult:
    """Walk the whole chain; report the first entry that was edited, deleted or reordered."""
    with db.read() as session:
        prev_hash, expected_id, count = GENESIS, 1, 0
        for e in _stream(session):
            if e.id != expected_id:
                return VerifyResult(False, count, prev_hash,
                                    f"entry {expected_id} is missing (deleted?): "
                                    f"the chain jumps to entry {e.id}", expected_id)
            if e.prev_hash != prev_hash:
                return VerifyResult(False, count, prev_hash,
                                    f"entry {e.id} does not follow entry {e.id - 1} "
                                    "(reordered or inserted)", e.id)
            digest = entry_hash(e.prev_hash, e.id, e.at, e.user_id, e.actor, e.action,
                                e.entity, e.entity_id, e.before, e.after)
            if digest != e.hash:
                return VerifyResult(False, count, prev_hash,
                                    f"entry {e.id} was edited: its content does not match "
                                    "its hash", e.id)
            prev_hash, expected_id, count = e.hash, e.id + 1, count + 1
        head = session.get(AuditHead, 1)
        if head is not None and (head.last_id != count or head.last_hash != prev_hash):
            return VerifyResult(False, count, prev_hash,
                                f"the chain ends at entry {count} but the head records "
                                f"entry {head.last_id} (entries deleted from the end?)",
                                count + 1)
        return VerifyResult(True, count, prev_hash)


def head_hash(db: Database) -> str:
    with db.read() as session:
        head = session.get(AuditHead, 1)
        return head.last_hash if head else GENESIS
