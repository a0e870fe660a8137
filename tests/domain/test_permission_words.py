"""Every permission has words for the refusal a person reads."""

from __future__ import annotations

from ebs_desktop.domain.permissions import PERMISSION_WORDS, PERMISSIONS
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import refusal


def test_every_permission_has_words() -> None:
    granted = set().union(*PERMISSIONS.values())
    assert granted - set(PERMISSION_WORDS) == set()


def test_a_refusal_reads_as_a_sentence() -> None:
    clerk = Actor(user_id=7, username="carl", roles=frozenset({"clerk"}))
    assert refusal(clerk, ["account.edit"]) == (
        "carl (Counter clerk) may not create or edit accounts (account.edit)")
