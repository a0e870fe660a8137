"""The audit log: every business action, hash-chained so that tampering shows.

How the chain works. Each entry's ``hash`` is SHA-256 over the previous entry's hash and
the entry's own canonical content (id, time, actor, action, entity, before, after). Ids
are given out contiguously from 1 under the lock of the single ``audit_head`` row, so
every entry carries its sequence number and its predecessor's hash: a deleted entry
leaves a gap, an edited one a hash mismatch, a reordered one a broken link, and
:func:`verify` names the first entry where the chain breaks.

Where the head is kept. The head (count and last hash) is in three places written in the
same transaction: the last entry itself, the ``audit_head`` row, and its mirror in
``settings`` (key ``audit.head``, text ``"N:HASH"``, the same text as an anchor). Every
append moves the mirror with ``UPDATE ... WHERE value = <the head it read>``, so an
append that finds the head row missing, or head and mirror disagreeing, writes nothing
and raises :class:`AuditChainBroken`: one clear line instead of an IntegrityError, and
the evidence is not overwritten by the next payment. ``verify`` compares all three.
A new chain starts only where none ever was: head, mirror and log all empty and no user
but the one being added now (every user's creation is an audited ``user.add``).

Decision on a broken head: business writes stop (fail closed) until an administrator
looks. Signing in still works (unaudited while broken, see ``services.auth``), and so
do ``ebs audit verify``; ``ebs audit resume --reason`` then continues the chain after
the last surviving entry with an ``audit.resume`` entry that records the head and mirror
it found and the reason, so the loss stays on record inside the chain itself.

Threat model, honestly. Someone with write access to the database (the SQLite file, or
the PostgreSQL credentials) and who has read this code:
- cannot edit, delete or reorder an entry in the middle without ``verify`` naming it;
- cannot delete the head row, the tail, or the whole log and the head (the issue's
  attack) without ``verify`` reporting it and every later business write refusing: the
  mirror, the last entry and the users' ``user.add`` entries give it away;
- CAN rewrite consistently: delete the tail and rewind both head and mirror, or even
  recompute every hash after an edit. Nothing stored in the same database can prevent
  that, and a key in one PC's OS keyring would not help a PostgreSQL office where every
  counter PC must append (each would need the key, and so would the attacker's
  copy of it). The gap is closed from outside: ``ebs audit anchor`` prints the current
  head (count + hash, itself an audited entry) for a manager to file on paper or send
  out of the building; ``ebs audit verify --anchor N:HASH`` later proves that the first
  N entries are exactly those that were anchored (a rewrite or removal up to the anchor
  changes entry N's hash, or removes it). What an attacker can still hide is what
  happened after the last anchor: anchor often (month end, with the ledger
  reconciliation report, which prints the head too).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ebs_desktop.domain import audit_words as words
from ebs_desktop.errors import ConflictError, EbsError, NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import accounts as account_store
from ebs_desktop.persistence.stores import audit as store
from ebs_desktop.persistence.stores import users as user_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require

GENESIS = "0" * 64
MIRROR_KEY = store.MIRROR_KEY
RESUME_ACTION = "audit.resume"


class AuditChainBroken(EbsError):
    """The head of the audit chain is missing or rewritten: nothing more is recorded."""

    def __init__(self, what: str) -> None:
        super().__init__(f"audit chain broken ({what}); nothing is recorded until an "
                         "administrator runs 'ebs audit verify'")


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


def anchor_text(entries: int, digest: str) -> str:
    """The head as one token, ``N:HASH``: the mirror's value and what an anchor prints."""
    return f"{entries}:{digest}"


def mirror_value(entries: int, digest: str) -> str:
    """The ``settings`` value of the mirror (settings hold JSON)."""
    return json.dumps(anchor_text(entries, digest))


