"""The administrator's message templates: list, read, replace, go back to the shipped
text, and preview on a real account (issue 20, point 7).

The shipped templates are files per language (:mod:`ebs_desktop.services.notify.content`);
a replacement is stored per (language, template name) and wins over the file wherever a
message is rendered (the senders read a language's replacements with
:func:`overrides_for`). Saving runs :func:`~ebs_desktop.services.notify.content.check_template`
first: a template with a syntax error or a variable its kind does not document is refused
with the template and line named, so a customer never gets a blank. Every save and reset
is audited with the text before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.notifications import Channel, Contact, Kind, RenderedMessage
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import templates as store
from ebs_desktop.persistence.stores.templates import AccountFacts
from ebs_desktop.persistence.tx import Session
from ebs_desktop.reports.formatting import format_money
from ebs_desktop.reports.payment_code import payment_barcode_value
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import content
from ebs_desktop.services.settings import UtilitySettings, get_settings


@dataclass(frozen=True)
class TemplateInfo:
    """One template of one language, as the administrator's list shows it."""

    language: str
    name: str  # "reminder.sms", "_base.html"
    kind: str  # "reminder", "" for a frame
    part: str  # "subject", "txt", "html", "sms"
    replaced: bool
    updated_by: str = ""
    updated_at: datetime | None = None


@dataclass(frozen=True)
class TemplateText:
    language: str
    name: str
    source: str  # what is in use: the replacement, else the shipped file
    shipped: str  # the shipped file
    replaced: bool
    variables: tuple[str, ...]  # the documented variables it may use


@dataclass(frozen=True)
class Preview:
    """A message as one real account's customer would get it."""

    account_number: str
    kind: str
    channel: str
    language: str
    recipient: str  # the address it would go to, or "(no email address)"
    context: dict[str, str]
    message: RenderedMessage


def _language(language: str) -> str:
    if language not in content.LANGUAGES:
        raise ValidationError(f"no template set for language {language!r}; the sets are "
                              f"{', '.join(content.LANGUAGES)}", location="language")
    return language


def _name(name: str) -> str:
    if name not in content.template_names():
        raise ValidationError(f"no template named {name!r} (e.g. reminder.sms, "
                              "bill_issued.html, _base.txt)", location="template")
    return name


def _split(name: str) -> tuple[str, str]:
    if name in content.BASES:
        return "", name.rpartition(".")[2]
    kind, _, part = name.rpartition(".")
    return kind, part


def overrides_for(session: Session, language: str) -> dict[str, str]:
    """A language's replaced templates (name -> source), for
    :func:`~ebs_desktop.services.notify.content.render` (the senders call this inside
    their own transaction; not a use case of its own)."""
    return store.overrides(session, content.language_folder(language))


def list_templates(db: Database, actor: Actor) -> list[TemplateInfo]:
    """Every template of every shipped language, marked where an administrator replaced it."""
    require(actor, "template.edit")
    with db.read() as session:
        stored = {(t.language, t.name): t for t in store.all_overrides(session)}
    out = []
    for language in content.LANGUAGES:
        for name in content.template_names():
            kind, part = _split(name)
            found = stored.get((language, name))
            out.append(TemplateInfo(language, name, kind, part, found is not None,
                                    found.updated_by if found else "",
                                    found.updated_at if found else None))
    return out


def template_text(db: Database, actor: Actor, language: str, name: str) -> TemplateText:
    require(actor, "template.edit")
    language, name = _language(language), _name(name)
    with db.read() as session:
        found = store.stored(session, language, name)
    shipped = content.default_source(language, name)
    return TemplateText(language, name, found.source if found else shipped, shipped,
                        found is not None, content.allowed_variables(name))


def save_template(db: Database, actor: Actor, language: str, name: str,
                  source: str) -> TemplateText:
    """Replace a template after checking it (:class:`~ebs_desktop.services.notify.content.
    TemplateProblem` names template and line). Saving the shipped text removes the
    replacement instead."""
    require(actor, "template.edit")
    language, name = _language(language), _name(name)
    source = source.replace("\r\n", "\n")
    with db.write() as session:
        current = store.overrides(session, language)
        content.check_template(language, name, source, current)
        before = current.get(name)
        shipped = content.default_source(language, name)
        if source.strip() == shipped.strip():
            if before is not None:
                store.remove(session, language, name)
                audit.record(session, actor, "template.reset", "notification_template",
                             f"{language}/{name}", before={"source": before},
                             after={"source": None})
        elif source != before:
            store.save(session, language, name, source, actor.username)
            audit.record(session, actor, "template.save", "notification_template",
                         f"{language}/{name}", before={"source": before},
                         after={"source": source})
    return template_text(db, actor, language, name)


