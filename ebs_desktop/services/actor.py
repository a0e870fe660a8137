"""Who is acting: passed to every service call, checked against permissions there."""

from __future__ import annotations

from dataclasses import dataclass

from ebs_desktop.domain.permissions import ALL_ROLES


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    roles: frozenset[str]

    @property
    def label(self) -> str:
        return self.username


def system_actor(name: str = "system") -> Actor:
    """The local operator (CLI without --user, demo set-up): every role, no user row."""
    return Actor(user_id=None, username=name, roles=frozenset(ALL_ROLES))
