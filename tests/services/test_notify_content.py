"""Message content: every kind renders on every channel, HTML is escaped, a missing
variable is an error naming the template, and the email carries its parts and PDF."""

from __future__ import annotations

import pytest

from ebs_desktop.domain.notifications import Attachment, Channel, Kind
from ebs_desktop.services.notify.content import (
    VARIABLES,
    TemplateProblem,
    compose_email,
    message_id,
    render,
)


def _context(kind: Kind) -> dict[str, str]:
    context = {name: f"<{name}>" for name in VARIABLES[kind]}
    context["customer_name"] = "Ana & Bo Haddad"
    return context


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_on_both_channels(kind: Kind) -> None:
    email = render(kind, Channel.EMAIL, "en_US", _context(kind))
    assert email.subject and "\n" not in email.subject
    assert "Dear Ana & Bo Haddad," in email.text  # text is not escaped
    assert "Ana &amp; Bo Haddad" in email.html  # HTML is
    for name in VARIABLES[kind]:
        if name != "customer_name":
            assert f"<{name}>" in email.text + email.subject, name
    sms = render(kind, Channel.SMS, "fr_FR", _context(kind))  # French falls back for now
    assert sms.html == "" and sms.text and len(sms.text.splitlines()) == 1


def test_a_missing_variable_is_an_error_naming_the_template() -> None:
    context = _context(Kind.BILL_ISSUED)
    del context["due_date"]
    with pytest.raises(TemplateProblem, match=r"bill_issued\.subject.*'due_date' is undefined"):
        render(Kind.BILL_ISSUED, Channel.EMAIL, "en", context)


def test_the_email_has_text_html_the_pdf_and_a_stable_message_id() -> None:
    rendered = render(Kind.BILL_ISSUED, Channel.EMAIL, "en", _context(Kind.BILL_ISSUED))
    pdf = b"%PDF-1.4 the bill\n%%EOF"
    message = compose_email(rendered, sender="bills@riverside.example", sender_name="Riverside",
                            recipient="ana@example.net", dedupe_key="bill_issued:B1:email",
                            attachments=[Attachment("B1.pdf", "application/pdf", pdf)])
    assert message["Message-ID"] == message_id("bill_issued:B1:email", "bills@riverside.example")
    assert message["Message-ID"].endswith("@riverside.example>")
    assert message_id("bill_issued:B2:email", "x@y") != message_id("bill_issued:B1:email", "x@y")
    body = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body is not None and "Dear Ana & Bo Haddad" in body.get_content()
    assert html is not None and "Ana &amp; Bo Haddad" in html.get_content()
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "B1.pdf"
    assert attached.get_content() == pdf
