"""A real SMTP server for the tests (aiosmtpd in a thread): records what it accepted, and
can refuse: a 4xx for the next N messages, a 550 for some addresses, a slow DATA.

``MailServer(tls="starttls")`` offers STARTTLS with a trustme certificate,
``tls="implicit"`` speaks TLS from the first byte; ``client_context()`` trusts the CA.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Handler:
    received: list[EmailMessage] = field(default_factory=list)
    temporary_failures: int = 0  # refuse this many DATA with 451, then accept
    unknown: set[str] = field(default_factory=set)  # RCPT refused with 550 user unknown
    rejected: set[str] = field(default_factory=set)  # DATA refused with 554
    delay: float = 0.0  # seconds before answering DATA
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.unknown:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            time.sleep(self.delay)  # blocks the server's loop: one message at a time
        with self.lock:
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "451 4.3.0 try again later"
            if set(envelope.rcpt_tos) & self.rejected:
                return "554 5.7.1 message refused"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.received.append(message)
        return "250 2.0.0 queued"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.received]


class _Controller(Controller):
    def __init__(self, handler: Handler, port: int, tls: str,
                 server_context: ssl.SSLContext | None, login: tuple[str, str] | None) -> None:
        self._tls, self._server_context, self._login = tls, server_context, login
        kwargs: dict[str, Any] = {}
        if tls == "implicit":
            kwargs["ssl_context"] = server_context
        super().__init__(handler, hostname="127.0.0.1", port=port, **kwargs)

    def factory(self) -> SMTP:
        kwargs: dict[str, Any] = {}
        if self._tls == "starttls":
            kwargs.update(tls_context=self._server_context, require_starttls=True)
        if self._login is not None:
            user, password = self._login

            def check(server: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
                ok = (isinstance(data, LoginPassword) and data.login.decode() == user
                      and data.password.decode() == password)
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=check, auth_required=True,
                          auth_require_tls=self._tls == "starttls")  # implicit: TLS already
        return SMTP(self.handler, hostname="mail.example.test", **kwargs)

    def _trigger_server(self) -> None:
        # the base class connects without TLS to wake the server; with implicit TLS wrap it
        if self._tls == "implicit":
            assert self._server_context is not None
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            with socket.create_connection((self.hostname, self.port), 1.0) as raw, \
                    ctx.wrap_socket(raw) as s:
                s.recv(1024)
            return
        super()._trigger_server()


class MailServer:
    """A running SMTP server on 127.0.0.1 (use as a context manager)."""

    def __init__(self, *, tls: str = "none", login: tuple[str, str] | None = None) -> None:
        self.handler = Handler()
        self.port = free_port()
        self.tls = tls
        self.ca: trustme.CA | None = None
        server_context: ssl.SSLContext | None = None
        if tls != "none":
            self.ca = trustme.CA()
            cert = self.ca.issue_cert("127.0.0.1", "localhost")
            server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(server_context)
        self._controller = _Controller(self.handler, self.port, tls, server_context, login)

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.ca is not None:
            self.ca.configure_trust(context)
        return context

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received
