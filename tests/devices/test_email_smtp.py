"""The SMTP transport against a real SMTP server (aiosmtpd): plain, STARTTLS and implicit
TLS with a trustme certificate, a login, and each refusal read as the right outcome."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from ebs_desktop.devices.delivery import PermanentFailure, TemporaryFailure, UnreachableRecipient
from ebs_desktop.devices.email_smtp import SmtpConfig, SmtpTransport
from tests.support.smtp_server import MailServer, free_port


def _message(to: str = "ana@example.net", n: int = 1) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "billing@example.com"
    m["To"] = to
    m["Subject"] = f"Bill {n}"
    m["Message-ID"] = f"<ebs.test{n}@example.com>"
    m.set_content(f"body {n}\n")
    return m


def test_plain_session_sends_many_over_one_connection() -> None:
    with MailServer() as server:
        transport = SmtpTransport(SmtpConfig("127.0.0.1", server.port))
        sent = [transport.send(_message(n=i)) for i in range(3)]
        transport.close()
    assert [s.provider_id for s in sent] == [f"<ebs.test{i}@example.com>" for i in range(3)]
    assert [m["Subject"] for m in server.received] == ["Bill 0", "Bill 1", "Bill 2"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_with_login(tls: str) -> None:
    with MailServer(tls=tls, login=("ebs", "s3cret")) as server:
        config = SmtpConfig("127.0.0.1", server.port,
                            "tls" if tls == "implicit" else "starttls", "ebs", "s3cret")
        transport = SmtpTransport(config, server.client_context())
        transport.send(_message())
        transport.close()
    assert [m["To"] for m in server.received] == ["ana@example.net"]


def test_starttls_refuses_an_untrusted_certificate_as_temporary() -> None:
    with MailServer(tls="starttls") as server:
        transport = SmtpTransport(SmtpConfig("127.0.0.1", server.port, "starttls"))
        with pytest.raises(TemporaryFailure, match="cannot reach mail server"):
            transport.send(_message())
    assert server.received == []


def test_wrong_password_is_temporary_and_names_the_user() -> None:
    with MailServer(tls="starttls", login=("ebs", "s3cret")) as server:
        config = SmtpConfig("127.0.0.1", server.port, "starttls", "ebs", "wrong")
        transport = SmtpTransport(config, server.client_context())
        with pytest.raises(TemporaryFailure, match="refused the login of ebs"):
            transport.send(_message())


def test_refusals_are_classified_and_the_session_goes_on() -> None:
    with MailServer() as server:
        server.handler.temporary_failures = 1
        server.handler.unknown = {"gone@example.net"}
        server.handler.rejected = {"spam@example.net"}
        transport = SmtpTransport(SmtpConfig("127.0.0.1", server.port))
        with pytest.raises(TemporaryFailure, match="451"):
            transport.send(_message(n=1))
        with pytest.raises(UnreachableRecipient, match=r"550 5\.1\.1"):
            transport.send(_message("gone@example.net", 2))
        with pytest.raises(PermanentFailure, match="554") as refused:
            transport.send(_message("spam@example.net", 3))
        assert not isinstance(refused.value, UnreachableRecipient)
        transport.send(_message(n=4))  # the same session still delivers
        transport.close()
    assert [m["Message-ID"] for m in server.received] == ["<ebs.test4@example.com>"]


def test_no_server_is_temporary() -> None:
    transport = SmtpTransport(SmtpConfig("127.0.0.1", free_port(), timeout=2))
    with pytest.raises(TemporaryFailure, match=r"cannot reach mail server 127\.0\.0\.1"):
        transport.send(_message())


def test_unknown_security_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="none, starttls, tls"):
        SmtpConfig("localhost", 25, "ssl")
