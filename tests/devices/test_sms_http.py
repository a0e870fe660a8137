"""The HTTP gateway adapter against a real HTTP server in a thread, and the receipt
callback mounted in one."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from ebs_desktop.devices.delivery import PermanentFailure, TemporaryFailure, UnreachableRecipient
from ebs_desktop.devices.sms.http_gateway import HttpSmsGateway, parse_receipt, receipt_callback
from ebs_desktop.domain.sms_receipts import DELIVERED, EXPIRED, DeliveryReceipt, ReceiptUnreadable

TOKEN = "t0ken"


class Gateway:
    """What the fake gateway received and how it answers each number."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self.by_ref: dict[str, str] = {}


@pytest.fixture
def gateway() -> Iterator[tuple[Gateway, str]]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append((dict(self.headers), body))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._answer(401, {"error": "bad token"})
            elif body["to"] in state.answers:
                self._answer(*state.answers[body["to"]])
            else:  # a gateway that keeps client references sends a repeat only once
                ref = body["client_ref"]
                state.by_ref.setdefault(ref, f"gw-{len(state.by_ref) + 1}")
                self._answer(202, {"id": state.by_ref[ref]})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/sms"
    server.shutdown()
    server.server_close()


def test_message_goes_as_json_with_token_and_client_reference(
        gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    sms = HttpSmsGateway(url, TOKEN, sender="UTILITY")
    sent = sms.send("+447700900123", "Bill B-1: 12.30 € due 5 Jan. " * 6, "bill_issued:B-1:sms")
    [(headers, body)] = state.requests
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Type"] == "application/json"
    assert body["to"] == "+447700900123" and body["from"] == "UTILITY"
    assert body["client_ref"] == "bill_issued:B-1:sms"
    assert (body["encoding"], body["parts"]) == ("GSM-7", 2)  # 180 chars + 6 euros
    assert (sent.provider_id, sent.parts) == ("gw-1", 2)
    again = sms.send("+447700900123", "Bill B-1 ...", "bill_issued:B-1:sms")
    assert again.provider_id == "gw-1"  # the reference lets the gateway spot the repeat


def test_failures_are_classified(gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    sms = HttpSmsGateway(url, TOKEN)
    state.answers["+447700900999"] = (400, {"error": "invalid_number"})
    state.answers["+447700900500"] = (503, {"error": "maintenance"})
    state.answers["+447700900429"] = (429, {})
    state.answers["+447700900422"] = (422, {"error": "text contains a banned word"})
    with pytest.raises(UnreachableRecipient, match=r"cannot reach \+447700900999.*invalid_number"):
        sms.send("+447700900999", "x", "r1")
    with pytest.raises(TemporaryFailure, match=r"HTTP 503: maintenance"):
        sms.send("+447700900500", "x", "r2")
    with pytest.raises(TemporaryFailure, match="HTTP 429"):
        sms.send("+447700900429", "x", "r3")
    with pytest.raises(PermanentFailure, match=r"refused the message.*banned word") as info:
        sms.send("+447700900422", "x", "r4")
    assert not isinstance(info.value, UnreachableRecipient)
    with pytest.raises(TemporaryFailure, match="refused the token"):
        HttpSmsGateway(url, "wrong").send("+447700900123", "x", "r5")


def test_no_server_is_temporary() -> None:
    with pytest.raises(TemporaryFailure, match="did not answer"):
        HttpSmsGateway("http://127.0.0.1:9/sms", TOKEN, timeout=2).send("+1", "x", "r")


def test_a_text_beyond_255_segments_is_permanent(gateway: tuple[Gateway, str]) -> None:
    state, url = gateway
    with pytest.raises(PermanentFailure, match="SMS segments"):
        HttpSmsGateway(url, TOKEN).send("+447700900123", "a" * 40000, "r")
    assert state.requests == []


def test_receipt_callback_in_a_real_server() -> None:
    recorded: list[DeliveryReceipt] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, answer = receipt_callback(recorded.append, "hook-secret",
                                              dict(self.headers), body)
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/receipts"

    def post(body: bytes, token: str) -> int:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        good = json.dumps({"id": "gw-7", "status": "delivered",
                           "done_at": "2026-12-06T10:00:00Z"}).encode()
        assert post(good, "wrong") == 401
        assert post(b"{not json", "hook-secret") == 400
        assert post(json.dumps({"id": "gw-7", "status": "lost in space"}).encode(),
                    "hook-secret") == 400
        assert recorded == []
        assert post(good, "hook-secret") == 200
        [receipt] = recorded
        assert (receipt.provider_id, receipt.state) == ("gw-7", DELIVERED)
        assert receipt.done_at is not None and receipt.done_at.hour == 10
    finally:
        server.shutdown()
        server.server_close()


def test_parse_receipt_words() -> None:
    assert parse_receipt(b'{"message_id": 12, "status": "EXPIRED", "error": "E7"}') == \
        DeliveryReceipt("12", EXPIRED, "E7", None)
    with pytest.raises(ReceiptUnreadable, match="no message id"):
        parse_receipt(b'{"status": "delivered"}')
