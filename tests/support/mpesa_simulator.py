"""A small server that behaves like an M-Pesa (Daraja) STK-push provider, for the tests.

It checks what the real one checks (OAuth client credentials, bearer tokens that expire,
the ``Password`` derived from shortcode, passkey and timestamp, whole amounts) and calls
back the ``CallBackURL`` as the real one does, after ``delay`` seconds. What the customer
"does" on the phone is chosen by the number's last digit:

* ``0`` pays; the callback comes once;
* ``1`` cancels on the phone (ResultCode 1032);
* ``2`` never answers: no callback; the query says 1037 once the request has timed out;
* ``3`` pays; the callback comes twice;
* ``4`` pays; the callback is lost (only the query tells).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY, SECRET = "ebs-consumer-key", "ebs-consumer-secret"
SHORTCODE, PASSKEY = "174379", "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"


@dataclass
class Push:
    checkout: str
    merchant: str
    amount: int
    phone: str
    callback: str
    behaviour: str
    decided: bool = False
    result: int | None = None
    callbacks_sent: int = 0


@dataclass
class MpesaSimulator:
    delay: float = 0.2
    token_life: float = 3599.0
    pushes: dict[str, Push] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)
    oauth_calls: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                simulator._oauth(self)

            def do_POST(self) -> None:
                simulator._post(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the provider's endpoints ---------------------------------------------------------
    def _oauth(self, h: BaseHTTPRequestHandler) -> None:
        expected = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        if not h.path.startswith("/oauth/v1/generate?grant_type=client_credentials"):
            return _answer(h, 404, {"errorCode": "404.001.01", "errorMessage": "Not found"})
        if h.headers.get("Authorization") != expected:
            return _answer(h, 400, {"errorCode": "400.008.01",
                                    "errorMessage": "Invalid Authentication passed"})
        with self._lock:
            self.oauth_calls += 1
            token = f"tok{next(self._ids)}"
            self.tokens[token] = time.monotonic() + self.token_life
        _answer(h, 200, {"access_token": token, "expires_in": str(int(self.token_life))})

    def _post(self, h: BaseHTTPRequestHandler) -> None:
        token = (h.headers.get("Authorization") or "").removeprefix("Bearer ")
        if self.tokens.get(token, 0) < time.monotonic():
            return _answer(h, 401, {"errorCode": "404.001.03",
                                    "errorMessage": "Invalid Access Token"})
        body = json.loads(h.rfile.read(int(h.headers.get("Content-Length", "0"))) or b"{}")
        stamp = str(body.get("Timestamp", ""))
        password = base64.b64encode(f"{SHORTCODE}{PASSKEY}{stamp}".encode()).decode()
        if body.get("BusinessShortCode") != SHORTCODE or body.get("Password") != password:
            return _answer(h, 400, {"errorCode": "400.002.02",
                                    "errorMessage": "Bad Request - Invalid Password"})
        if h.path == "/mpesa/stkpush/v1/processrequest":
            return self._push(h, body)
        if h.path == "/mpesa/stkpushquery/v1/query":
            return self._query(h, body)
        _answer(h, 404, {"errorCode": "404.001.01", "errorMessage": "Not found"})

    def _push(self, h: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        amount, phone = body.get("Amount"), str(body.get("PhoneNumber", ""))
        if type(amount) is not int or amount < 1:
            return _answer(h, 400, {"errorCode": "400.002.02",
                                    "errorMessage": "Bad Request - Invalid Amount"})
        if not phone.isdigit():
            return _answer(h, 400, {"errorCode": "400.002.02",
                                    "errorMessage": "Bad Request - Invalid PhoneNumber"})
        with self._lock:
            n = next(self._ids)
            push = Push(f"ws_CO_{n:08d}", f"29115-{n}", amount, phone,
                        str(body["CallBackURL"]), phone[-1])
            self.pushes[push.checkout] = push
        _answer(h, 200, {"MerchantRequestID": push.merchant,
                         "CheckoutRequestID": push.checkout, "ResponseCode": "0",
                         "ResponseDescription": "Success. Request accepted for processing",
                         "CustomerMessage": "Success. Request accepted for processing"})
        threading.Thread(target=self._decide, args=(push,), daemon=True).start()

    def _query(self, h: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        push = self.pushes.get(str(body.get("CheckoutRequestID")))
        if push is None:
            return _answer(h, 400, {"errorCode": "400.002.02",
                                    "errorMessage": "Bad Request - Invalid CheckoutRequestID"})
        if not push.decided:
            return _answer(h, 500, {"errorCode": "500.001.1001",
                                    "errorMessage": "The transaction is being processed"})
        _answer(h, 200, {"ResponseCode": "0", "ResultCode": str(push.result),
                         "ResultDesc": "The service request is processed successfully."
                         if push.result == 0 else "Request cancelled by user",
                         "MerchantRequestID": push.merchant,
                         "CheckoutRequestID": push.checkout})

    # -- the customer's phone, then the callback ------------------------------------------
    def _decide(self, push: Push) -> None:
        time.sleep(self.delay)
        push.result = {"1": 1032, "2": 1037}.get(push.behaviour, 0)
        push.decided = True
        sends = {"2": 0, "3": 2, "4": 0}.get(push.behaviour, 1)
        for _ in range(sends):
            self._call_back(push)

    def _call_back(self, push: Push) -> None:
        callback: dict[str, Any] = {"MerchantRequestID": push.merchant,
                                    "CheckoutRequestID": push.checkout,
                                    "ResultCode": push.result,
                                    "ResultDesc": "The service request is processed "
                                                  "successfully." if push.result == 0
                                    else "Request cancelled by user"}
        if push.result == 0:
            callback["CallbackMetadata"] = {"Item": [
                {"Name": "Amount", "Value": float(push.amount)},
                {"Name": "MpesaReceiptNumber", "Value": f"NLJ{push.checkout[-5:]}SV"},
                {"Name": "TransactionDate", "Value": int(time.strftime("%Y%m%d%H%M%S"))},
                {"Name": "PhoneNumber", "Value": int(push.phone)}]}
        data = json.dumps({"Body": {"stkCallback": callback}}).encode()
        request = urllib.request.Request(push.callback, data=data, method="POST",
                                         headers={"Content-Type": "application/json"})
        with contextlib.suppress(OSError):  # the provider does not retry
            urllib.request.urlopen(request, timeout=10).read()
        push.callbacks_sent += 1


def _answer(h: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)
