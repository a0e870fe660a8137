"""Service requests (issue 21, point 6): topics, statuses and whose turn it is.

A request's status says who acts next:

* ``open``: the customer wrote last (a new request, or a reply); staff to act;
* ``waiting``: staff asked the customer something; the customer to act;
* ``answered``: staff answered; nothing more expected unless the customer writes again;
* ``closed``: done. A customer who writes on a closed request reopens it (``open``):
  a question that came back belongs with its history, not in a new request.

So a customer's message always makes the request ``open``; a staff reply makes it
``answered`` unless staff say they are waiting on the customer; only staff close.
Messages are plain text, trimmed, 1..:data:`MAX_MESSAGE` characters.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ebs_desktop.errors import ValidationError

TOPICS = ("billing", "meter", "payment", "move", "other")
TOPIC_WORDS = {"billing": "Billing question", "meter": "Meter problem",
               "payment": "Payment issue", "move": "Moving in or out", "other": "Other"}
TOPIC_WORDS_FR = {"billing": "question de facturation", "meter": "problème de compteur",
                  "payment": "problème de paiement", "move": "emménagement ou déménagement",
                  "other": "autre"}
STATUSES = ("open", "waiting", "answered", "closed")
STATUS_WORDS = {"open": "Open", "waiting": "Waiting on customer", "answered": "Answered",
                "closed": "Closed"}
# what staff may set a request to by hand (open comes from the customer's messages)
STAFF_STATUSES = ("waiting", "answered", "closed", "open")
MAX_MESSAGE = 5000
# a login opens at most this many requests a day (a script filling the queue is stopped;
# a customer with that much to say adds to a request already open, or calls)
MAX_OPENED_PER_DAY = 10


def request_number(request_id: int) -> str:
    """How a request is named to people: ``SR-000042``."""
    return f"SR-{request_id:06d}"


def topic_words(topic: str, language: str = "en") -> str:
    """A topic in the customer's language (for their messages)."""
    if language.lower().startswith("fr"):
        return TOPIC_WORDS_FR.get(topic, topic)
    return TOPIC_WORDS.get(topic, topic).lower()


def check_topic(topic: str) -> str:
    value = (topic or "").strip().lower()
    if value not in TOPICS:
        raise ValidationError(f"{topic!r} is not a topic (choose one of "
                              f"{', '.join(TOPICS)})", location="topic")
    return value


def check_status(status: str) -> str:
    value = (status or "").strip().lower()
    if value not in STATUSES:
        raise ValidationError(f"{status!r} is not a status (one of {', '.join(STATUSES)})",
                              location="status")
    return value


def check_message(text: str) -> str:
    """The message trimmed; refused when empty or too long."""
    value = (text or "").replace("\r\n", "\n").strip()
    if not value:
        raise ValidationError("write a message", location="message")
    if len(value) > MAX_MESSAGE:
        raise ValidationError(f"the message has {len(value)} characters; at most "
                              f"{MAX_MESSAGE}, please", location="message")
    return value


def after_customer_message(status: str) -> str:
    """The status after the customer writes: always staff's turn."""
    return "open"


def after_staff_reply(status: str, *, waiting_on_customer: bool) -> str:
    return "waiting" if waiting_on_customer else "answered"


def time_open(opened_at: datetime, closed_at: datetime | None, now: datetime) -> timedelta:
    """How long a request has been (or was) open."""
    return (closed_at or now) - opened_at


def duration_words(span: timedelta) -> str:
    """``3 d 4 h``, ``5 h 10 min``, ``12 min``: the queue's "time open"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {mins} min"
    return f"{mins} min"
