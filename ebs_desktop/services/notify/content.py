"""What a notification says: Jinja2 templates per kind, channel and language, and the
email built from them.

Templates are files under ``ebs_desktop/templates/notify/<language>/``, one set per
language the app ships (:data:`LANGUAGES`): for each
:class:`~ebs_desktop.domain.notifications.Kind` a ``.subject`` (one line), a ``.txt`` and an
``.html`` (email parts, extending ``_base``) and an ``.sms``. HTML is autoescaped; a
variable a template uses but the context lacks is an error
(:class:`TemplateProblem`), never a blank in a customer's message. The context holds
display text, already formatted in the customer's language by whoever enqueued the
message (money with its currency, dates); :data:`VARIABLES` lists what each kind gets.

An administrator may replace any of these files for a language (stored in the database,
:mod:`ebs_desktop.services.notify.templates`): :func:`render` takes the language's
replacements as ``overrides`` (template name -> source), which win over the files.
:func:`check_template` is the save-time check: it parses the source, refuses a variable
the kind does not document (with its line) and renders it with sample values, so a
broken template is refused when saved, naming template and line, not when sent.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from email.header import Header
from email.message import EmailMessage
from email.utils import encode_rfc2231, formataddr, formatdate, parseaddr
from functools import cache, partial
from typing import Any

import jinja2
import jinja2.meta
import jinja2.nodes

from ebs_desktop.devices.delivery import RawEmail
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
    Kind.SUPPORT_REPLY: (*COMMON, "request_number", "topic", "reply"),
    Kind.PORTAL_VERIFY: (*COMMON, "link", "valid_hours"),
    Kind.PORTAL_RESET: (*COMMON, "link", "valid_hours"),
    Kind.PORTAL_INVITE: (*COMMON, "link", "valid_hours"),
    Kind.HIGH_USAGE: (*COMMON, "period", "kwh", "usual_kwh", "times"),
}
LANGUAGES = ("en", "fr")  # folders under templates/notify; the first is the fallback
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
PARTS = ("subject", "txt", "html", "sms")  # a kind's templates: <kind>.<part>
PART_NAMES = {"subject": "Email subject", "txt": "Email text", "html": "Email HTML",
              "sms": "SMS"}
BASES = ("_base.txt", "_base.html")  # the frame every email text / HTML part extends


def template_names() -> list[str]:
    """Every template an administrator may replace, per language: the kinds' parts, then
    the two email frames."""
    return [f"{kind.value}.{part}" for kind in Kind for part in PARTS] + list(BASES)


def allowed_variables(name: str) -> tuple[str, ...]:
    """The documented variables of template ``name`` (``bill_issued.sms``, ``_base.txt``)."""
    if name in BASES:
        return COMMON
    kind, _, part = name.rpartition(".")
    try:
        return VARIABLES[Kind(kind)] if part in PARTS else ()
    except ValueError:
        return ()


class TemplateProblem(ValidationError):
    """A template that cannot be rendered: names the template and line."""


def language_folder(language: str) -> str:
    """``fr_FR`` -> ``fr`` when there is a French set, else the fallback."""
    code = language.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else LANGUAGES[0]


def _environment(folder: str, overrides: Mapping[str, str] | None = None
                 ) -> jinja2.Environment:
    return _cached_environment(folder, tuple(sorted((overrides or {}).items())))


@cache
def _cached_environment(folder: str,
                        overrides: tuple[tuple[str, str], ...]) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.FunctionLoader(partial(_stored, dict(overrides))),
            jinja2.PackageLoader("ebs_desktop", f"templates/notify/{folder}"),
            jinja2.PackageLoader("ebs_desktop", f"templates/notify/{LANGUAGES[0]}"),
        ]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=False),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # shipped files do not change under a running program; an
        # administrator's templates come in ``overrides``, a new environment each change
        keep_trailing_newline=False,
        trim_blocks=True,
    )


def _stored(sources: dict[str, str], name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """An administrator's template, named as its file would be (so errors name it)."""
    return (sources[name], name, lambda: True) if name in sources else None


