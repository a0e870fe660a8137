"""Permission checks at the service boundary."""

from __future__ import annotations

from ebs_desktop.domain.permissions import allowed
from ebs_desktop.errors import PermissionDenied
from ebs_desktop.services.actor import Actor


def require(actor: Actor, permission: str) -> None:
    if not allowed(actor.roles, permission):
        roles = ", ".join(sorted(actor.roles)) or "no role"
        raise PermissionDenied(f"{actor.username} ({roles}) may not {permission}")
