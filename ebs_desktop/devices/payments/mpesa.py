"""A mobile wallet of the M-Pesa "STK push + callback" kind (Safaricom's Daraja API).

The flow, from the provider's public API description:

1. ``GET /oauth/v1/generate?grant_type=client_credentials`` with HTTP Basic (consumer key
   and secret) gives a bearer token valid for about an hour (kept and renewed here).
2. ``POST /mpesa/stkpush/v1/processrequest`` asks the customer's phone to approve a payment
   (``Password`` = base64(shortcode + passkey + timestamp)); the answer carries the
   ``CheckoutRequestID`` that names the payment from then on.
3. The provider POSTs the outcome to our ``CallBackURL`` (``Body.stkCallback`` with
   ``ResultCode`` 0 and ``CallbackMetadata`` on success): sometimes twice, sometimes never.
4. ``POST /mpesa/stkpushquery/v1/query`` tells the outcome when the callback never came.

The provider does not sign its callbacks. Ours are proven by the callback URL itself: each
payment's URL carries our reference and an HMAC of it under a secret only we know
(``?ref=...&sig=...``), so a forged callback cannot name a payment it did not start. (Serve
the callback path behind the provider's published source addresses as well, in production.)

Amounts are whole units of the currency (the wallet takes no cents).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from ebs_desktop.devices.payments import (
    EventKind,
    GatewayError,
    GatewayEvent,
    GatewayPayment,
    GatewayRefund,
    GatewayUnavailable,
    PaymentRequest,
    PaymentState,
    WebhookRejected,
)
from ebs_desktop.domain.money import currency_exponent

NAIROBI = ZoneInfo("Africa/Nairobi")  # the provider's timestamps are East Africa Time
PENDING_CODE = "500.001.1001"  # the query's answer while the customer has not decided
CANCELLED_BY_USER = 1032
UNREACHABLE = 1037

_FAILURES = {
    1: "the wallet balance is too low",
    1032: "the customer cancelled the request on the phone",
    1037: "the phone could not be reached",
    2001: "the wallet PIN was wrong",
}


class MpesaGateway:
    """The :class:`~ebs_desktop.devices.payments.PaymentGateway` for an STK-push wallet."""

    name = "mpesa"

    def __init__(self, *, base_url: str, consumer_key: str, consumer_secret: str,
                 shortcode: str, passkey: str, callback_url: str, callback_secret: bytes,
                 currency: str = "KES", timeout_s: float = 20.0) -> None:
        if not (consumer_key and consumer_secret and shortcode and passkey):
            raise GatewayError("the M-Pesa consumer key, secret, shortcode and passkey "
                               "must all be set")
        if len(callback_secret) < 16:
            raise GatewayError("the M-Pesa callback secret must be at least 16 bytes")
        self.base_url = base_url.rstrip("/")
        self._key, self._secret = consumer_key, consumer_secret
        self.shortcode, self._passkey = shortcode, passkey
        self.callback_url = callback_url
        self._callback_secret = callback_secret
        self.currency = currency
        self._unit = 10 ** currency_exponent(currency)
        self.timeout_s = timeout_s
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls) -> MpesaGateway:
        """``EBS_MPESA_BASE_URL`` (the provider's API), ``EBS_MPESA_CONSUMER_KEY`` and
        ``_SECRET``, ``EBS_MPESA_SHORTCODE``, ``EBS_MPESA_PASSKEY``, ``EBS_MPESA_CALLBACK_URL``
        (ours, public: ``https://portal.example/webhooks/mpesa``), ``EBS_MPESA_CALLBACK_SECRET``
        and ``EBS_MPESA_CURRENCY`` (default KES)."""
        env = os.environ.get
        return cls(base_url=env("EBS_MPESA_BASE_URL", "https://api.safaricom.co.ke"),
                   consumer_key=env("EBS_MPESA_CONSUMER_KEY", ""),
                   consumer_secret=env("EBS_MPESA_CONSUMER_SECRET", ""),
                   shortcode=env("EBS_MPESA_SHORTCODE", ""),
                   passkey=env("EBS_MPESA_PASSKEY", ""),
                   callback_url=env("EBS_MPESA_CALLBACK_URL", ""),
                   callback_secret=env("EBS_MPESA_CALLBACK_SECRET", "").encode(),
                   currency=env("EBS_MPESA_CURRENCY", "KES"))

    # -- payments -------------------------------------------------------------------------
    def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        if request.currency != self.currency:
            raise GatewayError(f"M-Pesa takes {self.currency}, not {request.currency}")
        whole, cents = divmod(request.amount_minor, self._unit)
        if cents or whole <= 0:
            raise GatewayError("M-Pesa takes whole amounts of at least 1 "
                               f"{self.currency}; {request.amount_minor / self._unit:.2f} "
                               "is not one")
        phone = _msisdn(request.phone)
        stamp = self._timestamp()
        reference = request.idempotency_key
        body = {
            "BusinessShortCode": self.shortcode, "Password": self._password(stamp),
            "Timestamp": stamp, "TransactionType": "CustomerPayBillOnline", "Amount": whole,
            "PartyA": phone, "PartyB": self.shortcode, "PhoneNumber": phone,
            "CallBackURL": self.callback_for(reference),
            "AccountReference": request.account_number[:12],
            "TransactionDesc": (request.bill_number or "Electricity")[:13],
        }
        answer = self._post("/mpesa/stkpush/v1/processrequest", body)
        if str(answer.get("ResponseCode")) != "0":
            raise GatewayError(f"M-Pesa refused the request: "
                               f"{answer.get('ResponseDescription') or answer}")
        metadata = {"account_number": request.account_number, "reference": reference}
        if request.bill_number:
            metadata["bill_number"] = request.bill_number
        return GatewayPayment(self.name, str(answer["CheckoutRequestID"]),
                              PaymentState.PENDING, request.amount_minor, self.currency,
                              metadata)

    def fetch_payment(self, payment_id: str) -> GatewayPayment:
        stamp = self._timestamp()
        try:
            answer = self._post("/mpesa/stkpushquery/v1/query", {
                "BusinessShortCode": self.shortcode, "Password": self._password(stamp),
                "Timestamp": stamp, "CheckoutRequestID": payment_id})
        except GatewayError as exc:
            if PENDING_CODE in str(exc):
                return GatewayPayment(self.name, payment_id, PaymentState.PROCESSING, 0,
                                      self.currency)
            raise
        code = int(answer.get("ResultCode", -1))
        if code == 0:
            return GatewayPayment(self.name, payment_id, PaymentState.SUCCEEDED, 0,
                                  self.currency)
        return GatewayPayment(self.name, payment_id, PaymentState.FAILED, 0, self.currency,
                              failure=_failure(code, answer.get("ResultDesc")))

    def refund(self, payment_id: str, amount_minor: int, *, idempotency_key: str,
               reason: str) -> GatewayRefund:
        raise GatewayError("M-Pesa payments are reversed through the provider's reversal "
                           "process, not online: refund this payment by transfer and post "
                           "the refund at the counter")

    # -- callbacks ------------------------------------------------------------------------
    def callback_for(self, reference: str) -> str:
        """The callback URL for one payment: our reference and its HMAC."""
        sep = "&" if "?" in self.callback_url else "?"
        query = urlencode({"ref": reference, "sig": self._sig(reference)})
        return f"{self.callback_url}{sep}{query}"

    def verify_event(self, body: bytes, headers: dict[str, str], *,
                     query: dict[str, str] | None = None,
                     now: datetime | None = None) -> GatewayEvent:
        query = query or {}
        reference, sig = query.get("ref", ""), query.get("sig", "")
        if not reference or not hmac.compare_digest(sig, self._sig(reference)):
            raise WebhookRejected("the callback URL's signature does not verify")
        try:
            callback = json.loads(body)["Body"]["stkCallback"]
            checkout = str(callback["CheckoutRequestID"])
            code = int(callback["ResultCode"])
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected(f"not an M-Pesa STK callback: {exc}") from exc
        items = {str(i.get("Name")): i.get("Value")
                 for i in (callback.get("CallbackMetadata") or {}).get("Item", [])
                 if isinstance(i, dict)}
        metadata = {"reference": reference, "result": str(code),
                    "result_text": str(callback.get("ResultDesc", ""))}
        amount = None
        if code == 0:
            try:
                amount = round(Decimal(str(items["Amount"])) * self._unit)
            except (KeyError, TypeError, ValueError) as exc:
                raise WebhookRejected("a successful callback without its Amount") from exc
            metadata["receipt"] = str(items.get("MpesaReceiptNumber", ""))
            metadata["phone"] = str(items.get("PhoneNumber", ""))
        kind = EventKind.PAYMENT_SUCCEEDED if code == 0 else EventKind.PAYMENT_FAILED
        return GatewayEvent(self.name, f"{checkout}:{code}", kind, "stkCallback", checkout,
                            amount, self.currency if amount is not None else None, metadata,
                            now or datetime.now(UTC), body)

    # -- plumbing -------------------------------------------------------------------------
    def _sig(self, reference: str) -> str:
        return hmac.new(self._callback_secret, reference.encode(), hashlib.sha256).hexdigest()

    def _timestamp(self) -> str:
        return datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S")

    def _password(self, stamp: str) -> str:
        return base64.b64encode(f"{self.shortcode}{self._passkey}{stamp}".encode()).decode()

    def _bearer(self, *, renew: bool = False) -> str:
        with self._lock:
            if self._token and not renew and self._token[1] > time.monotonic():
                return self._token[0]
            basic = base64.b64encode(f"{self._key}:{self._secret}".encode()).decode()
            answer = self._http("GET", "/oauth/v1/generate?grant_type=client_credentials",
                                None, f"Basic {basic}")
            token = str(answer["access_token"])
            life = float(answer.get("expires_in", 3599))
            self._token = (token, time.monotonic() + max(life - 60, 1))
            return token

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._http("POST", path, body, f"Bearer {self._bearer()}")
        except _Unauthorized:  # the token expired early: renew once
            return self._http("POST", path, body, f"Bearer {self._bearer(renew=True)}")

    def _http(self, method: str, path: str, body: dict[str, Any] | None,
              authorization: str) -> dict[str, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = Request(self.base_url + path, data=data, method=method,
                          headers={"Authorization": authorization,
                                   "Content-Type": "application/json"})
        try:
            with urlopen(request, timeout=self.timeout_s) as response:
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except HTTPError as exc:
            text = exc.read().decode("utf-8", "replace")
            if exc.code == 401:
                raise _Unauthorized(text) from exc
            if exc.code >= 500 and PENDING_CODE not in text:
                raise GatewayUnavailable(f"M-Pesa failed ({exc.code}): {_words(text)}") from exc
            raise GatewayError(f"M-Pesa refused the request ({exc.code}): "
                               f"{_words(text)}") from exc
        except (URLError, TimeoutError, ConnectionError) as exc:
            raise GatewayUnavailable(f"M-Pesa could not be reached: {exc}") from exc


class _Unauthorized(GatewayError):
    pass


def _words(text: str) -> str:
    try:
        answer = json.loads(text)
    except ValueError:
        return text[:200]
    return f"{answer.get('errorMessage') or answer} [{answer.get('errorCode', '')}]"


def _failure(code: int, text: object) -> str:
    return _FAILURES.get(code) or str(text or f"result code {code}")


def _msisdn(phone: str | None) -> str:
    """E.164 ("+254708374149") to the provider's form (254708374149)."""
    digits = (phone or "").removeprefix("+")
    if not digits.isdigit() or not 10 <= len(digits) <= 15:
        raise GatewayError(f"the phone number {phone!r} is not an E.164 number "
                           "(e.g. +254708374149)")
    return digits