def _failing_line(exc: BaseException) -> tuple[str, int] | None:
    """The template and line an error was raised at (Jinja2 rewrites the traceback so a
    template's frames carry its name and line)."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            found = (filename.rpartition("/")[2], tb.tb_lineno)
        tb = tb.tb_next
    return found


def _render_one(env: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    try:
        return env.get_template(name).render(**context).strip()
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"template {exc.name or name}, line {exc.lineno}: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        where = _failing_line(exc)
        place = f"template {where[0]}, line {where[1]}" if where else f"template {name}"
        raise TemplateProblem(f"{place}: {exc}") from exc
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as exc:
        where = _failing_line(exc)
        place = f"template {where[0]}, line {where[1]}" if where else f"template {name}"
        raise TemplateProblem(f"{place}: {exc}") from exc


def render(kind: Kind, channel: Channel, language: str, context: Mapping[str, Any],
           overrides: Mapping[str, str] | None = None) -> RenderedMessage:
    """The message of ``kind`` on ``channel`` in ``language`` (fallback English).

    ``overrides``: the administrator's replacements for that language's templates
    (name -> source, e.g. ``{"reminder.sms": "..."}``), as
    :func:`ebs_desktop.services.notify.templates.overrides_for` reads them."""
    env = _environment(language_folder(language), overrides)
    if channel is Channel.SMS:
        return RenderedMessage(subject="", text=_render_one(env, f"{kind.value}.sms", context))
    return RenderedMessage(
        subject=" ".join(_render_one(env, f"{kind.value}.subject", context).split()),
        text=_render_one(env, f"{kind.value}.txt", context),
        html=_render_one(env, f"{kind.value}.html", context),
    )


def default_source(language: str, name: str) -> str:
    """The shipped source of template ``name`` in ``language`` (the English one where the
    language has none)."""
    env = _environment(language_folder(language))
    assert env.loader is not None
    source, _filename, _uptodate = env.loader.get_source(env, name)
    return source


def sample_context(name: str) -> dict[str, str]:
    """Stand-in values for every documented variable of template ``name`` (the save-time
    trial render)."""
    return {variable: f"[{variable}]" for variable in allowed_variables(name)}


def check_template(language: str, name: str, source: str,
                   overrides: Mapping[str, str] | None = None) -> None:
    """Refuse a template an administrator wrote that would fail or leave a blank when
    sent: a syntax error, a variable the template's kind does not document, a missing
    block or parent, or any error rendering it with sample values. The message names the
    template and the line (:class:`TemplateProblem`)."""
    if name not in template_names():
        raise TemplateProblem(f"there is no template {name!r}; templates are "
                              f"<kind>.<{'|'.join(PARTS)}> or {' / '.join(BASES)}")
    label = f"{language_folder(language)}/{name}"
    env = _environment(language_folder(language))
    try:
        tree = env.parse(source, name=name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"template {label}, line {exc.lineno}: {exc.message}") from exc
    allowed = set(allowed_variables(name))
    for variable in sorted(jinja2.meta.find_undeclared_variables(tree) - allowed,
                           key=lambda v: _first_line(tree, v)):
        raise TemplateProblem(
            f"template {label}, line {_first_line(tree, variable)}: unknown variable "
            f"'{variable}'; {name} may use {', '.join(sorted(allowed)) or 'no variables'}")
    if name in BASES and not any(block.name == "body"
                                 for block in tree.find_all(jinja2.nodes.Block)):
        raise TemplateProblem(f"template {label}, line 1: the frame has no "
                              "{% block body %}{% endblock %}, so every message would lose "
                              "its text")
    replaced = {**(overrides or {}), name: source}
    for child in ([n for n in replaced if n not in BASES] if name in BASES else [name]):
        _check_blocks(language, child, replaced)
    context = sample_context(name if name not in BASES else "account_problem.txt")
    if name in BASES:  # a frame is checked through a template that extends it
        targets = [f"{kind.value}.{name.rpartition('.')[2]}" for kind in Kind]
    else:
        targets = [name]
    trial = _environment(language_folder(language), replaced)
    for target in targets:
        try:
            _render_one(trial, target, sample_context(target) if name in BASES else context)
        except TemplateProblem as exc:
            raise TemplateProblem(str(exc).replace(f"template {name},",
                                                   f"template {label},")) from exc


def _check_blocks(language: str, name: str, sources: Mapping[str, str]) -> None:
    """A template that extends a frame may only fill the frame's blocks: Jinja2 drops any
    other block without a word, and with it the administrator's text."""
    env = _environment(language_folder(language), sources)
    assert env.loader is not None
    tree = env.parse(env.loader.get_source(env, name)[0], name=name)
    for extends in tree.find_all(jinja2.nodes.Extends):
        if not isinstance(extends.template, jinja2.nodes.Const):
            continue
        parent = str(extends.template.value)
        try:
            parent_source = env.loader.get_source(env, parent)[0]
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(f"template {language_folder(language)}/{name}, line "
                                  f"{extends.lineno}: there is no template {parent!r} to "
                                  "extend") from exc
        known = {b.name for b in env.parse(parent_source).find_all(jinja2.nodes.Block)}
        for block in tree.find_all(jinja2.nodes.Block):
            if block.name not in known:
                raise TemplateProblem(
                    f"template {language_folder(language)}/{name}, line {block.lineno}: "
                    f"block '{block.name}' is not in {parent} (it has "
                    f"{', '.join(sorted(known)) or 'no blocks'}), so its text would never "
                    "be sent")


