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

from sqlalchemy import select, update
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


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object = "",
           *, before: Any = None, after: Any = None) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits or rolls back with it)."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    at = datetime.now(UTC).replace(tzinfo=None)
    new_id = head.last_id + 1
    before_text, after_text = _dump(before), _dump(after)
    digest = entry_hash(head.last_hash, new_id, at, actor.user_id, actor.username, action,
                        entity, str(entity_id), before_text, after_text)
    entry = AuditEntry(id=new_id, at=at, user_id=actor.user_id, actor=actor.username,
                       action=action, entity=entity, entity_id=str(entity_id),
                       before=before_text, after=after_text, prev_hash=head.last_hash,
                       hash=digest)
    session.add(entry)
    session.execute(update(AuditHead).where(AuditHead.id == 1)
                    .values(last_id=new_id, last_hash=digest))
    session.flush()
    return entry


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
