"""The SMPP adapter against a real (minimal) SMSC over TCP: binds, single and multipart
texts in GSM-7 and UCS-2, error statuses classified, receipts read from deliver_sm."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ebs_desktop.devices.delivery import PermanentFailure, TemporaryFailure, UnreachableRecipient
from ebs_desktop.devices.sms.smpp import SmppProvider
from ebs_desktop.domain.sms_receipts import DELIVERED, FAILED, UNREACHABLE
from tests.support.smpp_server import ESME_RINVDSTADR, ESME_RTHROTTLED, SmppServer


@pytest.fixture
def smsc() -> Iterator[SmppServer]:
    server = SmppServer().start()
    yield server
    server.stop()


@pytest.fixture
def provider(smsc: SmppServer) -> Iterator[SmppProvider]:
    p = SmppProvider("127.0.0.1", smsc.port, "ebs", "secret", sender="UTILITY", timeout=5)
    yield p
    p.close()


def test_single_gsm_message_and_its_receipt(smsc: SmppServer, provider: SmppProvider) -> None:
    sent = provider.send("+447700900123", "Your bill B-1 of 12.30 € is due on 5 Jan.", "k:1")
    assert sent.parts == 1
    [sub] = smsc.submitted
    assert (sub.destination_addr, sub.dest_ton, sub.data_coding, sub.esm_class) == \
        ("447700900123", 1, 0, 0)
    assert sub.source_addr == "UTILITY"
    assert sub.registered_delivery == 1
    assert b"\x1b\x65" in sub.short_message  # the euro through the extension table
    assert smsc.texts() == [("447700900123", "Your bill B-1 of 12.30 € is due on 5 Jan.")]
    [receipt] = provider.receipts(wait=2)
    assert receipt.provider_id == sent.provider_id == sub.message_id
    assert receipt.state == DELIVERED
    assert receipt.done_at is not None and receipt.done_at.year == 2026


def test_multipart_gsm_with_udh_and_one_receipt_for_the_last_part(
        smsc: SmppServer, provider: SmppProvider) -> None:
    text = "Overdue notice. " * 20  # 320 septets: 3 parts of 153
    sent = provider.send("+447700900124", text, "k:2")
    assert sent.parts == 3
    assert len(smsc.submitted) == 3
    udhs = [s.udh for s in smsc.submitted]
    assert {u[:3] for u in udhs} == {b"\x05\x00\x03"}
    assert len({u[3] for u in udhs}) == 1  # one reference for the three
    assert [(u[4], u[5]) for u in udhs] == [(3, 1), (3, 2), (3, 3)]
    assert all(s.esm_class & 0x40 for s in smsc.submitted)
    assert [s.registered_delivery for s in smsc.submitted] == [0, 0, 1]
    assert max(len(s.payload) for s in smsc.submitted) == 153
    assert smsc.texts() == [("447700900124", text)]
    assert sent.provider_id == smsc.submitted[-1].message_id
    assert [r.provider_id for r in provider.receipts(wait=2)] == [sent.provider_id]


def test_multipart_ucs2(smsc: SmppServer, provider: SmppProvider) -> None:
    text = "Łódź: rachunek do zapłaty. " * 4  # 108 code units: UCS-2, 2 parts of <= 67
    sent = provider.send("+48500100200", text, "k:3")
    assert sent.parts == 2
    assert {s.data_coding for s in smsc.submitted} == {8}
    assert max(len(s.payload) for s in smsc.submitted) <= 134
    assert smsc.texts() == [("48500100200", text)]


def test_invalid_destination_is_an_unreachable_recipient(smsc: SmppServer,
                                                         provider: SmppProvider) -> None:
    smsc.refuse["447700900999"] = ESME_RINVDSTADR
    with pytest.raises(UnreachableRecipient, match=r"\+447700900999.*invalid destination"):
        provider.send("+447700900999", "hello", "k:4")
    # the bind survives a refused message
    assert provider.send("+447700900123", "hello", "k:5").provider_id
    assert smsc.binds == 1


def test_throttling_is_temporary_and_other_statuses_permanent(smsc: SmppServer,
                                                              provider: SmppProvider) -> None:
    smsc.refuse["447700900111"] = ESME_RTHROTTLED
    with pytest.raises(TemporaryFailure, match="throttled"):
        provider.send("+447700900111", "hello", "k:6")
    smsc.refuse["447700900112"] = 0x45  # ESME_RSUBMITFAIL
    with pytest.raises(PermanentFailure, match="0x00000045"):
        provider.send("+447700900112", "hello", "k:7")


def test_wrong_password_and_no_server_are_temporary(smsc: SmppServer) -> None:
    wrong = SmppProvider("127.0.0.1", smsc.port, "ebs", "nope", timeout=5)
    with pytest.raises(TemporaryFailure, match="refused the bind of 'ebs'"):
        wrong.send("+447700900123", "hello", "k:8")
    assert smsc.submitted == []
    smsc.stop()
    gone = SmppProvider("127.0.0.1", smsc.port, "ebs", "secret", timeout=2)
    with pytest.raises(TemporaryFailure, match="did not answer"):
        gone.send("+447700900123", "hello", "k:9")


def test_a_dropped_connection_binds_again(smsc: SmppServer, provider: SmppProvider) -> None:
    provider.send("+447700900123", "one", "k:10")
    for conn in list(smsc._connections):
        conn.close()
    with pytest.raises(TemporaryFailure):
        provider.send("+447700900123", "two", "k:11")
    provider.send("+447700900123", "three", "k:12")
    assert [t for _, t in smsc.texts()] == ["one", "three"]
    assert smsc.binds == 2


def test_failed_and_rejected_receipts(smsc: SmppServer, provider: SmppProvider) -> None:
    smsc.receipt_stat["447700900200"] = "UNDELIV"
    smsc.receipt_stat["447700900201"] = "REJECTD"
    a = provider.send("+447700900200", "a", "k:13")
    b = provider.send("+447700900201", "b", "k:14")
    got = {r.provider_id: r for r in provider.receipts(wait=2)}
    assert got[a.provider_id].state == FAILED and got[a.provider_id].error == "err:001"
    assert got[b.provider_id].state == UNREACHABLE


def test_provider_from_settings(smsc: SmppServer) -> None:
    from ebs_desktop.devices.sms import provider_for
    from ebs_desktop.devices.sms.http_gateway import HttpSmsGateway
    from ebs_desktop.errors import ConfigError

    smpp = provider_for("smpp", f"smpp://127.0.0.1:{smsc.port}", "secret", system_id="ebs",
                        sender="+15550100")
    try:
        assert smpp.send("+447700900123", "hello", "k:15").parts == 1
    finally:
        smpp.close()
    assert smsc.submitted[0].source_addr == "15550100"
    assert isinstance(provider_for("http", "https://sms.example.com/v1", "t"), HttpSmsGateway)
    for args, words in [
        (("smpp", "http://x", "s"), "not smpp://host:port"),
        (("smpp", "smpp://x:99999", "s"), "not smpp://host:port"),
        (("smpp", "smpp://x:2775", "s"), "sms.system_id is empty"),
        (("http", "ftp://x", "t"), r"not an http\(s\) URL"),
        (("http", "https://x", ""), "ebs settings secret sms.token"),
        (("carrier-pigeon", "", ""), "'carrier-pigeon' is not one of: http, smpp"),
    ]:
        with pytest.raises(ConfigError, match=words):
            provider_for(*args)  # type: ignore[arg-type]
