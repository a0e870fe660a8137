"""Every operation of every facade refuses a principal without its permission, before
anything is read or written (issue 18, point 6).

Found, not listed: every module of ``ebs_desktop.services.facade`` is imported, every
facade class (a ``Door``) and every area it opens is walked, and every operation they
declare is asked of every principal the permission table knows (each staff role alone,
no role, a customer, each system job, the local operator). Whoever may not use the
operation (the wrong kind of principal for the facade, or none of the permissions that
open the operation's door) must get PermissionDenied without the database being opened
(it is opened lazily: the door would open it) and with every table's row count and the
audit head unchanged.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from functools import cached_property
from typing import Any

import pytest
from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

import ebs_desktop.services.facade as facade
from ebs_desktop.domain.permissions import ALL_ROLES, JOB_ROLES, PERMISSIONS, allowed
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Base
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import STAFF_AREAS, Area, Door, Operation, operations


def _facades() -> list[type[Door]]:
    for info in pkgutil.walk_packages(facade.__path__, facade.__name__ + "."):
        importlib.import_module(info.name)
    found: list[type[Door]] = []
    todo = list(Door.__subclasses__())
    while todo:
        klass = todo.pop()
        found.append(klass)
        todo.extend(klass.__subclasses__())
    return sorted(found, key=lambda k: k.__name__)


def _areas(door_class: type[Door], door: Door) -> dict[str, Area]:
    """The areas a facade opens: its cached properties that give an Area."""
    out = {}
    for name, attr in vars(door_class).items():
        if isinstance(attr, cached_property):
            area = getattr(door, name)
            if isinstance(area, Area):
                out[name] = area
    return out


def _principals(accounts: tuple[str, ...]) -> list[Actor]:
    return [Actor(None, "nobody", frozenset()),
            Actor(None, "no-role customer", frozenset(), kind="customer",
                  accounts=frozenset(accounts)),
            Actor(None, "no-role job", frozenset(), kind="job"),
            *[Actor(None, role, frozenset({role})) for role in ALL_ROLES],
            system_actor("operator"),
            Actor.customer(1, "ann@example.org", accounts),
            *[Actor.job(role.removeprefix("job:")) for role in JOB_ROLES]]


def _may(door_class: type[Door], op: Operation[Any, Any], who: Actor) -> bool:
    return who.kind in door_class.kinds and any(allowed(who.roles, p) for p in op.permissions)


def _snapshot(db: Database) -> list[tuple[str, int]]:
    with db.read() as s:
        counts = [(t.name, int(s.scalar(select(func.count()).select_from(t)) or 0))
                  for t in Base.metadata.sorted_tables]
        head = s.execute(text("SELECT last_id, last_hash FROM audit_head")).all()
    return [*counts, ("head", hash(tuple(map(tuple, head))))]


def _arguments(op: Operation[Any, Any]) -> list[None]:
    """None for each parameter the function needs after (db, actor): the door must refuse
    before the arguments are looked at."""
    params = list(inspect.signature(op.fn).parameters.values())[2:]
    return [None for p in params if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=4, months=3, until="2026-06")
    return db


def test_every_facade_operation_refuses_whoever_lacks_its_permission(demo: Database) -> None:
    with demo.read() as s:
        accounts = tuple(s.scalars(text("SELECT account_number FROM accounts")))
    doors = _facades()
    assert {"StaffServices", "CustomerServices", "SystemServices"} <= {d.__name__ for d in doors}
    before = _snapshot(demo)
    opened: list[str] = []
    refused: dict[str, int] = {}
    walked: set[str] = set()

    def lazily(name: str) -> Any:
        def open_() -> Database:
            opened.append(name)
            return demo
        return open_

    for door_class in doors:
        for who in _principals(accounts):
            label = f"{door_class.__name__} as {who.username}"
            door = door_class(lazily(label), who)
            groups: dict[str, Any] = {"": door, **_areas(door_class, door)}
            if door_class.__name__ == "StaffServices":
                assert set(groups) - {""} == set(STAFF_AREAS)
            for area_name, target in groups.items():
                for op_name, op in operations(type(target)).items():
                    name = f"{door_class.__name__}.{area_name}.{op_name}".replace("..", ".")
                    walked.add(name)
                    if _may(door_class, op, who):
                        continue
                    with pytest.raises(PermissionDenied):
                        getattr(target, op_name)(*_arguments(op))
                    refused[name] = refused.get(name, 0) + 1
            assert opened == [], f"{label}: a refused operation opened the database"
    assert _snapshot(demo) == before  # nothing was written by any of them
    assert walked == set(refused), f"never refused: {sorted(walked - set(refused))}"
    assert len(walked) > 80  # the walk found the facades (staff areas, customer, jobs)
    assert {"StaffServices.counter.post_payment", "CustomerServices.bill_pdf",
            "SystemServices.check_books", "StaffServices.desk.counter_code"} <= walked


def test_every_operation_opens_for_some_role() -> None:
    """An operation whose permissions no role holds would be dead (a typo in a permission
    name, say): each must name at least one permission of the table."""
    declared = set().union(*PERMISSIONS.values())
    for door_class in _facades():
        classes: list[type[Any]] = [door_class]
        classes += [attr.func.__annotations__.get("return") for attr in vars(door_class).values()
                    if isinstance(attr, cached_property)]
        for klass in classes:
            if isinstance(klass, str):  # postponed annotation: the area's class name
                klass = next(a for a in Area.__subclasses__() if a.__name__ == klass)
            for name, op in operations(klass).items():
                assert set(op.permissions) & declared, \
                    f"{klass.__name__}.{name}: no role holds any of {op.permissions}"


def _types_in(hint: Any) -> set[Any]:
    """A type hint and every type it is made of (``list[Bill] | None`` -> list, Bill...)."""
    found = {hint}
    for arg in typing.get_args(hint):
        found |= _types_in(arg)
    origin = typing.get_origin(hint)
    if origin is not None:
        found.add(origin)
    return found


def test_no_operation_hands_out_an_orm_object_or_a_session() -> None:
    """What comes out of the door is frozen records and plain values: no ORM object, no
    session or connection (checked on the declared return type of every operation)."""
    leaks: list[str] = []
    for door_class in _facades():
        classes: list[type[Any]] = [door_class]
        for attr in vars(door_class).values():
            if isinstance(attr, cached_property):
                klass = attr.func.__annotations__.get("return")
                if isinstance(klass, str):
                    klass = next(a for a in Area.__subclasses__() if a.__name__ == klass)
                classes.append(klass)
        for klass in classes:
            for name, op in operations(klass).items():
                returned = typing.get_type_hints(op.fn).get("return")
                assert returned is not None, f"{klass.__name__}.{name}: no return type"
                for kind in _types_in(returned):
                    if inspect.isclass(kind) and (issubclass(kind, Base) or issubclass(
                            kind, Session | Connection)):
                        leaks.append(f"{klass.__name__}.{name} -> {kind.__name__}")
                    elif inspect.isclass(kind) and dataclasses.is_dataclass(kind) \
                            and not kind.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                        leaks.append(f"{klass.__name__}.{name} -> mutable {kind.__name__}")
    assert leaks == []
