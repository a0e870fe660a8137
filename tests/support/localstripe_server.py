"""localstripe, a real stateful server speaking Stripe's API, started by the tests.

It keeps everything in memory, ignores ``Idempotency-Key`` and never retries a webhook, so
tests of idempotency and redelivery replay the real event payloads it sent. Webhooks it
sends are signed like Stripe's (``Stripe-Signature: t=...,v1=...``); they go to the URL
registered with :meth:`LocalStripe.register_webhook`.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.smtp_server import free_port

API_KEY = "sk_test_ebs"


class LocalStripe:
    def __init__(self, port: int, process: subprocess.Popen[bytes]) -> None:
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.process = process

    def register_webhook(self, url: str, secret: str, events: list[str] | None = None) -> None:
        data = {"url": url, "secret": secret}
        if events:
            data["events"] = ",".join(events)
        body = "&".join(f"{k}={urllib.request.quote(v)}" for k, v in data.items()).encode()
        request = urllib.request.Request(f"{self.base}/_config/webhooks/ebs", data=body,
                                         method="POST")
        request.add_header("Authorization", f"Bearer {API_KEY}")
        urllib.request.urlopen(request, timeout=10).read()

    def authenticate(self, payment_intent: str, client_secret: str, *, success: bool) -> None:
        """What the customer's browser does after a 3-D Secure challenge."""
        body = (f"client_secret={client_secret}&success={'true' if success else 'false'}"
                ).encode()
        request = urllib.request.Request(
            f"{self.base}/v1/payment_intents/{payment_intent}/_authenticate", data=body,
            method="POST")
        request.add_header("Authorization", f"Bearer {API_KEY}")
        urllib.request.urlopen(request, timeout=10).read()


def _executable() -> list[str]:
    found = shutil.which("localstripe", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "localstripe"]


@contextmanager
def local_stripe() -> Iterator[LocalStripe]:
    port = free_port()
    process = subprocess.Popen([*_executable(), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.1)
        yield LocalStripe(port, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class WebhookCatcher:
    """A plain HTTP endpoint that keeps every request's raw body and headers."""

    def __init__(self) -> None:
        self.received: list[tuple[bytes, dict[str, str]]] = []
        self._arrived = threading.Condition()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with catcher._arrived:
                    catcher.received.append((body, dict(self.headers.items())))
                    catcher._arrived.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/stripe"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, event_type: str, timeout: float = 15.0) -> tuple[bytes, dict[str, str]]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for body, headers in self.received:
                    if json.loads(body)["type"] == event_type:
                        return body, headers
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {event_type} webhook within {timeout} s")
                self._arrived.wait(left)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