def _start_chain(session: Session, action: str, entity_id: object) -> None:
    """The first entry ever: only where no chain, head, mirror or earlier user exists."""
    if store.mirror_text(session) is not None:
        raise AuditChainBroken("the audit_head row is missing but its mirror is not")
    if store.has_entries(session):
        raise AuditChainBroken("the audit_head row is missing")
    if user_store.count_users(
            session, excluding=int(str(entity_id)) if action == "user.add" else None):
        raise AuditChainBroken("the audit log is empty but users exist: log and head "
                               "were deleted")
    store.create_head(session, 0, GENESIS)
    store.create_mirror(session, mirror_value(0, GENESIS))


def _append(session: Session, actor: Actor, action: str, entity: str, entity_id: object,
            before: Any, after: Any, last: tuple[int, str], *, mirror_from: str | None
            ) -> tuple[int, str]:
    """Write entry ``last + 1`` and move head and mirror to it. ``mirror_from``: the mirror
    value expected (None: set it whatever it was, for :func:`resume`)."""
    last_id, last_hash = last
    # Aware UTC: PostgreSQL stores the instant whatever its TimeZone setting; SQLite keeps
    # the UTC wall time. Both read back to the same canonical text for the hash.
    at = datetime.now(UTC)
    new_id = last_id + 1
    before_text, after_text = _dump(before), _dump(after)
    entity_key = str(entity_id)
    digest = entry_hash(last_hash, new_id, at, actor.user_id, actor.username, action, entity,
                        entity_key, before_text, after_text)
    new_mirror = mirror_value(new_id, digest)
    conn = session.connection()  # Core on the session's connection: the cheapest path
    if mirror_from is not None:
        # first, so that when head and mirror disagree nothing at all has been written
        if not store.move_mirror(conn, mirror_from, new_mirror):
            raise AuditChainBroken(f"the audit head (entry {last_id}) does not match its "
                                   "mirror in settings")
    else:
        store.replace_mirror(conn, new_mirror)
    store.insert_entry(conn, {"id": new_id, "at": at, "user_id": actor.user_id,
                              "actor": actor.username, "action": action, "entity": entity,
                              "entity_id": entity_key, "before": before_text,
                              "after": after_text, "prev_hash": last_hash, "hash": digest})
    store.move_head(conn, new_id, digest)
    return new_id, digest


def _record(session: Session, actor: Actor, action: str, entity: str, entity_id: object,
            before: Any, after: Any) -> tuple[int, str]:
    head = store.lock_head(session.connection())
    if head is None:
        _start_chain(session, action, entity_id)
        last_id, last_hash = 0, GENESIS
    else:
        last_id, last_hash = head
    return _append(session, actor, action, entity, entity_id, before, after,
                   (last_id, last_hash), mirror_from=mirror_value(last_id, last_hash))


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: object = "",
           *, before: Any = None, after: Any = None) -> int:
    """Append one entry in the caller's transaction (so it commits or rolls back with it);
    returns its id. Raises :class:`AuditChainBroken`, having written nothing, when the
    head row is missing or disagrees with its mirror.

    The head row stays locked until that transaction ends, so call this as the last write
    of a use case: concurrent writers then wait only for each other's commit. Core
    statements, not the ORM: this runs on every payment and must cost well under 1 ms.
    """
    return _record(session, actor, action, entity, entity_id, before, after)[0]


# -- verifying -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Anchor:
    """A head written down outside the database: ``entries`` (None if only the hash is
    known) and the hash of entry number ``entries``."""

    entries: int | None
    hash: str

    @property
    def text(self) -> str:
        return self.hash if self.entries is None else anchor_text(self.entries, self.hash)


def parse_anchor(text: str) -> Anchor:
    """``N:HASH`` (what ``ebs audit anchor`` prints) or the bare 64-digit hash."""
    count, sep, digest = text.strip().lower().rpartition(":")
    entries: int | None = None
    if sep:
        if not count.isdigit() or int(count) < 1:
            raise ValidationError(f"{text!r}: expected N:HASH, N the number of entries",
                                  location="--anchor")
        entries = int(count)
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValidationError(f"{text!r}: the hash has 64 hexadecimal digits",
                              location="--anchor")
    return Anchor(entries, digest)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    head_hash: str
    problem: str | None = None
    bad_entry_id: int | None = None
    anchor_entry: int | None = None  # the anchored entry, when an anchor was given and held
    resumed_at: tuple[int, ...] = ()  # audit.resume entries: breaks an administrator noted

    @property
    def anchor(self) -> str:
        return anchor_text(self.entries, self.head_hash)


