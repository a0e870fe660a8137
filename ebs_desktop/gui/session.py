"""Who is signed in, as the GUI sees it, and which screens each role may open.

The user service returns its own frozen record; the GUI needs only ``username``, the
roles and optionally ``display_name``, so it accepts anything with those (a Protocol).
The role -> screens mapping lives here, in one place; the services still refuse what a
role may not do, this only keeps screens a person cannot use out of their way.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from ebs_desktop.domain.permissions import PAGE_ROLES

ROLES = ("clerk", "reader", "billing", "manager", "admin")


class SignedInUser(Protocol):
    @property
    def username(self) -> str: ...

    @property
    def roles(self) -> Collection[str]: ...


@dataclass(frozen=True)
class GuiUser:
    """A signed-in user for the screenshot tool and tests (services return their own)."""

    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    display_name: str = ""


def display_name(user: SignedInUser) -> str:
    name = getattr(user, "display_name", "")
    return name if isinstance(name, str) and name else user.username


def allowed_pages(roles: Collection[str]) -> frozenset[str]:
    """Page keys the given roles may see (the union over roles; unknown roles see nothing)."""
    wanted = set(roles)
    return frozenset(page for page, allowed in PAGE_ROLES.items() if allowed & wanted)