def reset_template(db: Database, actor: Actor, language: str, name: str) -> TemplateText:
    """Go back to the shipped text (audited). A frame is reset only if every replaced
    template of that language still renders with the shipped frame."""
    require(actor, "template.edit")
    language, name = _language(language), _name(name)
    with db.write() as session:
        current = store.overrides(session, language)
        before = current.pop(name, None)
        if before is not None:
            for other, source in current.items():
                content.check_template(language, other, source, current)
            store.remove(session, language, name)
            audit.record(session, actor, "template.reset", "notification_template",
                         f"{language}/{name}", before={"source": before},
                         after={"source": None})
    return template_text(db, actor, language, name)


def preview_context(facts: AccountFacts, settings: UtilitySettings, kind: Kind,
                    today: date) -> dict[str, str]:
    """Every documented variable of ``kind`` filled from the account: its latest bill,
    last payment and balance; what an account does not have yet (a disconnection date, a
    reason) gets a plausible stand-in, marked as such where it is text."""
    cur = settings.currency
    due = facts.bill_total_minor if facts.bill_total_minor is not None else max(
        facts.balance_minor, 0)
    bill_number = facts.bill_number or "(no bill yet)"
    values: dict[str, str] = {
        "utility_name": settings.utility_name,
        "utility_phone": settings.phone,
        "customer_name": facts.customer_name,
        "account_number": facts.account_number,
        "bill_number": bill_number,
        "amount_due": format_money(Money(due, cur)),
        "due_date": (facts.bill_due or today + timedelta(days=settings.bill_due_days)
                     ).isoformat(),
        "period_from": (facts.bill_from or today.replace(day=1)).isoformat(),
        "period_to": (facts.bill_to or today).isoformat(),
        "payment_code": payment_barcode_value(facts.account_number, facts.bill_number,
                                              Money(due, cur))
        if facts.bill_number else "(no bill yet)",
        "amount": format_money(Money(facts.payment_minor or 0, cur)),
        "paid_on": (facts.paid_at.date() if facts.paid_at else today).isoformat(),
        "receipt_number": facts.receipt_number or "(no payment yet)",
        "reason": "returned unpaid by the bank (example)",
        "balance": format_money(Money(facts.balance_minor, cur)),
        "disconnection_date": (today + timedelta(days=14)).isoformat(),
        "reconnection_date": (today + timedelta(days=1)).isoformat(),
        "fee": format_money(Money.of(settings.bounced_cheque_fee, cur)),
        "problem": "A cheque you gave us was returned unpaid (example).",
        "request_number": "SR-000042",
        "topic": "meter problem",
        "reply": "A technician will check your meter on Thursday morning (example).",
    }
    return {name: values[name] for name in content.VARIABLES[kind]}


def preview_template(db: Database, actor: Actor, account_number: str, kind: str,
                     channel: str, language: str | None = None,
                     edits: dict[str, str] | None = None,
                     today: date | None = None) -> Preview:
    """The message of ``kind`` on ``channel`` as the account's customer would get it, in
    ``language`` (default: the account's own, else the utility's), with the stored
    replacements and any unsaved ``edits`` (name -> source, checked as a save would)."""
    require(actor, "template.edit")
    try:
        the_kind, the_channel = Kind(kind), Channel(channel)
    except ValueError as exc:
        raise ValidationError(str(exc), location="kind/channel") from exc
    with db.read() as session:
        facts = store.account_facts(session, account_number)
        if facts is None:
            raise NotFound(f"no account {account_number}")
        settings = get_settings(session)
        folder = content.language_folder(language or facts.language or settings.locale)
        sources = store.overrides(session, folder)
    for name, source in (edits or {}).items():
        content.check_template(folder, _name(name), source, {**sources, **(edits or {})})
    sources.update(edits or {})
    context = preview_context(facts, settings, the_kind, today or date.today())
    message = content.render(the_kind, the_channel, folder, context, sources)
    address = Contact(email=facts.email, phone=facts.phone).address(the_channel)
    missing = "(no email address)" if the_channel is Channel.EMAIL else "(no mobile number)"
    return Preview(facts.account_number, the_kind.value, the_channel.value, folder,
                   address or missing, context, message)


