"""The Service requests page over a real demo database: the queue, the thread with the
customer's photo, assign, and a reply typed and sent from the keyboard that reaches the
customer's portal thread and the outbox."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.service_requests import ServiceRequestsPage
from ebs_desktop.gui.qt import Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import Account, Customer, OutboxMessage
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import CustomerServices
from tests.gui.conftest import DEMO_PASSWORDS

SHOTS = Path(os.environ.get("EBS_SHOTS", "/tmp/support-shots"))


def _window(qtbot: QtBot, hub: ServiceHub, role: str) -> MainWindow:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _customer(hub: ServiceHub) -> tuple[CustomerServices, str]:
    with hub.db.read() as s:
        number = s.scalar(select(Account.account_number).join(Customer)
                          .where(Customer.email.is_not(None))
                          .order_by(Account.account_number.desc()).limit(1))
    assert number is not None
    return CustomerServices(hub.db, Actor.customer(7, "pat@example.net", [number])), number


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "orange").save(out, format="JPEG")
    return out.getvalue()


def test_a_clerk_answers_from_the_keyboard_and_the_customer_is_told(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    me, number = _customer(demo_hub)
    opened = me.open_support_request(number, "meter", "The seal on my meter is broken.",
                                     _photo())
    window = _window(qtbot, demo_hub, "clerk")
    window.actions_by_id["page.service_requests"].trigger()
    page = window.pages["service_requests"]
    assert isinstance(page, ServiceRequestsPage)
    page.search.setText(number)
    page.load()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 0).data() == opened.number
    assert page.model.index(0, 4).data() == "Open"
    assert page.model.index(0, 5).data() == "—"
    assert "The seal on my meter is broken." in page.thread_view.toPlainText()
    assert "data:image/jpeg;base64," in page.thread_view.toHtml() or \
        page.thread_view.document().toHtml().count("<img") == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "service-requests-page.png"))

    carl = next(i for i in range(page.assignee.count()) if page.assignee.itemText(i)
                == "Carl Clerk")
    page.assignee.setCurrentIndex(carl)
    page.assign_button.click()
    assert page.model.index(0, 5).data() == "Carl Clerk"

    page.reply.setFocus()
    qtbot.keyClicks(page.reply, "A crew will replace the seal on Friday.")
    page.waiting.setChecked(True)
    qtbot.keyClick(page.reply, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert page.reply.toPlainText() == ""
    assert "the customer is told" in page.status.text()
    assert page.model.index(0, 4).data() == "Waiting on customer"
    thread = me.support_request(opened.request_id)
    assert thread.messages[-1].text == "A crew will replace the seal on Friday."
    assert thread.messages[-1].author == "staff"
    assert thread.messages[-1].author_name == "Carl Clerk"
    assert thread.request.status == "waiting"
    with demo_hub.db.read() as s:
        told = s.scalars(select(OutboxMessage.context).join(
            Account, Account.id == OutboxMessage.account_id).where(
            Account.account_number == number, OutboxMessage.kind == "support_reply")).all()
    assert len(told) == 1
    assert json.loads(told[0])["reply"] == "A crew will replace the seal on Friday."


def test_an_empty_reply_is_not_sent(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    me, number = _customer(demo_hub)
    opened = me.open_support_request(number, "billing", "Question")
    window = _window(qtbot, demo_hub, "billing")
    window.show_page("service_requests")
    page = window.pages["service_requests"]
    assert isinstance(page, ServiceRequestsPage)
    page.search.setText(number)
    page.load()
    page.send_reply()
    assert page.status.text() == "Write the reply first."
    assert len(me.support_request(opened.request_id).messages) == 1