def _stored_head(session: Session) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """(head row, mirror) as (entries, hash) each, None where missing."""
    head = store.read_head(session)
    value = store.mirror_text(session)
    mirror: tuple[int, str] | None = None
    if value is not None:
        try:
            count, _, digest = str(json.loads(value)).partition(":")
            mirror = (int(count), digest)
        except ValueError:
            mirror = (-1, str(value))
    return head, mirror


def _head_problem(name: str, stored: tuple[int, str], count: int, last: str
                  ) -> tuple[str, int | None] | None:
    n, digest = stored
    if n > count:
        lost = f"entry {n} was" if n == count + 1 else f"entries {count + 1} to {n} were"
        return (f"the {name} records entry {n} but the chain ends at entry {count}: "
                f"{lost} deleted from the end", count + 1)
    if n < count:
        return (f"the {name} records entry {n} but the chain goes on to entry {count}: "
                f"the {name} was rewound", n + 1)
    if digest != last:
        return (f"the {name} and entry {count} have different hashes: one of them was "
                "rewritten", count or None)
    return None


def verify_in(session: Session, anchor: Anchor | None = None) -> VerifyResult:
    """Walk the whole chain inside the caller's transaction (the caller checks the
    permission): the first entry edited, deleted or reordered, a head row or mirror that
    is missing or does not match the chain's end, a user whose creation has no entry,
    and, with ``anchor``, whether the chain still holds the anchored entry unchanged."""
    prev_hash, expected_id, count = GENESIS, 1, 0
    added: set[str] = set()
    resumed: list[int] = []
    anchored: int | None = None

    def broken(problem: str, bad: int | None) -> VerifyResult:
        return VerifyResult(False, count, prev_hash, problem, bad, anchored, tuple(resumed))

    for e in store.stream_entries(session):
        if e.id != expected_id:
            return broken(f"entry {expected_id} is missing (deleted?): the chain jumps to "
                          f"entry {e.id}", expected_id)
        if e.prev_hash != prev_hash:
            return broken(f"entry {e.id} does not follow entry {e.id - 1} "
                          "(reordered or inserted)", e.id)
        digest = entry_hash(e.prev_hash, e.id, e.at, e.user_id, e.actor, e.action,
                            e.entity, e.entity_id, e.before, e.after)
        if digest != e.hash:
            return broken(f"entry {e.id} was edited: its content does not match its hash",
                          e.id)
        if anchor is not None:
            if e.hash == anchor.hash:
                anchored = e.id
            elif anchor.entries == e.id:
                return broken(f"entry {e.id} is not the anchored one (anchor {anchor.text}): "
                              f"the chain up to entry {e.id} was rewritten", e.id)
        if e.action == "user.add":
            added.add(e.entity_id)
        elif e.action == RESUME_ACTION:
            resumed.append(e.id)
            added.update(str(u) for u in json.loads(e.before or "{}").get("unrecorded_users",
                                                                            []))
        prev_hash, expected_id, count = e.hash, e.id + 1, count + 1
    if anchor is not None and anchored is None:
        if anchor.entries is not None:
            return broken(f"the chain ends at entry {count}, before the anchored entry "
                          f"{anchor.entries}: entries {count + 1} to {anchor.entries} were "
                          "removed", count + 1)
        return broken(f"no entry has the anchor's hash {anchor.hash}: the entries up to it "
                      "were rewritten or removed", None)
    head, mirror = _stored_head(session)
    for name, stored in (("head's mirror in settings", mirror), ("audit_head row", head)):
        if stored is None:
            if count or head is not None or mirror is not None:
                return broken(f"the {name} is missing (deleted?)", None)
            continue
        found = _head_problem(name, stored, count, prev_hash)
        if found is not None:
            return broken(*found)
    for user_id, username in user_store.user_ids_and_names(session):
        if str(user_id) not in added:
            return broken(f"user {username} (id {user_id}) has no audit entry for its "
                          "creation: entries were deleted (the whole log?)", None)
    return VerifyResult(True, count, prev_hash, None, None, anchored, tuple(resumed))


