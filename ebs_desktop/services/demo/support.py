"""The demo's service requests (issue 21, point 6): a few in every state, so the desktop's
Service requests page and the portal's Help and requests have something to show.

Chosen by position, not by chance (the demo's random draws stay as they were): the first
account with bills and payments (the one the demo portal login holds) has an answered
billing question; then, by position among the other accounts, a meter problem with a
photo waiting in the queue unassigned, a move-out waiting on the customer, a payment
question assigned and open again after the customer's reply, and a closed one. Times
count from the last bills' issue date. No outbox rows: these are history, told long ago.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from PIL import Image, ImageDraw

from ebs_desktop.domain.photos import clean_photo
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import dunning as accounts_store
from ebs_desktop.persistence.stores import support as store

# (account position, topic, final status, assignee username or None, thread)
# thread: (author, hours after opening, text, with a photo)
SCRIPT: tuple[tuple[int, str, str, str | None,
                    tuple[tuple[str, int, str, bool], ...]], ...] = (
    (0, "billing", "answered", "billing", (
        ("customer", 0, "My last bill is much higher than usual. Was the meter read "
                        "correctly?", False),
        ("staff", 20, "We checked: the reading was right. Your usage went up in the cold "
                      "weather; the Usage page shows the months side by side.", False))),
    (3, "meter", "open", None, (
        ("customer", 0, "The display of my meter stays blank since yesterday. Photo "
                        "attached.", True),)),
    (5, "move", "waiting", "clerk", (
        ("customer", 0, "I move out on the 30th. Please close my account on that day.",
         False),
        ("staff", 6, "We can do that. Please send us the address for your final bill.",
         False))),
    (7, "payment", "open", "clerk2", (
        ("customer", 0, "I paid twice by mistake this month.", False),
        ("staff", 30, "We see both payments. Shall we refund one or keep it as credit?",
         False),
        ("customer", 52, "Keep it as credit, please.", False))),
    (2, "other", "closed", "billing", (
        ("customer", 0, "Can I get my bills by email instead of paper?", False),
        ("staff", 4, "Done: your account is now paperless. You can change this on your "
                     "Profile page.", False))),
)


def _meter_photo() -> bytes:
    """A drawn stand-in for a customer's photo of a blank meter display."""
    picture = Image.new("RGB", (640, 480), (205, 210, 214))
    pen = ImageDraw.Draw(picture)
    pen.rounded_rectangle((120, 80, 520, 400), radius=24, fill=(60, 64, 70))
    pen.rectangle((180, 150, 460, 230), fill=(140, 160, 140))
    pen.text((200, 300), "kWh", fill=(230, 230, 230))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return out.getvalue()


def add_service_requests(db: Database, issued: date) -> int:
    """The scripted requests on the accounts that exist; returns how many were written."""
    start = datetime(issued.year, issued.month, issued.day, 9, 0, tzinfo=UTC)
    written = 0
    with db.write() as session:
        demo_login = store.first_paying_account(session)
        ids = [i for i in accounts_store.all_account_ids(session) if i != demo_login]
        if demo_login is not None:
            ids.insert(0, demo_login)
        staff = {name: uid for uid, name, _roles in store.staff_users(session)}
        users = {username: staff.get(full) for username, full in (
            ("billing", "Bill Billing"), ("clerk", "Carl Clerk"), ("clerk2", "Clara Clerk"))}
        for n, (position, topic, status, assignee, thread) in enumerate(SCRIPT):
            if position >= len(ids):
                continue
            opened = start + timedelta(days=2 * n, hours=n)
            request_id = store.add_request(session, account_id=ids[position], login_id=None,
                                           topic=topic, now=opened)
            last = opened
            for author, hours, text, photo in thread:
                last = opened + timedelta(hours=hours)
                store.add_message(
                    session, request_id=request_id, author=author, body=text, now=last,
                    user_id=users.get(assignee or "") if author == "staff" else None,
                    photo=clean_photo(_meter_photo()) if photo else None)
            if assignee is not None and users.get(assignee) is not None:
                store.set_assignee(session, request_id, users[assignee], last)
            store.set_status(session, request_id, status, last)
            written += 1
    return written
