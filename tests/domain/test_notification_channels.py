"""Which channels a notification takes: defaults, the customer's choice, opt-outs, and
notices the law requires."""

from __future__ import annotations

from ebs_desktop.domain.notifications import Channel, Contact, Kind, choose_channels

BOTH = Contact(email="ana@example.net", phone="+15550100001")


def test_defaults_bill_by_email_urgent_by_both() -> None:
    assert choose_channels(Kind.BILL_ISSUED, BOTH) == [(Channel.EMAIL, "ana@example.net")]
    assert choose_channels(Kind.OVERDUE_NOTICE, BOTH) == [
        (Channel.EMAIL, "ana@example.net"), (Channel.SMS, "+15550100001")]


def test_no_email_gets_the_bill_notice_by_sms() -> None:
    phone_only = Contact(phone="+15550100001")
    assert choose_channels(Kind.BILL_ISSUED, phone_only) == [(Channel.SMS, "+15550100001")]


def test_unreachable_contact_is_skipped() -> None:
    bounced = Contact(email="ana@example.net", email_ok=False, phone="+15550100001")
    assert choose_channels(Kind.REMINDER, bounced) == [(Channel.SMS, "+15550100001")]
    assert choose_channels(Kind.PAYMENT_POSTED, bounced) == [(Channel.SMS, "+15550100001")]


def test_opt_outs_hold_except_for_notices_the_law_requires() -> None:
    assert choose_channels(Kind.REMINDER, BOTH, reminders=False) == []
    assert choose_channels(Kind.BILL_ISSUED, BOTH, {"bill_issued": []}) == []
    chosen = {"final_notice": [], "disconnection_notice": ["sms"]}
    assert choose_channels(Kind.FINAL_NOTICE, BOTH, chosen) == [
        (Channel.EMAIL, "ana@example.net"), (Channel.SMS, "+15550100001")]
    assert choose_channels(Kind.DISCONNECTION_NOTICE, BOTH, chosen) == [
        (Channel.SMS, "+15550100001")]


def test_a_required_notice_falls_back_to_any_reachable_contact() -> None:
    sms_chosen_but_dead = Contact(email="ana@example.net", phone="+15550100001", phone_ok=False)
    assert choose_channels(Kind.FINAL_NOTICE, sms_chosen_but_dead,
                           {"final_notice": ["sms"]}) == [(Channel.EMAIL, "ana@example.net")]
    assert choose_channels(Kind.FINAL_NOTICE, Contact()) == []