def verify(db: Database, actor: Actor, *, anchor: Anchor | None = None) -> VerifyResult:
    """``ebs audit verify [--anchor N:HASH]``: walk the whole chain (see :func:`verify_in`)."""
    require(actor, "audit.verify")
    with db.read() as session:
        return verify_in(session, anchor)


def anchor(db: Database, actor: Actor) -> Anchor:
    """``ebs audit anchor``: verify the chain, then record an ``audit.anchor`` entry and
    return it as the anchor (its number and hash) to keep outside the database. A broken
    chain is not anchored: the anchor would vouch for the damage."""
    require(actor, "audit.view")
    with db.read() as session:
        checked = verify_in(session)
    if not checked.ok:
        raise AuditChainBroken(checked.problem or "verification failed")
    with db.write() as session:
        new_id, digest = _record(session, actor, "audit.anchor", "audit_log", checked.entries,
                                 None, {"verified": checked.anchor})
    return Anchor(new_id, digest)


def resume(db: Database, actor: Actor, reason: str) -> Anchor:
    """``ebs audit resume --reason``: after a break of the head (row deleted, tail deleted,
    head and mirror disagreeing) continue the chain after the last surviving entry. The
    ``audit.resume`` entry records what was found (head row, mirror, users whose creation
    entry is gone) and why; the loss stays provable with any anchor taken before it."""
    require(actor, "audit.verify")
    if not reason.strip():
        raise ValidationError("say why the chain is resumed", location="--reason")
    with db.write() as session:
        head = store.lock_head(session)
        _, mirror = _stored_head(session)
        last = store.last_entry(session)
        last_id, last_hash = (0, GENESIS) if last is None else last
        here = (last_id, last_hash)
        if head is not None and head == here and mirror == here:
            raise ConflictError("the audit head is intact; there is nothing to resume "
                                "('ebs audit verify' checks the rest of the chain)")
        recorded = store.entity_ids_of(session, "user.add")
        missing = [u for u in user_store.user_ids(session) if str(u) not in recorded]
        if head is None:
            store.create_head(session, last_id, last_hash)
        found = {"audit_head": None if head is None else anchor_text(*head),
                 "mirror": None if mirror is None else anchor_text(*mirror),
                 "last_entry": anchor_text(last_id, last_hash),
                 "unrecorded_users": missing}
        new_id, digest = _append(session, actor, RESUME_ACTION, "audit_log", last_id, found,
                                 {"reason": reason.strip()}, here, mirror_from=None)
    return Anchor(new_id, digest)


# -- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    after: str | None


def newest_entry(db: Database, actor: Actor) -> int:
    """The number of the newest entry (0 for an empty log)."""
    require(actor, "audit.view")
    with db.read() as session:
        return store.newest_id(session)


def entries_below(db: Database, actor: Actor, top: int, limit: int) -> list[AuditRow]:
    """Entries ``top`` and down, newest first (ids are contiguous: a keyset page)."""
    require(actor, "audit.view")
    with db.read() as session:
        return [AuditRow(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.after)
                for e in store.entries_below(session, top, limit)]


