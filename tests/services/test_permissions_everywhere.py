"""Every service entry point checks its permission, reads included (issue 17, point 8).

Found, not listed: every public function of every module under ``ebs_desktop.services``
that takes an ``actor`` is called with an actor holding no role, and must raise
PermissionDenied before it touches anything (the database's row counts and audit head
are compared before and after). Arguments are plausible where simple and ``None`` where
not: a function that looks at its arguments before checking the permission fails here.
Every public function that takes a database but no actor must be listed below with the
reason it needs none; a new one makes this test fail until it checks a permission or
says why not.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

import ebs_desktop.services
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base
from ebs_desktop.services import users
from ebs_desktop.services.actor import Actor, system_actor

NOBODY = Actor(None, "nobody", frozenset())

# public functions that take a database but no actor, and why that is right
WITHOUT_ACTOR: dict[str, str] = {
    "auth.login": "signing in is how an actor comes to be",
    "auth.verify_supervisor": "a supervisor signs in, then their permission is checked",
    "users.count_users": "first start: whether anybody can sign in at all",
    "notify.bill_pdfs.kept_for": "the sender's (job:notifier, checked) kept bill PDFs, read "
                                 "inside its own run",
    "notify.bill_pdfs.own_process_possible": "whether a helper process can open this "
                                             "database: connection set-up, no data",
    "account_edit.contact_rules": "the utility's rules for contact details (country, mail "
                                  "domain check), read before the caller's checked write",
    "users.create_first_admin": "first start: only on a database without users",
    "database.has_users": "decides whether the CLI may act before anybody signed in",
    "database.local_operator_allowed": "decides whether the CLI may act without --user",
    "database.check_schema": "opening the database, before anybody signed in",
    "database.current_revision": "opening the database, before anybody signed in",
    "counter.printing.print_pending": "prints jobs queued by an action checked when queued",
    "counter.directory.default_counter": "which counter this PC uses: set-up, no data",
    "counter.shifts.current_shift": "left to the counter engineer (issue 17, point 5 "
                                    "reworks who may see and use a shift)",
    "billing.pipeline.price_in": "inside run_billing (a helper process has no actor)",
    "billing.pipeline.priced_batches": "inside run_billing",
    "demo.build.build_demo": "fills an empty database (refuses one with accounts)",
    "demo.collections.add_collection_holds": "part of build_demo, on its empty database",
    "demo.support.add_service_requests": "part of build_demo, on its empty database",
    "backup.daily_backup_if_due": "the daily copy of the default SQLite file at start, "
                                  "before anybody signs in; writes only the data folder",
}

# public functions that take an actor but check nothing themselves, and why
UNCHECKED: dict[str, str] = {
    "audit.record": "the audit entry of an action that its caller checked",
    "counter.posting.post_payment_in": "inside post_payment's transaction, which checks",
    "bank.importer.post_bank_credit": "inside the bank import's or assignment's transaction",
    "counter.ownership.require_clerk_user": "inside a shift action's transaction, which checks",
    "counter.ownership.check_owner": "inside a shift action's transaction, which checks",
    "counter.ownership.own_open_shift": "inside a shift action's transaction, which checks",
    "counter.payment_checks.check_limit": "inside post_payment's transaction, which checks",
    "billing.failures.mark_failed": "records the failure of a run that run_billing checked",
    "account_edit.apply_contact": "inside the transaction of a checked contact change "
                                  "(the counter's edit, the portal's profile)",
    "account_prefs.apply_preferences": "inside the transaction of a checked preferences "
                                       "change (the counter's, the portal's profile)",
}


# arguments a function validates before its permission is known (which report it is)
ARGUMENTS: dict[str, dict[str, Any]] = {
    "reports.build_report": {"name": "revenue"},
    "guard.require_any": {"permissions": ("bill.run", "payment.post")},
}


def _public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    base = ebs_desktop.services.__name__ + "."
    for info in pkgutil.walk_packages(ebs_desktop.services.__path__, base):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) \
                    or fn.__module__ != module.__name__:
                continue
            yield f"{module.__name__.removeprefix(base)}.{name}", fn


def _takes_actor(fn: Callable[..., Any]) -> bool:
    hints = typing.get_type_hints(fn)
    return hints.get("actor") is Actor


def _value(kind: Any, db: Database, session: Any, tmp_path: Path) -> Any:
    """Something of type ``kind``; None where there is no obvious harmless value."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        if types.NoneType in typing.get_args(kind):
            return None
        kind = typing.get_args(kind)[0]
    origin = typing.get_origin(kind) or kind
    simple: dict[Any, Any] = {
        Database: db, Actor: NOBODY, str: "X-1", int: 1, bool: False, bytes: b"x",
        date: date(2026, 1, 1), datetime: datetime(2026, 1, 1), Decimal: Decimal(1),
        Money: Money.of("1", "USD"), Path: tmp_path / "out.csv", list: [], tuple: (),
        dict: {}}
    if kind.__class__.__name__ == "type" and getattr(kind, "__name__", "") == "Session":
        return session
    return simple.get(origin)


def _snapshot(db: Database) -> list[tuple[str, int]]:
    with db.read() as s:
        counts = [(t.name, int(s.scalar(select(func.count()).select_from(t)) or 0))
                  for t in Base.metadata.sorted_tables]
        head = s.execute(text("SELECT last_id, last_hash FROM audit_head")).all()
    return [*counts, ("head", hash(tuple(map(tuple, head))))]


def test_every_function_with_a_database_takes_an_actor_or_says_why_not() -> None:
    found = {name for name, fn in _public_functions()
             if "db" in inspect.signature(fn).parameters and not _takes_actor(fn)}
    unexplained = sorted(found - set(WITHOUT_ACTOR))
    assert not unexplained, ("these take a database but no actor: add an actor and a "
                             f"permission check, or say here why not: {unexplained}")
    assert not set(WITHOUT_ACTOR) - found, "stale entries in WITHOUT_ACTOR"


def test_every_function_with_an_actor_refuses_an_actor_without_roles(
        db: Database, tmp_path: Path) -> None:
    users.add_user(db, system_actor("test-admin"), "root", "Root", "password-1", ["admin"])
    before = _snapshot(db)
    checked: list[str] = []
    failures: dict[str, str] = {}
    for name, fn in _public_functions():
        if not _takes_actor(fn) or name in UNCHECKED:
            continue
        hints = typing.get_type_hints(fn)
        params = inspect.signature(fn).parameters.values()
        with db.write() as session:
            args = {p.name: _value(hints.get(p.name), db, session, tmp_path) for p in params
                    if p.default is inspect.Parameter.empty
                    and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
            args.update(ARGUMENTS.get(name, {}))
            try:
                result = fn(**args)
                if inspect.isgenerator(result):
                    next(result)
            except PermissionDenied as exc:
                assert "nobody (no role) may not" in str(exc), (name, exc)
                checked.append(name)
            except Exception as exc:  # the check must come first, whatever the arguments
                failures[name] = f"{type(exc).__name__}: {exc}"
            else:
                failures[name] = "ran without a permission check"
            session.rollback()
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())
    assert len(checked) > 60  # the sweep found the services (it walks every module)
    assert {"tariffs.list_tariffs", "tariffs.get_tariff", "tariffs.price_usage",
            "counter.printing.receipt_text", "counter.printing.retry_queue",
            "audit.verify", "audit.anchor", "database.database_info",
            "database.upgrade_database", "accounts.count_accounts",
            "settings.current_settings"} <= set(checked)
    assert _snapshot(db) == before  # and nothing was written by any of them
    assert not set(UNCHECKED) - {name for name, _ in _public_functions()}