def _first_line(tree: jinja2.nodes.Template, variable: str) -> int:
    lines = [node.lineno for node in tree.find_all(jinja2.nodes.Name)
             if node.name == variable and node.ctx == "load"]
    return min(lines) if lines else 1


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


# -- the sender's composer: straight to bytes --------------------------------------------
# ``compose_email`` builds an EmailMessage, whose header objects (email.headerregistry)
# cost about 3 ms a message, and flattening it for SMTP as much again: more than the SMTP
# exchange of an 11 KB bill email. The sender writes the same MIME structure directly:
# multipart/mixed (when there are attachments) around multipart/alternative (text, HTML),
# text in 7bit when it is plain ASCII with short lines, else base64 UTF-8; attachments in
# base64 lines of 76. A mail client reads both the same (tests parse what the server got).

_CRLF = b"\r\n"


def _header_text(value: str) -> str:
    """A header value on one logical line, as ASCII (RFC 2047 words for anything else,
    folded with CRLF)."""
    value = " ".join(value.splitlines())
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


def _text_part(text: str, subtype: str) -> bytes:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if text.isascii() and all(len(line) <= 900 for line in lines):
        encoding, body = "7bit", "\r\n".join(lines).encode("ascii")
    else:
        encoding = "base64"
        body = base64.encodebytes("\n".join(lines).encode("utf-8")).replace(b"\n", _CRLF)
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n").encode() + body


def _attachment_part(attachment: Attachment) -> bytes:
    name = attachment.filename
    disposition = (f'filename="{name}"' if name.isascii() and '"' not in name
                   else f"filename*={encode_rfc2231(name, 'utf-8')}")
    return (f"Content-Type: {attachment.content_type}\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; {disposition}\r\n\r\n").encode() \
        + base64.encodebytes(attachment.data).replace(b"\n", _CRLF)


def _multipart(subtype: str, boundary: str, parts: Sequence[bytes]) -> bytes:
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode()
    mark = f"--{boundary}".encode()
    body = b"".join(mark + _CRLF + part.rstrip(_CRLF) + _CRLF for part in parts)
    return head + body + mark + b"--" + _CRLF


def compose_raw(rendered: RenderedMessage, *, sender: str, sender_name: str,
                recipient: str, dedupe_key: str,
                attachments: Sequence[Attachment] = ()) -> EmailMessage | RawEmail:
    """What :func:`compose_email` composes, as bytes ready for SMTP (an address outside
    ASCII, which needs SMTPUTF8, goes the EmailMessage way)."""
    if not (sender.isascii() and recipient.isascii()):
        return compose_email(rendered, sender=sender, sender_name=sender_name,
                             recipient=recipient, dedupe_key=dedupe_key,
                             attachments=attachments)
    ident = message_id(dedupe_key, sender)
    boundary = "==ebs-" + hashlib.sha256(ident.encode()).hexdigest()[:32]
    body = _text_part(rendered.text + "\n", "plain")
    if rendered.html:
        body = _multipart("alternative", boundary + "-a",
                          [body, _text_part(rendered.html + "\n", "html")])
    if attachments:
        body = _multipart("mixed", boundary + "-m",
                          [body, *(_attachment_part(a) for a in attachments)])
    head = (f"From: {formataddr((sender_name, sender))}\r\n"
            f"To: {recipient}\r\n"
            f"Subject: {_header_text(rendered.subject)}\r\n"
            f"Date: {formatdate(usegmt=True)}\r\n"
            f"Message-ID: {ident}\r\n"
            "MIME-Version: 1.0\r\n")
    return RawEmail(sender, recipient, ident, head.encode("ascii") + body)
