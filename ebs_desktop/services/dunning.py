"""Collections (issue 20, point 9): the dunning run, holds, arrangements, field orders.

``run_dunning`` reads the facts of every account on the path (open bills, steps reached,
holds, orders, arrangements) and plans with the pure rules of
:mod:`ebs_desktop.domain.dunning`; a dry run returns that plan, a real run computes the
same plan inside its write transaction and carries it out there: each step's event, the
customer's notice (``outbox.enqueue``, key ``dunning:<level>:<bill number>``), the field
order, the reconnection fee (``persistence.ledger``, AR up, FEES down) and one audit
entry for the run. A step already taken is a row of ``dunning_events`` (unique per bill
and level), so running twice on one day changes nothing the second time.

The rules (offsets, minimum amounts, fee, winter moratorium) are settings under
``dunning.*`` (:data:`ebs_desktop.domain.dunning.SETTING_KEYS`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ebs_desktop.domain import dunning as rules_
from ebs_desktop.domain.dunning import (
    AccountFacts,
    Action,
    DunningRules,
    HoldKind,
    Level,
    Step,
)
from ebs_desktop.domain.money import Money, parse_money
from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import ConflictError, NotFound, ValidationError
from ebs_desktop.persistence import ledger
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import dunning as store
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.persistence.stores import settings as settings_store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.tabular import Column, Section, TableReport
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import UtilitySettings, get_settings

NOTICE_OF = {
    Action.REMINDER: Kind.REMINDER,
    Action.OVERDUE: Kind.OVERDUE_NOTICE,
    Action.FINAL: Kind.FINAL_NOTICE,
    Action.DISCONNECT: Kind.DISCONNECTION_NOTICE,
    Action.RECONNECT: Kind.RECONNECTION,
}


# -- records -------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedStep:
    action: str
    account_number: str
    name: str
    arrears: Money
    bill_number: str | None
    due_date: date | None
    disconnect_on: date | None
    held_by: str | None
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "account": self.account_number, "name": self.name,
                "arrears": str(self.arrears.amount), "bill": self.bill_number,
                "due_date": None if self.due_date is None else self.due_date.isoformat(),
                "disconnect_on": (None if self.disconnect_on is None
                                  else self.disconnect_on.isoformat()),
                "held_by": self.held_by, "detail": self.detail}


@dataclass(frozen=True)
class DunningRun:
    as_of: date
    dry_run: bool
    steps: tuple[PlannedStep, ...]
    notices: int  # outbox messages written (0 on a dry run)
    orders: tuple[str, ...]  # field order numbers written (none on a dry run)
    fees: Money

    def counts(self) -> dict[str, int]:
        """Steps per action, held steps under ``held:<action>``."""
        out: dict[str, int] = {}
        for s in self.steps:
            key = f"held:{s.action}" if s.held_by else s.action
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def as_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "dry_run": self.dry_run,
                "counts": self.counts(), "notices": self.notices, "orders": list(self.orders),
                "fees": str(self.fees.amount), "steps": [s.as_json() for s in self.steps]}


@dataclass(frozen=True)
class DunningSetting:
    key: str
    value: str
    default: str
    meaning: str


@dataclass(frozen=True)
class PathRow:
    account_number: str
    name: str
    level: str
    bill_number: str
    on: date
    disconnect_on: date | None
    arrears: Money


@dataclass(frozen=True)
class HoldRow:
    hold_id: int
    account_number: str
    name: str
    kind: str
    starts_on: date
    ends_on: date | None
    reference: str
    note: str


@dataclass(frozen=True)
class ArrangementRow:
    arrangement_id: int
    account_number: str
    name: str
    reference: str
    agreed_on: date
    total: Money
    status: str
    instalments: int
    last_due: date | None


@dataclass(frozen=True)
class OrderRow:
    number: str
    kind: str
    status: str
    ordered_on: date
    done_on: date | None
    account_number: str
    name: str
    address: str
    route: str
    walk_order: int
    arrears: Money
    fee: Money


@dataclass(frozen=True)
class CollectionsOverview:
    as_of: date
    levels: dict[str, int]
    path: tuple[PathRow, ...]
    holds: tuple[HoldRow, ...]
    arrangements: tuple[ArrangementRow, ...]
    orders: tuple[OrderRow, ...]


# -- settings ------------------------------------------------------------------------------

def _stored(session: Session) -> dict[str, str]:
    return {k: str(json.loads(v)) for k, v in settings_store.stored_values(session).items()
            if k in rules_.SETTING_KEYS}


def _parse(key: str, text: str, currency: str) -> Any:
    kind = rules_.SETTING_KEYS[key][0]
    if kind == "days":
        return rules_.parse_days(text, key)
    if kind == "money":
        return parse_money(text, currency, field=f"setting {key}").minor
    return rules_.parse_moratorium(text, field_name=key)


def rules_of(session: Session) -> DunningRules:
    """The dunning rules as stored, defaults for keys never set."""
    currency = get_settings(session).currency
    stored = _stored(session)
    values = {}
    for f in fields(DunningRules):
        key = f"dunning.{f.name}"
        text = stored.get(key, rules_.SETTING_KEYS[key][1])
        values[f.name] = _parse(key, text, currency)
    return DunningRules(**values)


def dunning_settings(db: Database, actor: Actor) -> list[DunningSetting]:
    """Every dunning setting with its value, default and meaning."""
    require(actor, "settings.view")
    with db.read() as session:
        stored = _stored(session)
    return [DunningSetting(key, stored.get(key, default), default, meaning)
            for key, (_kind, default, meaning) in rules_.SETTING_KEYS.items()]


def set_dunning_setting(db: Database, actor: Actor, key: str, value: str) -> DunningSetting:
    """Store one dunning setting, validated; audited with before and after."""
    require(actor, "settings.edit")
    if key not in rules_.SETTING_KEYS:
        raise ValidationError(f"unknown dunning setting {key!r} (known: "
                              f"{', '.join(rules_.SETTING_KEYS)})", location="setting")
    value = value.strip()
    with db.write() as session:
        _parse(key, value, get_settings(session).currency)  # refuses a bad value
        before = _stored(session).get(key, rules_.SETTING_KEYS[key][1])
        settings_store.store_value(session, key, json.dumps(value))
        session.flush()
        audit.record(session, actor, "settings.edit", "settings", key,
                     before={key: before}, after={key: value})
    _kind, default, meaning = rules_.SETTING_KEYS[key]
    return DunningSetting(key, value, default, meaning)


# -- the plan ------------------------------------------------------------------------------

def _facts(session: Session, as_of: date, only: int | None = None) -> list[AccountFacts]:
    """The facts of every account on the path (or of account id ``only``)."""
    bills = store.open_bills(session, as_of, None if only is None else [only])
    disconnected = store.disconnected_accounts(session)
    open_disconnect = store.open_orders(session, "disconnect")
    open_reconnect = store.open_orders(session, "reconnect")
    arrangements = store.active_arrangements(session)
    holds = store.holds_in_force(session, as_of)
    ids = sorted(set(bills) | disconnected | set(open_disconnect) | set(arrangements))
    if only is not None:
        ids = [a for a in ids if a == only]
    labels = store.account_labels(session, ids)
    steps = store.steps_reached(session, ids)
    return [AccountFacts(
        account_id=a, account_number=labels[a][0], name=labels[a][1],
        disconnected=a in disconnected, bills=tuple(bills.get(a, ())),
        steps=steps.get(a, {}), holds=tuple(holds.get(a, ())),
        open_disconnect=a in open_disconnect, open_reconnect=a in open_reconnect,
        arrangement=arrangements.get(a)) for a in ids if labels[a][2] != "closed"]


def _plan(session: Session, as_of: date) -> tuple[DunningRules, list[Step]]:
    rules = rules_of(session)
    plan: list[Step] = []
    for facts in _facts(session, as_of):
        plan.extend(rules_.plan_account(facts, rules, as_of))
    return rules, plan


def _record(step: Step, currency: str) -> PlannedStep:
    return PlannedStep(step.action.value, step.account_number, step.name,
                       Money(step.arrears_minor, currency), step.bill_number, step.due_date,
                       step.disconnect_on,
                       None if step.held_by is None else step.held_by.value, step.detail)


def _today() -> date:
    return datetime.now(UTC).date()


def _context(kind: Kind, step: Step, settings: UtilitySettings, as_of: date,
             **more: object) -> dict[str, object]:
    """The template variables of ``kind`` (:data:`services.notify.content.VARIABLES`) as
    display text, and a few more for the record (order number, arrears)."""
    cur = settings.currency
    values: dict[str, object] = {
        "utility_name": settings.utility_name, "utility_phone": settings.phone,
        "customer_name": step.name, "account_number": step.account_number,
        "arrears": format_money(Money(step.arrears_minor, cur)), **more}
    if kind in (Kind.REMINDER, Kind.OVERDUE_NOTICE):
        open_minor = step.bill_open_minor if kind is Kind.REMINDER else step.arrears_minor
        values.update(bill_number=step.bill_number,
                      amount_due=format_money(Money(open_minor, cur)),
                      due_date=None if step.due_date is None else step.due_date.isoformat())
    elif kind in (Kind.FINAL_NOTICE, Kind.DISCONNECTION_NOTICE):
        values.update(bill_number=step.bill_number,
                      amount_due=format_money(Money(step.arrears_minor, cur)),
                      disconnection_date=(as_of if step.disconnect_on is None
                                          else step.disconnect_on).isoformat())
    elif kind is Kind.RECONNECTION:
        values.update(reconnection_date=(as_of + timedelta(days=1)).isoformat())
    return values


class _Doer:
    """Carries out plan steps in one write transaction."""

    def __init__(self, session: Session, actor: Actor, as_of: date, rules: DunningRules
                 ) -> None:
        self.session, self.actor, self.as_of, self.rules = session, actor, as_of, rules
        settings = get_settings(session)
        self.settings = settings
        self.currency = settings.currency
        self.language = settings.locale.split("_")[0] or "en"
        self.notices = 0
        self._waiting: dict[Kind, list[outbox.Notice]] = {}
        self.orders: list[str] = []
        self.fees = 0

    def notify(self, kind: Kind, step: Step, key: str, bill_id: int | None = None,
               **more: object) -> None:
        """Keep the notice for :meth:`flush` (written in bulk, same transaction)."""
        self._waiting.setdefault(kind, []).append(outbox.Notice(
            step.account_id, key, _context(kind, step, self.settings, self.as_of, **more),
            self.language, bill_id))

    def flush(self) -> int:
        """Write the notices kept so far, per kind in one bulk insert (one query per 500
        accounts for their contacts): a run's thousands of notices in a fraction of a
        second instead of two statements each. Returns the notices written in all."""
        for kind, notices in self._waiting.items():
            self.notices += outbox.enqueue_notices(self.session, kind, notices)
        self._waiting.clear()
        return self.notices

    def do(self, step: Step) -> None:
        s, a = self.session, step.action
        if a in (Action.REMINDER, Action.OVERDUE, Action.FINAL, Action.DISCONNECT):
            assert step.bill_id is not None and step.bill_number is not None
            level = Level(a.value)
            store.add_event(s, step.account_id, step.bill_id, level, self.as_of,
                            step.arrears_minor, step.disconnect_on)
            more: dict[str, object] = {}
            if a is Action.DISCONNECT:
                number = f"D-{step.bill_number}"
                store.add_order(s, number=number, kind="disconnect",
                                account_id=step.account_id, bill_id=step.bill_id,
                                on=self.as_of, arrears_minor=step.arrears_minor)
                self.orders.append(number)
                more["order_number"] = number
            self.notify(NOTICE_OF[a], step, f"dunning:{level.value}:{step.bill_number}",
                        step.bill_id, **more)
        elif a is Action.CANCEL_DISCONNECT:
            for account_id, order_id in store.open_orders(s, "disconnect").items():
                if account_id == step.account_id:
                    store.set_order_status(s, order_id, "cancelled", None,
                                           note=f"cancelled {self.as_of}: {step.detail}")
        elif a is Action.RECONNECT:
            self.reconnect(step)
        elif a is Action.ARRANGEMENT_BROKEN or a is Action.ARRANGEMENT_COMPLETED:
            arrangement_id = int(step.detail.rsplit(" ", 1)[1])
            status = "broken" if a is Action.ARRANGEMENT_BROKEN else "completed"
            store.end_arrangement(s, arrangement_id, status, self.as_of)
            store.release_arrangement_holds(
                s, arrangement_id, self.as_of,
                "instalment missed" if status == "broken" else "paid in full")

    def reconnect(self, step: Step) -> None:
        s = self.session
        disconnection = store.last_done_disconnect(s, step.account_id)
        base = disconnection.number if disconnection is not None else step.account_number
        number = f"R-{base.removeprefix('D-')}"
        if store.order(s, number) is not None:
            return
        fee = self.rules.reconnection_fee
        journal_id = None
        if fee:
            ledger.lock_account_id(s, step.account_id)
            journal_id = ledger.post_journal(
                s, "fee", self.as_of, f"reconnection fee {number}", self.actor.user_id,
                [{"gl_code": "AR", "account_id": step.account_id, "amount_minor": fee},
                 {"gl_code": "FEES", "amount_minor": -fee}]).journal_id
            self.fees += fee
        store.add_order(s, number=number, kind="reconnect", account_id=step.account_id,
                        bill_id=None, on=self.as_of, arrears_minor=step.arrears_minor,
                        fee_minor=fee, journal_id=journal_id, note=step.detail)
        self.orders.append(number)
        self.notify(Kind.RECONNECTION, step, f"dunning:reconnect:{number}",
                    order_number=number, fee=format_money(Money(fee, self.currency)))


def _dry_run(db: Database, day: date) -> DunningRun:
    with db.read() as session:
        _rules, plan = _plan(session, day)
        currency = get_settings(session).currency
    return DunningRun(day, True, tuple(_record(s, currency) for s in plan), 0, (),
                      Money(0, currency))


def plan_dunning(db: Database, actor: Actor, as_of: date | None = None) -> DunningRun:
    """What a run on ``as_of`` (today) would do, for whoever may see collections."""
    require(actor, "dunning.view")
    return _dry_run(db, as_of or _today())


def run_dunning(db: Database, actor: Actor, as_of: date | None = None,
                dry_run: bool = False) -> DunningRun:
    """Plan the collection path of every account on ``as_of`` (today), and unless
    ``dry_run`` carry it out: notices, orders, fees, all in one transaction."""
    require(actor, "dunning.run")
    day = as_of or _today()
    if dry_run:
        return _dry_run(db, day)
    with db.write() as session:
        rules, plan = _plan(session, day)
        doer = _Doer(session, actor, day, rules)
        for step in plan:
            if step.held_by is None:
                doer.do(step)
        doer.flush()
        result = DunningRun(day, False, tuple(_record(s, doer.currency) for s in plan),
                            doer.notices, tuple(doer.orders), Money(doer.fees, doer.currency))
        if any(s.held_by is None for s in plan):
            audit.record(session, actor, "dunning.run", "dunning", day.isoformat(),
                         after={"counts": result.counts(), "notices": doer.notices,
                                "orders": list(doer.orders), "fees": str(result.fees)})
        return result


# -- holds, arrangements, orders -------------------------------------------------------------

def _account(session: Session, account_number: str) -> int:
    account_id = store.account_id_of(session, account_number.strip())
    if account_id is None:
        raise NotFound(f"no account {account_number!r}")
    return account_id


def place_hold(db: Database, actor: Actor, account_number: str, kind: str, starts_on: date,
               ends_on: date | None = None, reference: str = "", note: str = "") -> int:
    """Hold an account's collection path: a dispute, a medical certificate or a
    moratorium (an arrangement is agreed with :func:`agree_arrangement`)."""
    require(actor, "dunning.manage")
    try:
        hold_kind = HoldKind(kind)
    except ValueError:
        raise ValidationError(f"{kind!r} is not one of dispute, medical, moratorium",
                              location="hold kind") from None
    if hold_kind is HoldKind.ARRANGEMENT:
        raise ValidationError("an arrangement hold comes with its arrangement: agree one",
                              location="hold kind")
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(f"ends {ends_on} before it starts {starts_on}",
                              location="hold until")
    if hold_kind is HoldKind.MEDICAL and not reference.strip():
        raise ValidationError("give the medical certificate's reference",
                              location="hold reference")
    with db.write() as session:
        account_id = _account(session, account_number)
        hold_id = store.add_hold(session, account_id=account_id, kind=hold_kind,
                                 starts_on=starts_on, ends_on=ends_on,
                                 reference=reference.strip(), note=note.strip(),
                                 user_id=actor.user_id)
        audit.record(session, actor, "dunning.hold", "account", account_number,
                     after={"hold": hold_id, "kind": hold_kind.value,
                            "from": starts_on.isoformat(),
                            "until": None if ends_on is None else ends_on.isoformat(),
                            "reference": reference.strip()})
        return hold_id


def release_hold(db: Database, actor: Actor, hold_id: int, reason: str,
                 on: date | None = None) -> None:
    """End a hold before its end date, with the reason."""
    require(actor, "dunning.manage")
    if not reason.strip():
        raise ValidationError("give the reason for releasing the hold", location="reason")
    with db.write() as session:
        found = store.hold(session, hold_id)
        if found is None:
            raise NotFound(f"no hold {hold_id}")
        if found.released_on is not None:
            raise ConflictError(f"hold {hold_id} was released on {found.released_on}")
        if found.kind == HoldKind.ARRANGEMENT.value:
            raise ConflictError(f"hold {hold_id} belongs to an arrangement: it ends with it")
        day = on or _today()
        store.release_hold(session, hold_id, day, reason.strip())
        audit.record(session, actor, "dunning.release", "hold", hold_id,
                     after={"released_on": day.isoformat(), "reason": reason.strip()})


def agree_arrangement(db: Database, actor: Actor, account_number: str, instalments: int,
                      first_due: date, every_days: int = 30, reference: str = "",
                      on: date | None = None) -> int:
    """Spread the account's arrears over ``instalments``; holds the path while kept, and
    reconnects (or cancels the disconnection of) the account at once."""
    require(actor, "dunning.manage")
    day = on or _today()
    if first_due < day:
        raise ValidationError(f"first instalment due {first_due} is before {day}",
                              location="first due")
    with db.write() as session:
        account_id = _account(session, account_number)
        if store.has_active_arrangement(session, account_id):
            raise ConflictError(f"account {account_number} already has an active arrangement")
        ledger.lock_account_id(session, account_id)
        owed = sum(b.open_minor for b in
                   store.open_bills(session, day, [account_id]).get(account_id, ()))
        schedule = rules_.split_instalments(owed, instalments, first_due, every_days)
        arrangement_id = store.add_arrangement(session, account_id=account_id,
                                               reference=reference.strip(), agreed_on=day,
                                               schedule=schedule, user_id=actor.user_id)
        store.add_hold(session, account_id=account_id, kind=HoldKind.ARRANGEMENT,
                       starts_on=day, ends_on=None, reference=reference.strip(),
                       note=f"{instalments} instalments", user_id=actor.user_id,
                       arrangement_id=arrangement_id)
        rules = rules_of(session)
        facts = _facts(session, day, only=account_id)
        doer = _Doer(session, actor, day, rules)
        for step in rules_.plan_account(facts[0], rules, day) if facts else []:
            if step.action in (Action.RECONNECT, Action.CANCEL_DISCONNECT):
                doer.do(step)
        doer.flush()
        audit.record(session, actor, "dunning.arrangement", "account", account_number,
                     after={"arrangement": arrangement_id, "total": owed,
                            "instalments": [[d.isoformat(), m] for d, m in schedule],
                            "orders": doer.orders})
        return arrangement_id


def complete_order(db: Database, actor: Actor, number: str, done_on: date | None = None
                   ) -> None:
    """The crew did the order: a disconnection marks the account disconnected, a
    reconnection active again. Audited."""
    require(actor, "dunning.manage")
    with db.write() as session:
        found = store.order(session, number.strip())
        if found is None:
            raise NotFound(f"no field order {number!r}")
        if found.status != "open":
            raise ConflictError(f"order {number} is {found.status}, not open")
        day = done_on or _today()
        store.set_order_status(session, found.id, "done", day)
        status = "disconnected" if found.kind == "disconnect" else "active"
        store.set_account_status(session, found.account_id, status)
        audit.record(session, actor, "dunning.order_done", "field_order", number,
                     after={"done_on": day.isoformat(), "account_status": status})


# -- what the screens and the crews see ------------------------------------------------------

def _order_rows(session: Session, kind: str | None, status: str | None,
                currency: str) -> tuple[OrderRow, ...]:
    return tuple(OrderRow(str(n), str(k), str(st), store.as_date(o),
                          None if d is None else store.as_date(d), str(acc), str(name),
                          str(addr), str(route), int(walk), Money(int(arr), currency),
                          Money(int(fee), currency))
                 for n, k, st, o, d, acc, name, addr, route, walk, arr, fee
                 in store.order_rows(session, kind, status))


def field_orders(db: Database, actor: Actor, kind: str | None = "disconnect",
                 status: str | None = "open") -> tuple[OrderRow, ...]:
    """Field orders in route walk order (the crews' list)."""
    require(actor, "dunning.view")
    with db.read() as session:
        return _order_rows(session, kind, status, get_settings(session).currency)


def collections_overview(db: Database, actor: Actor, as_of: date | None = None
                         ) -> CollectionsOverview:
    """Accounts per level, the path, holds in force, arrangements and field orders."""
    require(actor, "dunning.view")
    day = as_of or _today()
    with db.read() as session:
        cur = get_settings(session).currency
        path = tuple(PathRow(str(a), str(n), str(lv), str(b), store.as_date(on),
                             None if dc is None else store.as_date(dc), Money(int(m), cur))
                     for a, n, lv, b, on, dc, m in store.path_rows(session))
        holds = tuple(HoldRow(int(i), str(a), str(n), str(k), store.as_date(s),
                              None if e is None else store.as_date(e), str(r), str(nt))
                      for i, a, n, k, s, e, r, nt in store.hold_rows(session, day))
        arrangements = tuple(
            ArrangementRow(int(i), str(a), str(n), str(r), store.as_date(ag), Money(int(t), cur),
                           str(st), int(c), None if last is None else store.as_date(last))
            for i, a, n, r, ag, t, st, c, last in store.arrangement_rows(session))
        levels: dict[str, int] = {}
        for facts in _facts(session, day):
            level = rules_.current_level(facts)
            if level is not None:
                levels[level.value] = levels.get(level.value, 0) + 1
        return CollectionsOverview(day, levels, path, holds,
                                   arrangements, _order_rows(session, None, None, cur))


def field_order_report(db: Database, actor: Actor, kind: str = "disconnect",
                       status: str | None = "open") -> TableReport:
    """The crews' list: field orders of ``kind`` by route in walk order, a section per
    route, with a column for the crew to note what they found (PDF and CSV alike)."""
    require(actor, "dunning.view")
    if kind not in rules_.ORDER_KINDS:
        raise ValidationError(f"{kind!r} is not disconnect or reconnect", location="--kind")
    if status is not None and status not in rules_.ORDER_STATUSES:
        raise ValidationError(f"{status!r} is not open, done or cancelled",
                              location="--status")
    with db.read() as session:
        settings = get_settings(session)
        rows = _order_rows(session, kind, status, settings.currency)
    columns = (Column("Order", width=1.3), Column("Account", width=1.0),
               Column("Customer", width=1.6), Column("Address", width=2.2),
               Column("Walk", "int", width=0.5), Column("Ordered", "date", width=0.9),
               Column("Status", width=0.7), Column("Arrears", "money", width=0.9),
               Column("Fee", "money", width=0.7), Column("Crew note", width=1.6))
    sections: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        sections.setdefault(r.route, []).append(
            (r.number, r.account_number, r.name, r.address, r.walk_order, r.ordered_on,
             r.status, r.arrears, r.fee, ""))
    title = "Disconnection orders" if kind == "disconnect" else "Reconnection orders"
    return TableReport(
        title=title, columns=columns, landscape=True,
        subtitle=f"{settings.utility_name}: {len(rows)} order(s)"
                 + (f", {status}" if status else ""),
        parameters=(("Kind", kind), ("Status", status or "all")),
        sections=tuple(Section(f"Route {route}", tuple(items))
                       for route, items in sections.items()))
