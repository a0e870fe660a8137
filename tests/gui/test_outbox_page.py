"""The Outbox page and the message templates tab over a real demo database: filter, the
rendered message, retry and cancel; a broken template refused naming its line, a saved
one previewed on a real account."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select, update

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.administration import AdministrationPage
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.outbox import OutboxPage
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import Account, Customer, OutboxMessage
from ebs_desktop.persistence.stores import outbox
from ebs_desktop.services.notify import content
from tests.gui.conftest import DEMO_PASSWORDS

SHOTS = Path(os.environ.get("EBS_SHOTS", "/tmp/outbox-shots"))


def _window(qtbot: QtBot, hub: ServiceHub, role: str) -> MainWindow:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _fill(hub: ServiceHub) -> list[str]:
    with hub.db.write() as s:
        s.execute(delete(OutboxMessage))  # the demo's own bill notices are not this test's
        rows = s.execute(select(Account.id, Account.account_number, Account.customer_id,
                                Customer.name)
                         .join(Customer, Customer.id == Account.customer_id)
                         .order_by(Account.id).limit(6)).all()
        for i, (account_id, number, customer_id, name) in enumerate(rows):
            s.execute(update(Customer).where(Customer.id == customer_id).values(
                email=f"customer{i}@example.com", phone=f"+1555010{i:04d}"))
            context = {v: f"{v}" for v in content.VARIABLES[Kind.OVERDUE_NOTICE]}
            context.update(customer_name=name, account_number=number,
                           amount_due="45.50 USD", utility_name="Riverside Electric Co-op")
            outbox.enqueue(s, kind=Kind.OVERDUE_NOTICE, account_id=account_id,
                           dedupe_key=f"overdue:{number}", context=context,
                           language="fr" if i % 2 else "en")
        s.execute(update(OutboxMessage).where(OutboxMessage.channel == "sms",
                                              OutboxMessage.id % 3 == 0)
                  .values(status="failed", attempts=6,
                          last_error="ESME_RINVDSTADR: invalid destination address"))
    return [str(r[1]) for r in rows]


def test_outbox_page_filters_shows_retries_and_cancels(qtbot: QtBot,
                                                       demo_hub: ServiceHub) -> None:
    numbers = _fill(demo_hub)
    window = _window(qtbot, demo_hub, "billing")
    window.show_page("outbox")
    page = window.pages["outbox"]
    assert isinstance(page, OutboxPage)
    assert page.model.rowCount() == 12
    assert page.text_view.toPlainText()  # the newest message shown at once
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "outbox-page.png"))

    page.state_filter.setCurrentIndex(page.state_filter.findData("failed"))
    failed = page.model.rowCount()
    assert failed >= 1
    assert all(page.model.index(r, 6).data() == "Failed" for r in range(failed))
    page.state_filter.setCurrentIndex(0)
    page.channel_filter.setCurrentIndex(page.channel_filter.findData("email"))
    page.account_filter.setText(numbers[1])
    page.load()
    assert page.model.rowCount() == 1
    page.list.selectRow(0)
    text = page.text_view.toPlainText()
    assert text.startswith("Subject: Impayé : la facture")  # account 2 reads French
    assert "45.50 USD" in text
    assert "Bonjour" in page.html_view.toPlainText()
    window.grab().save(str(SHOTS / "outbox-message.png"))

    page.cancel()  # the pending email
    assert page.status.text() == "1 message cancelled."
    assert page.model.index(0, 6).data() == "Cancelled"  # the list read again (a change)
    page.list.selectRow(0)
    page.retry()
    assert page.model.index(0, 6).data() == "Waiting"
    page.list.selectRow(0)
    page.retry()  # a waiting message cannot be retried: the refusal is shown, not raised
    assert "cannot retry message" in page.status.text()


def test_templates_tab_refuses_a_bad_line_and_previews(qtbot: QtBot,
                                                       demo_hub: ServiceHub) -> None:
    numbers = _fill(demo_hub)
    window = _window(qtbot, demo_hub, "admin")
    window.show_page("administration")
    page = window.pages["administration"]
    assert isinstance(page, AdministrationPage)
    tab = page.templates
    page.tabs.setCurrentWidget(tab)
    tab.language.setCurrentIndex(tab.language.findData("fr"))
    names = [tab.model.index(r, 0).data() for r in range(tab.model.rowCount())]
    row = names.index("Reminder: SMS")
    tab.list.selectRow(row)
    assert tab.title.text().endswith("fr/reminder.sms")
    assert "{{ amount_due }}" in tab.variables.text()
    tab.editor.setPlainText("{{ utility_name }} : rappel\n{{ montant }} avant le {{ due_date }}")
    tab.save()
    assert tab.error.isVisible()
    assert tab.error.text().startswith("template fr/reminder.sms, line 2: unknown variable "
                                       "'montant'")
    assert tab.editor.textCursor().blockNumber() == 1  # the cursor on the line named
    tab.editor.setPlainText("{{ customer_name }} : {{ amount_due }} avant le {{ due_date }}")
    tab.account.setText(numbers[0])
    tab.preview()
    assert not tab.error.isVisible()
    with demo_hub.db.read() as s:
        name = s.scalar(select(Customer.name).join(Account, Account.customer_id == Customer.id)
                        .where(Account.account_number == numbers[0]))
    preview = tab.preview_view.toPlainText()
    assert preview.startswith(f"{name} : ") and " USD avant le 20" in preview
    assert "(sms, fr)" in tab.preview_head.text()
    tab.save()
    assert not tab.error.isVisible()
    assert tab.state.text() == "Saved: new messages use this text."
    assert tab.model.index(row, 1).data() == "✓"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "admin-templates.png"))
    # an email part previews as HTML with the account's real name
    tab.list.selectRow(names.index("Bill issued: Email HTML"))
    tab.preview()
    assert "Bonjour" in tab.preview_view.toPlainText()
    assert "Subject: Votre facture" in tab.preview_view.toPlainText()
    window.grab().save(str(SHOTS / "admin-templates-html.png"))
    tab.list.selectRow(row)
    tab.reset()
    assert tab.state.text() == "The shipped text"
