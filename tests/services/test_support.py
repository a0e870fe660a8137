"""Service requests through the facades (issue 21, point 6), on SQLite and PostgreSQL.

A customer opens a request on one of their accounts, staff answer it from the queue, the
customer is told through the outbox on their channel and sees the answer in the thread;
somebody else's request or photo is NotFound like one that does not exist; bad input is
refused with the field named and nothing written.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import delete, func, select, update

from ebs_desktop.errors import NotFound, PermissionDenied, ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import (
    Account,
    AuditEntry,
    Customer,
    OutboxMessage,
    Payment,
    ServiceRequest,
    ServiceRequestMessage,
    ServiceRequestPhoto,
)
from ebs_desktop.services import users
from ebs_desktop.services.actor import Actor, system_actor
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade import CustomerServices, StaffServices

OPERATOR = system_actor("test")


def clear_requests(db: Database) -> None:
    """Without the demo's own requests (each test writes the ones it looks at)."""
    with db.write() as s:
        s.execute(delete(ServiceRequestPhoto))
        s.execute(delete(ServiceRequestMessage))
        s.execute(delete(ServiceRequest))


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=6, months=2, until="2026-06")
    clear_requests(db)
    return db


def test_the_demo_has_requests_in_every_state(db: Database) -> None:
    build_demo(db, customers=8, months=2, until="2026-06")
    staff = StaffServices(db, OPERATOR)
    assert staff.support.counts() == {"open": 2, "waiting": 1, "answered": 1, "closed": 1}
    queue = staff.support.queue()
    photographed = [r for r in queue if r.topic == "meter"]
    assert len(photographed) == 1 and photographed[0].assignee_id is None
    thread = staff.support.request(photographed[0].request_id)
    kind, data = staff.support.photo(thread.request.request_id,
                                     thread.messages[0].message_id)
    assert kind == "image/jpeg" and data.startswith(b"\xff\xd8")
    waiting = staff.support.queue(statuses=("waiting",))[0]
    assert waiting.assignee_name == "Carl Clerk" and waiting.last_author == "staff"
    # the answered one is on the account the demo portal login holds (bills and payments)
    answered = staff.support.queue(statuses=("answered",))[0]
    view = staff.accounts.account_view(answered.account_number)
    assert view.bills and view.payments
    with db.read() as s:
        first_paying = s.scalar(select(Account.account_number).join(Payment)
                                .order_by(Account.id).limit(1))
    assert answered.account_number == first_paying


def test_a_login_opens_at_most_ten_requests_a_day(demo: Database) -> None:
    mine = _emailed_accounts(demo)[0]
    me = _customer(demo, mine, login=5)
    for n in range(10):
        me.open_support_request(mine, "other", f"question {n}")
    with pytest.raises(ValidationError, match="10 requests in the last 24 hours"):
        me.open_support_request(mine, "other", "one more")
    assert _rows(demo, ServiceRequest) == 10
    me.reply_support_request(me.support_requests()[0].request_id, "but I can still reply")
    _customer(demo, mine, login=6).open_support_request(mine, "other", "another login")
    with demo.write() as s:  # a day later the count starts again
        s.execute(update(ServiceRequest).values(
            opened_at=ServiceRequest.opened_at - timedelta(days=1, seconds=1)))
    me.open_support_request(mine, "other", "the next day")


def _emailed_accounts(db: Database) -> list[str]:
    with db.read() as s:
        return list(s.scalars(select(Account.account_number).join(Customer)
                              .where(Customer.email.is_not(None))
                              .order_by(Account.account_number)))


def _customer(db: Database, *accounts: str, login: int = 1) -> CustomerServices:
    return CustomerServices(db, Actor.customer(login, f"c{login}@example.org", accounts))


def _staff(db: Database, username: str, role: str) -> StaffServices:
    info = users.add_user(db, OPERATOR, username, username.title(), "pass-word-123", [role])
    actor = Actor(user_id=info.id, username=username, roles=frozenset({role}),
                  display_name=username.title())
    return StaffServices(db, actor)


