"""What a notification says: Jinja2 templates per kind, channel and language, and the
email built from them.

Templates are files under ``ebs_desktop/templates/notify/<language>/``: for each
:class:`~ebs_desktop.domain.notifications.Kind` a ``.subject`` (one line), a ``.txt`` and an
``.html`` (email parts, extending ``_base``) and an ``.sms``. HTML is autoescaped; a
variable a template uses but the context lacks is an error
(:class:`TemplateProblem`), never a blank in a customer's message. The context holds
display text, already formatted in the customer's language by whoever enqueued the
message (money with its currency, dates); :data:`VARIABLES` lists what each kind gets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from functools import cache
from typing import Any

import jinja2

from ebs_desktop.domain.notifications import Attachment, Channel, Kind, RenderedMessage
from ebs_desktop.errors import ValidationError

COMMON = ("utility_name", "utility_phone", "customer_name", "account_number")
VARIABLES: dict[Kind, tuple[str, ...]] = {
    Kind.BILL_ISSUED: (*COMMON, "bill_number", "amount_due", "due_date", "period_from",
                       "period_to", "payment_code"),
    Kind.PAYMENT_POSTED: (*COMMON, "amount", "paid_on", "receipt_number", "balance"),
    Kind.PAYMENT_REVERSED: (*COMMON, "amount", "receipt_number", "reason", "balance"),
    Kind.REMINDER: (*COMMON, "bill_number", "amount_due", "due_date"),
    Kind.OVERDUE_NOTICE: (*COMMON, "bill_number", "amount_due", "due_date"),
    Kind.FINAL_NOTICE: (*COMMON, "amount_due", "disconnection_date"),
    Kind.DISCONNECTION_NOTICE: (*COMMON, "amount_due", "disconnection_date"),
    Kind.RECONNECTION: (*COMMON, "reconnection_date", "fee"),
    Kind.ACCOUNT_PROBLEM: (*COMMON, "problem"),
}
LANGUAGES = ("en",)  # folders under templates/notify; the first is the fallback


class TemplateProblem(ValidationError):
    """A template that cannot be rendered: names the template and line."""


def language_folder(language: str) -> str:
    """``fr_FR`` -> ``fr`` when there is a French set, else the fallback."""
    code = language.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else LANGUAGES[0]


@cache
def _environment(folder: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.PackageLoader("ebs_desktop", f"templates/notify/{folder}"),
            jinja2.PackageLoader("ebs_desktop", f"templates/notify/{LANGUAGES[0]}"),
        ]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
    )


def _render_one(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    try:
        return env.get_template(name).render(**context).strip()
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(f"template {name}: {exc}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from exc


def render(kind: Kind, channel: Channel, language: str,
           context: Mapping[str, Any]) -> RenderedMessage:
    """The message of ``kind`` on ``channel`` in ``language`` (fallback English)."""
    env = _environment(language_folder(language))
    if channel is Channel.SMS:
        return RenderedMessage(subject="", text=_render_one(env, f"{kind.value}.sms", context))
    return RenderedMessage(
        subject=" ".join(_render_one(env, f"{kind.value}.subject", context).split()),
        text=_render_one(env, f"{kind.value}.txt", context),
        html=_render_one(env, f"{kind.value}.html", context),
    )


def message_id(dedupe_key: str, sender: str) -> str:
    """A Message-ID that is the same for every attempt at one message (so a receiving
    server or client can drop a repeat after a crash between send and mark)."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "ebs.invalid"
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    return f"<ebs.{digest}@{domain}>"


def compose_email(rendered: RenderedMessage, *, sender: str, sender_name: str,
                  recipient: str, dedupe_key: str,
                  attachments: Sequence[Attachment] = ()) -> EmailMessage:
    """A text + HTML email with its attachments (the bill's PDF) and a stable Message-ID."""
    message = EmailMessage()
    message["From"] = formataddr((sender_name, sender))
    message["To"] = recipient
    message["Subject"] = rendered.subject
    message["Message-ID"] = message_id(dedupe_key, sender)
    message.set_content(rendered.text + "\n")
    if rendered.html:
        message.add_alternative(rendered.html + "\n", subtype="html")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype,
                               filename=attachment.filename)
    return message
