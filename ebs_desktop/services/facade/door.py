"""The machinery of the service facade: operations bound to a database and a principal.

A front end never calls a service function itself. It builds a facade for its principal
(:class:`~ebs_desktop.services.facade.StaffServices`, ``CustomerServices``,
``SystemServices``) and calls methods grouped by area::

    staff = StaffServices(db, actor)
    receipt = staff.counter.post_payment(account_number="1000-0001-7", ...)

Each method is an :class:`Operation`: a service function ``fn(db, actor, ...)`` declared
once with the permission that opens its door. Calling it checks that permission for the
facade's principal first (deny by default, reads included), then calls the function with
the facade's database and principal; the service function checks again inside its own
transaction (and any finer permission its arguments call for). Typed: mypy sees each
method as the service function minus its first two parameters.

Each facade also names the kinds of principal it serves (``Door.kinds``): staff, customer
or system job. An operation asked of the wrong facade is refused before its permission is
even looked at, so a job can never reach a staff operation through a permission the two
happen to share (``books.check``), nor staff a customer's.

An operation may sit on an area (``staff.counter.post_payment``) or on the facade itself
(``customer.bills``, for facades small enough to need no areas).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ebs_desktop.errors import PermissionDenied
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require_any

if TYPE_CHECKING:
    from ebs_desktop.persistence.engine import Database

P = ParamSpec("P")
R = TypeVar("R")


class Door:
    """What every area of a facade shares: the database and the principal acting.

    ``db`` may be the handle or a function opening it: then the database is opened by the
    first operation that needs it (``ebs bill-calc`` on a tariff file needs none).
    """

    kinds: frozenset[str] = frozenset()  # the kinds of principal this facade serves

    def __init__(self, db: Database | Callable[[], Database], principal: Actor) -> None:
        self._db = db
        self.principal = principal

    @property
    def db(self) -> Database:
        if callable(self._db):
            self._db = self._db()
        return self._db

    def allows(self, permission: str) -> bool:
        from ebs_desktop.domain.permissions import allowed
        return allowed(self.principal.roles, permission)


class Area:
    """A group of operations (``staff.counter``, ``staff.billing``...)."""

    def __init__(self, door: Door) -> None:
        self._door = door


class Operation(Generic[P, R]):
    """A service function behind a permission, bound to an area's door when read."""

    def __init__(self, permission: str | tuple[str, ...],
                 fn: Callable[Concatenate[Database, Actor, P], R], *,
                 uses_database: bool = True) -> None:
        """``uses_database=False``: ``fn`` takes ``db: Database | None`` and is given None
        (a calculation that reads nothing), so the database is not opened for it."""
        self.permissions = (permission,) if isinstance(permission, str) else permission
        self.fn = fn
        self.name = fn.__name__
        self.uses_database = uses_database

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Operation[P, R]: ...
    @overload
    def __get__(self, obj: Area | Door, owner: type) -> Callable[P, R]: ...

    def __get__(self, obj: Area | Door | None, owner: type) -> Any:
        if obj is None:
            return self
        door = obj if isinstance(obj, Door) else obj._door
        fn = self.fn
        permissions = self.permissions
        uses_database = self.uses_database

        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            principal = door.principal
            if principal.kind not in door.kinds:
                raise PermissionDenied(f"{principal.username} ({principal.kind}) may not use "
                                       f"the {type(door).__name__} facade")
            require_any(principal, permissions)
            db: Any = door.db if uses_database else None
            return fn(db, principal, *args, **kwargs)

        call.__name__ = self.name
        call.__doc__ = fn.__doc__
        return call


def operations(area: type[Area] | type[Door]) -> dict[str, Operation[Any, Any]]:
    """Every operation an area (or a facade without areas) declares (for the tests that
    walk the facade)."""
    return {name: op for klass in reversed(area.__mro__)
            for name, op in vars(klass).items() if isinstance(op, Operation)}
