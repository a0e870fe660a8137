"""Permission checks at the service boundary."""

from __future__ import annotations

from collections.abc import Iterable

from ebs_desktop.domain.permissions import allowed
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.services.actor import Actor


def require(actor: Actor, permission: str) -> None:
    if not allowed(actor.roles, permission):
        roles = ", ".join(sorted(actor.roles)) or "no role"
        raise PermissionDenied(f"{actor.username} ({roles}) may not {permission}")


def require_any(actor: Actor, permissions: Iterable[str]) -> None:
    """At least one of ``permissions`` (the door of an operation several roles may open)."""
    wanted = tuple(permissions)
    if not any(allowed(actor.roles, p) for p in wanted):
        roles = ", ".join(sorted(actor.roles)) or "no role"
        raise PermissionDenied(f"{actor.username} ({roles}) may not {' or '.join(wanted)}")