def _rows(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _jpeg(size: tuple[int, int] = (3000, 1500)) -> bytes:
    out = io.BytesIO()
    tags = Image.Exif()
    tags[0x010F] = "SnoopCam"
    Image.new("RGB", size, "blue").save(out, format="JPEG", exif=tags.tobytes())
    return out.getvalue()


def test_a_request_asked_answered_told_and_answered_again(demo: Database) -> None:
    mine = _emailed_accounts(demo)[0]
    me = _customer(demo, mine)
    carl = _staff(demo, "carl", "clerk")

    opened = me.open_support_request(mine, "meter", "  The meter display is blank.\n"
                                                    "Since Monday.  ", _jpeg())
    assert opened.status == "open" and opened.account_number == mine
    assert opened.subject == "The meter display is blank."
    assert opened.number == f"SR-{opened.request_id:06d}"
    assert [r.request_id for r in me.support_requests()] == [opened.request_id]

    queue = carl.support.queue()
    assert [q.request_id for q in queue] == [opened.request_id]
    assert queue[0].assignee_id is None and queue[0].last_author == "customer"
    first = carl.support.request(opened.request_id).messages[0]
    assert first.text == "The meter display is blank.\nSince Monday." and first.has_photo
    kind, data = carl.support.photo(opened.request_id, first.message_id)
    assert kind == "image/jpeg" and b"SnoopCam" not in data
    with Image.open(io.BytesIO(data)) as kept:
        assert kept.size == (2000, 1000)
    assert me.support_photo(opened.request_id, first.message_id) == (kind, data)

    thread = carl.support.reply(opened.request_id, "We will send a technician on Thursday.")
    assert thread.request.status == "answered"
    assert thread.request.assignee_name == "Carl"  # whoever answers takes it
    assert [m.author for m in thread.messages] == ["customer", "staff"]
    assert thread.messages[1].author_name == "Carl"

    seen = me.support_request(opened.request_id)
    assert seen.messages[-1].text == "We will send a technician on Thursday."
    assert seen.request.status == "answered"

    with demo.read() as s:
        told = s.execute(select(OutboxMessage.kind, OutboxMessage.channel,
                                OutboxMessage.context, OutboxMessage.dedupe_key)
                         .join(Account, Account.id == OutboxMessage.account_id)
                         .where(Account.account_number == mine,
                                OutboxMessage.kind == "support_reply")).all()
        audited = s.scalars(select(AuditEntry.action)
                            .where(AuditEntry.action.like("service.%"))).all()
    assert len(told) == 1 and told[0].channel == "email"
    context = json.loads(told[0].context)
    assert context["request_number"] == opened.number
    assert context["reply"] == "We will send a technician on Thursday."
    assert context["account_number"] == mine
    assert told[0].dedupe_key.startswith(f"support_reply:{thread.messages[1].message_id}")
    assert audited == ["service.reply"]

    again = me.reply_support_request(opened.request_id, "Thursday is fine, thank you.")
    assert again.request.status == "open"  # staff's turn
    assert carl.support.queue()[0].last_author == "customer"
    closed = carl.support.set_status(opened.request_id, "closed")
    assert closed.status == "closed" and closed.closed_at is not None
    assert carl.support.queue() == []
    assert [q.request_id for q in carl.support.queue(statuses=("closed",))] == [
        opened.request_id]
    reopened = me.reply_support_request(opened.request_id, "It is blank again.")
    assert reopened.request.status == "open" and reopened.request.closed_at is None


def test_a_reply_waiting_on_the_customer_and_the_queue_filters(demo: Database) -> None:
    first, second = _emailed_accounts(demo)[:2]
    me = _customer(demo, first, second)
    mona = _staff(demo, "mona", "manager")
    bill = _staff(demo, "bill", "billing")
    a = me.open_support_request(first, "billing", "Why is my bill so high?")
    b = me.open_support_request(second, "move", "I move out on the 30th.")

    handlers = {h.name for h in mona.support.handlers()}
    assert {"Mona", "Bill"} <= handlers
    mona.support.assign(b.request_id, bill.principal.user_id)
    assert [q.request_id for q in mona.support.queue(unassigned=True)] == [a.request_id]
    assert [q.request_id for q in mona.support.queue(
        assignee_id=bill.principal.user_id)] == [b.request_id]
    assert [q.request_id for q in mona.support.queue(topic="move")] == [b.request_id]
    assert [q.request_id for q in mona.support.queue(search="SO HIGH")] == [a.request_id]
    assert mona.support.queue(search="%") == []  # a percent sign is a letter, not "all"
    assert mona.support.queue(search="so_high") == []
    assert [q.request_id for q in mona.support.queue(account_number=first)] == [a.request_id]

    waiting = bill.support.reply(b.request_id, "Please send the final reading.",
                                 waiting_on_customer=True)
    assert waiting.request.status == "waiting"
    assert waiting.request.assignee_name == "Bill"
    assert mona.support.counts() == {"open": 1, "waiting": 1, "answered": 0, "closed": 0}


def test_somebody_elses_request_or_photo_is_not_found_like_none(demo: Database) -> None:
    mine, theirs = _emailed_accounts(demo)[:2]
    them = _customer(demo, theirs, login=2)
    their = them.open_support_request(theirs, "other", "Hello", _jpeg((20, 20)))
    photo_id = them.support_request(their.request_id).messages[0].message_id
    me = _customer(demo, mine)
    missing = their.request_id + 1000

    for ask in (lambda: me.support_request(their.request_id),
                lambda: me.reply_support_request(their.request_id, "mine now"),
                lambda: me.support_photo(their.request_id, photo_id)):
        with pytest.raises(NotFound) as theirs_refused:
            ask()
        assert "mine now" not in str(theirs_refused.value)
    with pytest.raises(NotFound) as none:
        me.support_request(missing)
    with pytest.raises(NotFound) as other:
        me.support_request(their.request_id)
    assert str(other.value).replace(str(their.request_id), "N") == str(none.value).replace(
        str(missing), "N")
    assert me.support_requests() == []
    assert len(them.support_request(their.request_id).messages) == 1  # nothing added
    # a photo reached through another request of theirs is not found either
    other_request = them.open_support_request(theirs, "other", "Second")
    with pytest.raises(NotFound):
        them.support_photo(other_request.request_id, photo_id)


@pytest.mark.parametrize(("args", "field"), [
    (("NOT-MINE", "billing", "hi"), "account_number"),
    ((None, "gossip", "hi"), "topic"),
    ((None, "billing", "   "), "message"),
    ((None, "billing", "x" * 5001), "message"),
])
def test_bad_input_names_the_field_and_writes_nothing(demo: Database, args: tuple,
                                                     field: str) -> None:
    mine, theirs = _emailed_accounts(demo)[:2]
    me = _customer(demo, mine)
    account, topic, text = args
    with pytest.raises(ValidationError) as caught:
        me.open_support_request(account or mine, topic, text)
    assert caught.value.location == field
    with pytest.raises(ValidationError) as caught:  # an account that is somebody else's
        me.open_support_request(theirs, "billing", "hi")
    assert caught.value.location == "account_number"
    assert _rows(demo, ServiceRequest) == 0 and _rows(demo, ServiceRequestMessage) == 0


def test_a_file_that_is_not_a_photo_writes_nothing(demo: Database) -> None:
    mine = _emailed_accounts(demo)[0]
    me = _customer(demo, mine)
    with pytest.raises(ValidationError) as caught:
        me.open_support_request(mine, "meter", "see photo", b"%PDF-1.4 not a photo")
    assert caught.value.location == "photo"
    assert _rows(demo, ServiceRequest) == 0 and _rows(demo, ServiceRequestPhoto) == 0


def test_a_staff_reply_that_fails_tells_nobody(demo: Database) -> None:
    mine = _emailed_accounts(demo)[0]
    request = _customer(demo, mine).open_support_request(mine, "payment", "Paid twice?")
    carl = _staff(demo, "carl", "clerk")
    before = _rows(demo, OutboxMessage)
    with pytest.raises(ValidationError):
        carl.support.reply(request.request_id, "")
    with pytest.raises(ValidationError):
        carl.support.reply(request.request_id, "bye", waiting_on_customer=True, close=True)
    assert _rows(demo, OutboxMessage) == before
    assert carl.support.request(request.request_id).request.status == "open"


def test_who_may_do_what(demo: Database) -> None:
    mine = _emailed_accounts(demo)[0]
    request = _customer(demo, mine).open_support_request(mine, "billing", "Question")
    rita = _staff(demo, "rita", "reader")
    ada = _staff(demo, "ada", "admin")
    carl = _staff(demo, "carl", "clerk")
    with pytest.raises(PermissionDenied):
        rita.support.queue()
    with pytest.raises(PermissionDenied):
        ada.support.reply(request.request_id, "hi")
    with pytest.raises(ValidationError) as caught:  # a meter reader cannot be given one
        carl.support.assign(request.request_id, rita.principal.user_id)
    assert caught.value.location == "assignee"
    with pytest.raises(PermissionDenied):  # staff cannot use the customer's facade
        CustomerServices(demo, carl.principal).support_requests()
    with pytest.raises(PermissionDenied):  # nor a customer the staff's
        StaffServices(demo, Actor.customer(1, "c@example.org", [mine])).support.queue()


def test_the_reply_message_previews_and_renders_in_both_languages(demo: Database) -> None:
    """The administrator's template preview knows the support reply's variables, and the
    message the sender will write reads the reply in the customer's language."""
    from ebs_desktop.domain.notifications import Channel, Kind
    from ebs_desktop.services.notify import content

    mine = _emailed_accounts(demo)[0]
    staff = StaffServices(demo, OPERATOR)
    for language in ("en", "fr"):
        preview = staff.templates.preview(mine, "support_reply", "email", language=language)
        assert "SR-000042" in preview.message.subject
        assert "(example)" in preview.message.text
    request = _customer(demo, mine).open_support_request(mine, "move", "Leaving <soon>")
    staff.support.reply(request.request_id, "Noted: <b>final</b> reading on the 30th.")
    with demo.read() as s:
        stored = json.loads(s.scalar(select(OutboxMessage.context).where(
            OutboxMessage.kind == "support_reply")) or "{}")
    fr = content.render(Kind.SUPPORT_REPLY, Channel.EMAIL, "fr", stored)
    assert fr.subject == f"Réponse à votre demande {request.number}"
    assert "Noted: &lt;b&gt;final&lt;/b&gt; reading on the 30th." in fr.html
    sms = content.render(Kind.SUPPORT_REPLY, Channel.SMS, "en", stored)
    assert request.number in sms.text and "Noted" not in sms.text  # the SMS only points
