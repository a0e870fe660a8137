"""An HTTP SMS gateway: one JSON POST per message, a bearer token, JSON receipts back.

Request (``POST <url>``, ``Authorization: Bearer <token>``)::

    {"to": "+447700900123", "text": "...", "client_ref": "bill_issued:B1:sms",
     "from": "UTILITY", "encoding": "GSM-7", "parts": 1}

Answer 200/201/202 with ``{"id": "<provider message id>"}`` (``message_id`` also read).
``client_ref`` is the outbox row's dedupe key: a gateway that keeps client references
answers a repeated one with the first message's id instead of sending again.

Outcomes: no answer, a timeout, 408, 429 and 5xx are temporary (tried again later); 401
and 403 too (a wrong token is fixed in the settings, and the messages wait for it); 400
or 422 naming the number (``"error": "invalid_number"`` and the like) is an unreachable
recipient; any other 4xx a permanent failure with the gateway's words.

Receipts: the gateway POSTs ``{"id": "...", "status": "delivered", "error": "...",
"done_at": "2026-12-06T10:00:00Z"}`` to a URL the portal mounts;
:func:`receipt_callback` is that handler as a plain function.
"""

from __future__ import annotations

import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ebs_desktop.devices.delivery import (
    PermanentFailure,
    Sent,
    TemporaryFailure,
    UnreachableRecipient,
)
from ebs_desktop.domain.sms_receipts import DeliveryReceipt, ReceiptUnreadable, receipt_state
from ebs_desktop.domain.sms_text import SmsTooLong, plan

_NUMBER_ERRORS = ("invalid_number", "unknown_number", "invalid_destination", "unreachable",
                  "not_mobile", "blacklisted_number")
_TEMPORARY_STATUSES = (401, 403, 408, 425, 429)


class HttpSmsGateway:
    """:class:`~ebs_desktop.devices.delivery.SmsProvider` over a JSON HTTP gateway."""

    def __init__(self, url: str, token: str, sender: str = "", timeout: float = 10.0) -> None:
        self.url = url
        self._token = token
        self.sender = sender
        self.timeout = timeout

    def send(self, to: str, text: str, client_ref: str) -> Sent:
        try:
            cut = plan(text)
        except SmsTooLong as exc:
            raise PermanentFailure(str(exc)) from exc
        body: dict[str, Any] = {"to": to, "text": text, "client_ref": client_ref,
                                "encoding": cut.encoding, "parts": cut.count}
        if self.sender:
            body["from"] = self.sender
        request = urllib.request.Request(
            self.url, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Bearer {self._token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = _json(response.read())
        except urllib.error.HTTPError as exc:
            raise _classify(exc.code, _json(exc.read()), to) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TemporaryFailure(f"the SMS gateway at {self.url} did not answer: {reason}"
                                   ) from exc
        provider_id = answer.get("id") or answer.get("message_id")
        if not provider_id:
            raise TemporaryFailure(f"the SMS gateway at {self.url} answered without a "
                                   "message id")
        return Sent(provider_id=str(provider_id), parts=cut.count)

    def close(self) -> None:
        pass


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {"error": raw[:200].decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {}


def _classify(status: int, answer: Mapping[str, Any], to: str) -> Exception:
    words = str(answer.get("error") or answer.get("message") or "").strip()
    said = f"HTTP {status}" + (f": {words}" if words else "")
    if status in _TEMPORARY_STATUSES or status >= 500:
        if status in (401, 403):
            return TemporaryFailure(f"the SMS gateway refused the token ({said}); set the "
                                    "sms token again")
        return TemporaryFailure(f"the SMS gateway is busy or down ({said})")
    if status in (400, 404, 422) and words.lower() in _NUMBER_ERRORS:
        return UnreachableRecipient(f"the SMS gateway cannot reach {to} ({said})")
    return PermanentFailure(f"the SMS gateway refused the message ({said})")


def parse_receipt(body: bytes) -> DeliveryReceipt:
    """A gateway's receipt JSON as a :class:`DeliveryReceipt` (ReceiptUnreadable if not)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReceiptUnreadable("the receipt is not JSON") from exc
    if not isinstance(data, dict):
        raise ReceiptUnreadable("the receipt is not a JSON object")
    provider_id = data.get("id") or data.get("message_id")
    if not provider_id or not isinstance(provider_id, str | int):
        raise ReceiptUnreadable("the receipt has no message id")
    done_at = None
    if data.get("done_at"):
        try:
            done_at = datetime.fromisoformat(str(data["done_at"]).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ReceiptUnreadable(f"done_at {data['done_at']!r} is not a date and time"
                                    ) from exc
    return DeliveryReceipt(provider_id=str(provider_id),
                           state=receipt_state(str(data.get("status", ""))),
                           error=str(data.get("error") or ""), done_at=done_at)


def receipt_callback(record: Callable[[DeliveryReceipt], object], token: str,
                     headers: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
    """The gateway's receipt POST, answered as ``(HTTP status, JSON body)``.

    ``record`` stores the receipt (the portal passes the job facade's
    ``record_sms_receipt``); ``token`` is the shared secret the gateway sends as a bearer
    token. 401 for a wrong token, 400 for an unreadable receipt (the gateway should not
    retry those), 200 once recorded (a receipt of an unknown message too: retrying it
    would not make it known).
    """
    given = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return 401, b'{"error": "unauthorized"}'
    try:
        receipt = parse_receipt(body)
    except ReceiptUnreadable as exc:
        return 400, json.dumps({"error": str(exc)}).encode()
    record(receipt)
    return 200, b'{"ok": true}'
