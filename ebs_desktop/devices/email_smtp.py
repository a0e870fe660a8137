"""The email transport: the standard library's smtplib over one kept connection.

Security ``none`` (plain, for a relay on the same host), ``starttls`` (plain connect, then
STARTTLS, usually port 587) or ``tls`` (implicit TLS, usually port 465); a login when a
user is set. The server's answer is turned into the delivery outcomes of
:mod:`ebs_desktop.devices.delivery`:

* a 4xx reply, a dropped or refused connection, a timeout: :class:`TemporaryFailure`;
* a 5xx reply: :class:`PermanentFailure`;
* a 5xx that says the mailbox does not exist (550/551/553, 5.1.x): :class:`UnreachableRecipient`.

The connection is opened on the first send and kept for the next ones (a sender drains
thousands of messages over one session); a connection the server closed is opened again
once before the send is given up as temporary.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from ebs_desktop.devices.delivery import (
    PermanentFailure,
    RawEmail,
    Sent,
    TemporaryFailure,
    UnreachableRecipient,
)

SECURITY_MODES = ("none", "starttls", "tls")
_MAILBOX_GONE = (550, 551, 553)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    security: str = "none"  # none | starttls | tls
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.security not in SECURITY_MODES:
            raise ValueError(f"smtp.security must be one of {', '.join(SECURITY_MODES)}, "
                             f"not {self.security!r}")


def _words(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"


def classify(code: int, message: bytes | str, recipient: str = "") -> Exception:
    """The outcome of an SMTP reply ``code`` (not 2xx/3xx) as a delivery error."""
    words = _words(code, message)
    where = f" for {recipient}" if recipient else ""
    if 400 <= code < 500:
        return TemporaryFailure(f"mail server said later{where}: {words}")
    lowered = words.lower()
    if code in _MAILBOX_GONE or " 5.1." in f" {lowered}" or "user unknown" in lowered:
        return UnreachableRecipient(f"mail server refused the address{where}: {words}")
    return PermanentFailure(f"mail server refused the message{where}: {words}")


class SmtpTransport:
    """An :class:`~ebs_desktop.devices.delivery.EmailTransport` over smtplib."""

    def __init__(self, config: SmtpConfig, context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self._context = context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        try:
            smtp: smtplib.SMTP
            if c.security == "tls":
                smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout,
                                        context=self._context)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            smtp.ehlo()
            if c.security == "starttls":
                smtp.starttls(context=self._context)
                smtp.ehlo()
            if c.user:
                smtp.login(c.user, c.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            # the account's fault, not the message's: retried once the settings are fixed
            raise TemporaryFailure(f"mail server {c.host}:{c.port} refused the login of "
                                   f"{c.user}: {_words(exc.smtp_code, exc.smtp_error)}"
                                   ) from exc
        except smtplib.SMTPResponseException as exc:
            raise TemporaryFailure(f"mail server {c.host}:{c.port}: "
                                   f"{_words(exc.smtp_code, exc.smtp_error)}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach mail server {c.host}:{c.port}: "
                                   f"{exc.__class__.__name__}: {exc}") from exc
        return smtp

    def _send_once(self, message: EmailMessage | RawEmail) -> Sent:
        if self._smtp is None:
            self._smtp = self._connect()
        if isinstance(message, RawEmail):
            refused = self._smtp.sendmail(message.sender, [message.recipient], message.data)
            recipient, provider_id = message.recipient, message.message_id
        else:
            refused = self._smtp.send_message(message)
            recipient, provider_id = str(message["To"]), str(message["Message-ID"])
        if refused:  # some of several recipients refused: we send to one
            code, text = next(iter(refused.values()))
            raise classify(code, text, recipient)
        return Sent(provider_id=provider_id)

    def send(self, message: EmailMessage | RawEmail) -> Sent:
        recipient = (message.recipient if isinstance(message, RawEmail)
                     else str(message["To"]))
        for attempt in (1, 2):
            try:
                return self._send_once(message)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                self._reset()
                raise classify(code, text, recipient) from exc
            except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                self._reset()
                raise classify(exc.smtp_code, exc.smtp_error, recipient) from exc
            except smtplib.SMTPServerDisconnected as exc:
                self._drop()
                if attempt == 2:
                    raise TemporaryFailure(f"mail server closed the connection: {exc}"
                                           ) from exc
            except smtplib.SMTPResponseException as exc:
                self._drop()
                raise classify(exc.smtp_code, exc.smtp_error, recipient) from exc
            except (OSError, smtplib.SMTPException) as exc:
                self._drop()
                raise TemporaryFailure(f"mail server connection failed: "
                                       f"{exc.__class__.__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    def _reset(self) -> None:
        """After a refused message: RSET so the session can take the next one."""
        if self._smtp is not None:
            try:
                self._smtp.rset()
            except (OSError, smtplib.SMTPException):
                self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            finally:
                self._drop()
