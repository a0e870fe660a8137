"""The Outbox page's use cases (issue 20, point 10): what is waiting, sent or failed,
filtered by state, channel, kind and account; one message as the customer gets it; retry
and cancel, audited.

Retry puts a failed (or cancelled) message back in the queue, due now; cancel gives up a
waiting or failed one. A message a sender holds or has delivered cannot be retried or
cancelled: asking names each such message and its state, and nothing is changed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ebs_desktop.domain.notifications import OUTBOX_STATES, Channel, Kind, RenderedMessage
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import bill_pdfs as pdf_store
from ebs_desktop.persistence.stores import outbox_admin as store
from ebs_desktop.persistence.stores import templates as template_store
from ebs_desktop.persistence.stores.outbox_admin import OutboxLine
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.guard import require
from ebs_desktop.services.notify import content, sender
from ebs_desktop.services.notify.bill_pdfs import bill_documents
from ebs_desktop.services.settings import get_settings

__all__ = ["OutboxLine", "OutboxMessageView", "cancel_messages", "outbox_counts",
           "outbox_message", "outbox_messages", "retry_messages"]


@dataclass(frozen=True)
class OutboxMessageView:
    """One message in full: its row, and the message as the customer gets it (or why it
    cannot be rendered)."""

    line: OutboxLine
    context: dict[str, str]
    rendered: RenderedMessage | None
    problem: str = ""


def _check_filter(status: str | None, channel: str | None, kind: str | None) -> None:
    if status and status not in OUTBOX_STATES:
        raise ValidationError(f"unknown state {status!r}; states are "
                              f"{', '.join(OUTBOX_STATES)}", location="status")
    if channel and channel not in {c.value for c in Channel}:
        raise ValidationError(f"unknown channel {channel!r}; channels are email, sms",
                              location="channel")
    if kind and kind not in {k.value for k in Kind}:
        raise ValidationError(f"unknown kind {kind!r}; kinds are "
                              f"{', '.join(k.value for k in Kind)}", location="kind")


def outbox_messages(db: Database, actor: Actor, *, status: str | None = None,
                    channel: str | None = None, kind: str | None = None,
                    account: str | None = None, limit: int = 500) -> list[OutboxLine]:
    """The newest ``limit`` messages matching every filter given."""
    require(actor, "outbox.view")
    _check_filter(status, channel, kind)
    with db.read() as session:
        return store.messages(session, status=status, channel=channel, kind=kind,
                              account_number=(account or "").strip() or None, limit=limit)


def outbox_counts(db: Database, actor: Actor) -> dict[str, int]:
    require(actor, "outbox.view")
    with db.read() as session:
        return store.counts(session)


def outbox_message(db: Database, actor: Actor, message_id: int) -> OutboxMessageView:
    """One message with its text rendered now (the current templates, as a sender would)."""
    require(actor, "outbox.view")
    with db.read() as session:
        line = store.message(session, message_id)
        if line is None:
            raise NotFound(f"no message {message_id} in the outbox")
        overrides = template_store.overrides(session, content.language_folder(line.language))
        stored = {str(k): str(v) for k, v in json.loads(line.context or "{}").items()}
        doc = figures = None
        if line.kind == Kind.BILL_ISSUED.value and line.bill_id is not None:
            # the figures kept with the bill's PDF, as the sender quotes them; else the
            # bill's document (not drawn yet: the same figures)
            figures = pdf_store.stored_figures(session, [line.bill_id]).get(line.bill_id)
            if figures is None:
                doc = bill_documents(session, [line.bill_id]).get(line.bill_id)
        context = sender.message_context(stored, get_settings(session), doc, line.language,
                                         figures)
    try:
        rendered = content.render(Kind(line.kind), Channel(line.channel), line.language,
                                  context, overrides)
    except content.TemplateProblem as exc:
        return OutboxMessageView(line, context, None, str(exc))
    return OutboxMessageView(line, context, rendered)


def _change(db: Database, actor: Actor, ids: Sequence[int], action: str,
            allowed: tuple[str, ...]) -> int:
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise ValidationError("no message selected", location="messages")
    with db.write() as session:
        found = store.states(session, wanted)
        missing = [i for i in wanted if i not in found]
        if missing:
            raise NotFound(f"no message {', '.join(map(str, missing))} in the outbox")
        refused = [f"{i} ({found[i]})" for i in wanted if found[i] not in allowed]
        if refused:
            raise ValidationError(
                f"cannot {action} message {', '.join(refused)}: only "
                f"{' or '.join(allowed)} messages can be", location="messages")
        changed = (store.retry if action == "retry" else store.cancel)(session, wanted)
        audit.record(session, actor, f"outbox.{action}", "notification_outbox",
                     _entity(wanted), before={str(i): found[i] for i in wanted},
                     after={"status": "pending" if action == "retry" else "cancelled"})
        return changed


def _entity(ids: list[int]) -> str:
    return str(ids[0]) if len(ids) == 1 else f"{ids[0]}..{ids[-1]} ({len(ids)} messages)"


def retry_messages(db: Database, actor: Actor, ids: Sequence[int]) -> int:
    """Failed or cancelled messages wait again, due now; returns how many."""
    require(actor, "outbox.manage")
    return _change(db, actor, ids, "retry", store.RETRYABLE)


def cancel_messages(db: Database, actor: Actor, ids: Sequence[int]) -> int:
    """Waiting or failed messages are given up; returns how many."""
    require(actor, "outbox.manage")
    return _change(db, actor, ids, "cancel", store.CANCELLABLE)
