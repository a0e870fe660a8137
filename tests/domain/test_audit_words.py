"""Audit entries in words: the action, its subject, and before -> after per field."""

from __future__ import annotations

import json

from ebs_desktop.domain.audit_words import (
    ACTION_WORDS,
    action_words,
    changes,
    failed_sign_in,
    subject,
    summary,
)


def test_a_contact_edit_reads_as_field_before_after() -> None:
    before = json.dumps({"phone": "5550101", "email": None})
    after = json.dumps({"account": "100010283", "phone": "5550199", "email": "a@b.example"})
    assert action_words("customer.edit") == "Customer details changed"
    assert subject("customer", "12", before, after) == "account 100010283"
    assert changes(before, after) == ["email: (none) -> a@b.example",
                                      "phone: 5550101 -> 5550199"]


def test_facts_recorded_only_after_and_removed_fields() -> None:
    after = json.dumps({"account": "1", "amount": "20.00", "receipt": "C01-7", "key": "x"})
    assert changes(None, after) == ["amount: 20.00", "receipt: C01-7"]
    assert changes(json.dumps({"roles": ["clerk"]}), json.dumps({})) == [
        "roles: [\"clerk\"] -> (removed)"]
    assert changes(None, json.dumps({})) == []
    assert summary(["a" * 50, "b" * 50], 60).endswith("…")
    assert len(summary(["a" * 50, "b" * 50], 60)) == 60


def test_failed_sign_in_and_every_action_has_words() -> None:
    after = json.dumps({"username": "bob", "reason": "wrong password", "failed_logins": 3})
    assert failed_sign_in(after) == "as 'bob': wrong password (3 in a row)"
    assert all(words and words[0].isupper() for words in ACTION_WORDS.values())
    assert action_words("something.new") == "something.new"
