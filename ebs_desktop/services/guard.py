"""Permission checks at the service boundary."""

from __future__ import annotations

from collections.abc import Iterable

from ebs_desktop.domain.permissions import PERMISSION_WORDS, ROLE_LABELS, allowed
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.services.actor import Actor


def refusal(principal: Actor, permissions: Iterable[str]) -> str:
    """The refusal: "clerk (Counter clerk) may not create or edit accounts (account.edit)": who, in
    which role, may not do what in words, and the permission's code for the administrator."""
    roles = ", ".join(sorted(ROLE_LABELS.get(r, r) for r in principal.roles)) or "no role"
    wanted = tuple(permissions)
    what = " or ".join(PERMISSION_WORDS.get(p, p) for p in wanted)
    return f"{principal.username} ({roles}) may not {what} ({', '.join(wanted)})"


def require(actor: Actor, permission: str) -> None:
    if not allowed(actor.roles, permission):
        raise PermissionDenied(refusal(actor, (permission,)))


def require_any(actor: Actor, permissions: Iterable[str]) -> None:
    """At least one of ``permissions`` (the door of an operation several roles may open)."""
    wanted = tuple(permissions)
    if not any(allowed(actor.roles, p) for p in wanted):
        raise PermissionDenied(refusal(actor, wanted))
