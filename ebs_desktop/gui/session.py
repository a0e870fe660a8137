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
from urllib.parse import unquote, urlsplit

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


def database_name(url: str) -> str:
    """A database as a person names it, never a raw URL (which may carry a user name):
    ``ebs.sqlite3 on this PC``, ``ebs on db.example:5432``. Text that is not a URL is
    returned as it is."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme == "sqlite":
        path = unquote(url.split("://", 1)[1]).lstrip("/") if parts.path else ""
        if not path or path == ":memory:":
            return "an in-memory database"
        return f"{path.replace(chr(92), '/').rsplit('/', 1)[-1]} on this PC"
    name = unquote(parts.path.lstrip("/")) or scheme
    try:
        host, port = parts.hostname, parts.port
    except ValueError:  # a port that is not a number
        host, port = parts.hostname, None
    if not host:
        return f"{name} on this PC"
    where = f"[{host}]" if ":" in host else host
    return f"{name} on {where}:{port}" if port else f"{name} on {where}"