# -- the viewer: who by name, what in words, filtered ---------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """What the viewer narrows to; every field left None (or empty) keeps all entries.

    ``user_id``: what that user did, and the failed sign-ins recorded against them;
    ``actions``: action codes (:data:`~ebs_desktop.domain.audit_words.ACTION_WORDS`);
    ``account``: an account number (the account's own entries and every entry naming it);
    ``first`` / ``last``: days, both included (UTC)."""

    user_id: int | None = None
    actions: tuple[str, ...] = ()
    account: str | None = None
    first: date | None = None
    last: date | None = None

    @property
    def empty(self) -> bool:
        return (self.user_id is None and not self.actions and not self.account
                and self.first is None and self.last is None)


@dataclass(frozen=True)
class AuditLine:
    """One entry as a person reads it."""

    id: int
    at: datetime
    who: str  # the user's full name, else the recorded actor ("sign-in", a job)
    username: str
    action: str  # the code, for filtering
    what: str  # the action in words, with its subject
    change: str  # before -> after, one field per line


@dataclass(frozen=True)
class StaffName:
    user_id: int
    username: str
    full_name: str

    @property
    def label(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


def audit_line(entry_id: int, at: datetime, actor_name: str, full_name: str | None,
               action: str, entity: str, entity_id: str, before: str | None,
               after: str | None, *, names: dict[str, str] | None = None) -> AuditLine:
    """An entry in words (pure: the viewer and ``ebs audit`` read the same sentence).
    ``names``: what to call an entity instead of its id (``"user:4"`` -> "Rita Reader",
    ``"account:1028"`` -> "account 100010283")."""
    names = names or {}
    who = full_name or actor_name
    change = "\n".join(words.changes(before, after))
    if action == words.FAILED_SIGN_IN:
        what = f"{words.action_words(action)} {words.failed_sign_in(after)}".strip()
        who, change = "(not signed in)", ""
    elif action == "user.login":
        what = words.action_words(action)
    else:
        named = names.get(f"{entity}:{entity_id}")
        about = named or words.subject(entity, entity_id, before, after)
        what = f"{words.action_words(action)}: {about}"
    return AuditLine(entry_id, at, who, actor_name, action, what, change)


def _filters(session: Session, flt: AuditFilter) -> dict[str, Any]:
    account_id: int | None = None
    number: str | None = None
    if flt.account:
        number = flt.account.strip()
        account_id = account_store.account_id_of(session, number)
        if account_id is None:
            raise NotFound(f"no account {number!r}: check the number "
                           "(the audit filter takes a whole account number)")
    if flt.first is not None and flt.last is not None and flt.last < flt.first:
        raise ValidationError(f"the day {flt.last.isoformat()} is before "
                              f"{flt.first.isoformat()}", location="audit days")
    return {"user_id": flt.user_id, "actions": flt.actions, "account_id": account_id,
            "account_number": number, "first": flt.first, "last": flt.last}


def count_entries(db: Database, actor: Actor, flt: AuditFilter) -> int:
    """How many entries pass ``flt`` (the newest entry's number when nothing filters)."""
    require(actor, "audit.view")
    with db.read() as session:
        if flt.empty:
            return store.newest_id(session)
        return store.count_matching(session, **_filters(session, flt))


def find_entries(db: Database, actor: Actor, flt: AuditFilter, offset: int,
                 limit: int) -> list[AuditLine]:
    """Entries passing ``flt``, newest first, from ``offset`` (a page of the viewer)."""
    require(actor, "audit.view")
    with db.read() as session:
        if flt.empty:  # ids are contiguous: a keyset page, however deep
            top = store.newest_id(session) - offset
            rows = store.find_matching(session, 0, limit, top=top, **_filters(session, flt))
        else:
            rows = store.find_matching(session, offset, limit, **_filters(session, flt))
        names = {f"user:{i}": (n or u) for i, u, n in store.staff_names(session)}
        accounts = store.account_numbers(session, [int(r[7]) for r in rows
                                                   if r[6] == "account" and str(r[7]).isdigit()])
    names.update({f"account:{i}": f"account {n}" for i, n in accounts.items()})
    return [audit_line(int(r[0]), r[1], r[3], r[4], r[5], r[6], r[7], r[8], r[9], names=names)
            for r in rows]


def staff_names(db: Database, actor: Actor) -> list[StaffName]:
    """Every user, by full name: the viewer's user filter."""
    require(actor, "audit.view")
    with db.read() as session:
        return [StaffName(i, u, n) for i, u, n in store.staff_names(session)]
