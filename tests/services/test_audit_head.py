"""The audit chain's head (issue 17, point 11): deleting it is caught, a business write
after that fails with one clear line, anchors prove what was before them, and an
administrator can resume the chain with the loss on record. Both backends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from ebs_desktop.cli.main import cli
from ebs_desktop.errors import EbsError, PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import AuditEntry, User
from ebs_desktop.services import audit, auth, users
from ebs_desktop.services.actor import Actor, system_actor

ADMIN = system_actor("test-admin")
ADMIN_ENV = {"EBS_USER": "boss", "EBS_PASSWORD": "boss-password"}


def _chain(db: Database, n: int) -> None:
    """An administrator who can sign in, then ``n`` more users: n + 1 entries."""
    users.add_user(db, ADMIN, "boss", "Boss", "boss-password", ["admin"])
    for i in range(n):
        users.add_user(db, ADMIN, f"user{i}", f"User {i}", "password-1", ["clerk"])


def _sql(db: Database, *statements: str) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as s:
        return (int(s.scalar(select(func.count()).select_from(User)) or 0),
                int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0))


ATTACKS: dict[str, tuple[str, ...]] = {
    "head and tail": ("DELETE FROM audit_head", "DELETE FROM audit_log WHERE id >= 4"),
    "whole log and head": ("DELETE FROM audit_log", "DELETE FROM audit_head"),
    "log, head and mirror": ("DELETE FROM audit_log", "DELETE FROM audit_head",
                             "DELETE FROM settings WHERE key = 'audit.head'"),
    "head row only": ("DELETE FROM audit_head",),
}


@pytest.mark.books_broken
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_deleted_head_is_found_and_writes_stop_with_one_line(db: Database, attack: str) -> None:
    _chain(db, 4)
    _sql(db, *ATTACKS[attack])
    result = audit.verify(db, ADMIN)
    assert not result.ok, result
    assert result.problem
    if attack == "head and tail":
        assert result.bad_entry_id == 4 and "entries 4 to 5 were deleted" in result.problem
    before = _counts(db)
    with pytest.raises(audit.AuditChainBroken, match=r"^audit chain broken \(.*\); nothing "
                       r"is recorded until an administrator runs 'ebs audit verify'$"):
        users.add_user(db, ADMIN, "late", "Late", "password-1", ["clerk"])
    assert _counts(db) == before  # the whole action refused, not just its audit entry
    # an administrator can still sign in to look (the sign-in itself is not recorded)
    assert auth.login(db, "boss", "boss-password").roles == {"admin"}


@pytest.mark.books_broken
def test_cli_write_after_deletion_is_one_line_and_verify_exits_1(db: Database,
                                                                 db_url: str) -> None:
    _chain(db, 3)
    _sql(db, *ATTACKS["head and tail"])
    runner = CliRunner()
    added = runner.invoke(cli, ["--db", db_url, "user", "add", "late", "--role", "clerk"],
                          env={**ADMIN_ENV, "EBS_NEW_PASSWORD": "password-1"})
    assert added.exit_code == 1
    assert added.stderr.splitlines() == [
        "error: audit chain broken (the audit_head row is missing but its mirror is not); "
        "nothing is recorded until an administrator runs 'ebs audit verify'"]
    checked = runner.invoke(cli, ["--db", db_url, "audit", "verify"], env=ADMIN_ENV)
    assert checked.exit_code == 1
    assert "AUDIT CHAIN BROKEN" in checked.stderr and "deleted from the end" in checked.stderr


def _anchor_cli(db_url: str) -> str:
    done = CliRunner().invoke(cli, ["--db", db_url, "audit", "anchor"], env=ADMIN_ENV)
    assert done.exit_code == 0, done.output
    line = done.stdout.splitlines()[0]
    assert line.startswith("audit anchor: ")
    return line.removeprefix("audit anchor: ")


def test_anchor_is_audited_and_verify_anchor_holds(db: Database, db_url: str) -> None:
    _chain(db, 2)
    token = _anchor_cli(db_url)
    count, _, digest = token.partition(":")
    with db.read() as s:
        last = s.execute(select(AuditEntry.id, AuditEntry.hash, AuditEntry.action)
                         .order_by(AuditEntry.id.desc()).limit(1)).one()
    # the anchor is itself an entry (after the admin's sign-in, which is recorded too)
    assert tuple(last) == (int(count), digest, "audit.anchor")
    users.add_user(db, ADMIN, "later", "Later", "password-1", ["clerk"])
    for given in (token, digest):  # N:HASH, or the hash alone
        done = CliRunner().invoke(cli, ["--db", db_url, "audit", "verify", "--anchor", given],
                                  env=ADMIN_ENV)
        assert done.exit_code == 0, done.output
        assert f"entries 1 to {count} are unchanged" in done.stdout


def _truncate_consistently(db: Database, keep: int) -> None:
    """What a careful attacker does: drop the tail and rewind head and mirror with it."""
    with db.engine.begin() as conn:
        digest = conn.execute(text("SELECT hash FROM audit_log WHERE id = :k"),
                              {"k": keep}).scalar_one()
        conn.execute(text("DELETE FROM audit_log WHERE id > :k"), {"k": keep})
        conn.execute(text("UPDATE audit_head SET last_id = :k, last_hash = :h"),
                     {"k": keep, "h": digest})
        conn.execute(text("UPDATE settings SET value = :v WHERE key = 'audit.head'"),
                     {"v": audit.mirror_value(keep, digest)})


def _rewrite_consistently(db: Database, entry_id: int) -> None:
    """Edit one entry and recompute every hash after it, head and mirror included."""
    with db.write() as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        prev = audit.GENESIS
        for e in rows:
            if e.id == entry_id:
                e.actor = "nobody"
            e.prev_hash = prev
            e.hash = f"{e.id:064d}"  # the unique hashes swap places: move out of the way
        s.flush()
        for e in rows:
            e.prev_hash = prev
            e.hash = prev = audit.entry_hash(prev, e.id, e.at, e.user_id, e.actor, e.action,
                                             e.entity, e.entity_id, e.before, e.after)
        s.flush()
        s.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
        s.execute(text("UPDATE settings SET value = :v WHERE key = 'audit.head'"),
                  {"v": audit.mirror_value(len(rows), prev)})


TAMPERING: dict[str, Callable[[Database, int], None]] = {
    "truncated": lambda db, n: _truncate_consistently(db, n - 2),
    "rewritten": lambda db, n: _rewrite_consistently(db, 2),
}


@pytest.mark.parametrize("how", list(TAMPERING))
def test_anchor_catches_what_the_database_alone_cannot(db: Database, how: str) -> None:
    _chain(db, 3)  # entries 1-4
    users.set_active(db, ADMIN, "user0", False)  # 5
    users.set_active(db, ADMIN, "user0", True)  # 6
    anchored = audit.anchor(db, ADMIN)  # 7
    users.set_active(db, ADMIN, "user1", False)  # 8
    TAMPERING[how](db, anchored.entries or 0)
    # the documented limit: a consistent rewrite of the database alone verifies...
    assert audit.verify(db, ADMIN).ok
    # ... and the anchor kept outside does not
    result = audit.verify(db, ADMIN, anchor=audit.parse_anchor(anchored.text))
    assert not result.ok and result.problem
    if how == "truncated":
        assert result.bad_entry_id == anchored.entries - 1
        assert f"before the anchored entry {anchored.entries}" in result.problem
    else:
        assert result.bad_entry_id == anchored.entries
        assert "was rewritten" in result.problem
    hash_only = audit.verify(db, ADMIN, anchor=audit.parse_anchor(anchored.hash))
    assert not hash_only.ok and "anchor's hash" in (hash_only.problem or "")


def test_cli_verify_anchor_exits_1_naming_the_entry(db: Database, db_url: str) -> None:
    _chain(db, 3)
    token = _anchor_cli(db_url)
    _rewrite_consistently(db, 2)
    done = CliRunner().invoke(cli, ["--db", db_url, "audit", "verify", "--anchor", token],
                              env=ADMIN_ENV)
    assert done.exit_code == 1
    entry = token.partition(":")[0]
    assert done.stderr.startswith(f"AUDIT CHAIN BROKEN: entry {entry} is not the anchored one")
    bad = CliRunner().invoke(cli, ["--db", db_url, "audit", "verify", "--anchor", "12:zz"],
                             env=ADMIN_ENV)
    assert bad.exit_code == 1 and "64 hexadecimal digits" in bad.stderr


def test_resume_records_the_loss_and_writes_work_again(db: Database) -> None:
    _chain(db, 4)  # entries 1-5
    anchored = audit.anchor(db, ADMIN)  # 6
    _sql(db, *ATTACKS["head and tail"])  # entries 4 to 6 and the head row gone
    with pytest.raises(EbsError, match="say why"):
        audit.resume(db, ADMIN, "  ")
    resumed = audit.resume(db, ADMIN, "incident 42: tail deleted")
    assert resumed.entries == 4
    users.add_user(db, ADMIN, "late", "Late", "password-1", ["clerk"])
    result = audit.verify(db, ADMIN)
    assert result.ok and result.resumed_at == (4,) and result.entries == 5
    with db.read() as s:
        entry = s.execute(select(AuditEntry.action, AuditEntry.before, AuditEntry.after)
                          .where(AuditEntry.id == 4)).one()
    assert entry.action == "audit.resume" and "incident 42" in (entry.after or "")
    assert '"audit_head":null' in (entry.before or "")
    assert '"mirror":"6:' in (entry.before or "")  # what the head said before the deletion
    # the users whose creation entries were lost are listed, so verify accepts them...
    assert '"unrecorded_users":[4,5]' in (entry.before or "")
    # ...and the anchor taken before the break still proves the loss
    assert not audit.verify(db, ADMIN, anchor=audit.parse_anchor(anchored.text)).ok
    with pytest.raises(EbsError, match="nothing to resume"):
        audit.resume(db, ADMIN, "again")


def test_audit_commands_check_their_permission(db: Database) -> None:
    clerk = Actor(None, "clerk", frozenset({"clerk"}))
    manager = Actor(None, "manager", frozenset({"manager"}))
    _chain(db, 1)
    for call in (lambda: audit.verify(db, clerk), lambda: audit.verify(db, manager),
                 lambda: audit.anchor(db, clerk), lambda: audit.resume(db, manager, "x"),
                 lambda: audit.newest_entry(db, clerk)):
        with pytest.raises(PermissionDenied):
            call()
    assert audit.anchor(db, manager).entries == 3  # a manager files the anchor
