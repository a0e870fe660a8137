"""Who is acting: passed to every service call, checked against permissions there.

Three kinds of principal (see :mod:`ebs_desktop.domain.permissions` for their roles):

* ``staff``: a signed-in user (``user_id`` is their row) or the local operator
  (:func:`system_actor`), holding staff roles;
* ``customer``: a portal login (:meth:`Actor.customer`) holding the role ``customer`` and
  the account numbers it has proven; the customer services reach those accounts only;
* ``job``: a system job (:meth:`Actor.job`): the notification sender, the scheduler or
  the webhook intake, each holding its one narrow role.

A principal cannot hold the roles of another kind (checked when it is made), so a staff
actor can never act as a customer, nor a customer or a job as staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ebs_desktop.domain.permissions import ALL_ROLES, CUSTOMER_ROLE, JOB_ROLES

ActorKind = Literal["staff", "customer", "job"]
_NOT_STAFF = frozenset({CUSTOMER_ROLE, *JOB_ROLES})


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    roles: frozenset[str]
    kind: ActorKind = "staff"
    accounts: frozenset[str] = frozenset()  # a customer's proven account numbers
    login_id: int | None = None  # a customer's portal login
    display_name: str = ""  # a staff user's full name, for the screens (not for checks)

    def __post_init__(self) -> None:
        if self.kind == "staff":
            wrong = self.roles & _NOT_STAFF
        elif self.kind == "customer":
            wrong = self.roles - {CUSTOMER_ROLE}
        elif self.kind == "job":
            wrong = self.roles - set(JOB_ROLES)
        else:
            raise ValueError(f"unknown kind of principal {self.kind!r}")
        if wrong:
            raise ValueError(f"a {self.kind} principal cannot hold {sorted(wrong)}")
        if self.accounts and self.kind != "customer":
            raise ValueError("only a customer principal proves accounts")
        if self.kind != "staff" and self.user_id is not None:
            raise ValueError("only a staff principal has a user row")

    @property
    def label(self) -> str:
        return self.username

    @classmethod
    def customer(cls, login_id: int, email: str, accounts: Iterable[str]) -> Actor:
        """A portal customer who has proven ``accounts`` (account numbers)."""
        return cls(user_id=None, username=f"customer:{email}", roles=frozenset({CUSTOMER_ROLE}),
                   kind="customer", accounts=frozenset(accounts), login_id=login_id)

    @classmethod
    def job(cls, name: str) -> Actor:
        """A system job: ``notifier``, ``scheduler``, ``webhooks`` or ``portal``."""
        role = f"job:{name}"
        if role not in JOB_ROLES:
            raise ValueError(f"no system job {name!r} (known: "
                             f"{', '.join(r.removeprefix('job:') for r in JOB_ROLES)})")
        return cls(user_id=None, username=role, roles=frozenset({role}), kind="job")


def system_actor(name: str = "system") -> Actor:
    """The local operator (CLI without --user, demo set-up): every role, no user row."""
    return Actor(user_id=None, username=name, roles=frozenset(ALL_ROLES))
