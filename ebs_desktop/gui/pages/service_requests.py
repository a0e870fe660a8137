"""Service requests (issue 21, point 6): customers' questions from the portal, answered here.

The queue (by default every request not closed, the one waiting longest first) with its
status, assignee, topic and time open; the selected request's thread with its photos; the
assignee and status; a reply box. A reply reaches the customer's portal thread and, through
the outbox, their channel (email, or SMS for a customer without email).

Keyboard first: the filters are a row of fields with mnemonics (Alt+S status, Alt+G
assigned, Alt+T topic, Alt+F search; Enter in the search field applies), the queue takes
the arrow keys, Alt+R goes to the reply box and Ctrl+Return sends the reply. Everything goes
through ``staff.support`` (:mod:`ebs_desktop.services.support`), which checks the
permission (``service.handle``), writes the notification and the audit entry.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PIL import Image

from ebs_desktop.domain.support import (
    STATUS_WORDS,
    STATUSES,
    TOPIC_WORDS,
    TOPICS,
    duration_words,
    time_open,
)
from ebs_desktop.gui.changes import MESSAGES, DataChange
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import date_col, filter_row, muted, rows_model, set_rows, table
from ebs_desktop.services.support import Handler, RequestSummary, RequestThread

NOT_CLOSED = ("open", "waiting", "answered")
PHOTO_WIDTH = 360  # pixels a photo takes in the thread


@dataclass(frozen=True)
class Shown:
    """The selected request: its thread and its photos (message id -> (type, bytes))."""

    thread: RequestThread
    photos: dict[int, tuple[str, bytes]]


def status_text(value: object) -> str:
    return STATUS_WORDS.get(str(value), str(value))


def topic_text(value: object) -> str:
    return TOPIC_WORDS.get(str(value), str(value))


def thread_html(shown: Shown, utility: str) -> str:
    """The thread as the read-only view shows it: each message with who and when, its
    text escaped, its photo drawn (a data URL: nothing is written to disk)."""
    parts = []
    for m in shown.thread.messages:
        who = (html.escape(m.author_name or utility) if m.author == "staff"
               else html.escape(shown.thread.request.customer_name) + " (customer)")
        when = m.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = html.escape(m.text).replace("\n", "<br>")
        block = f"<p><b>{who}</b> · {when}</p><p>{text}</p>"
        if m.message_id in shown.photos:
            kind, data = shown.photos[m.message_id]
            with Image.open(io.BytesIO(data)) as picture:
                width = min(PHOTO_WIDTH, picture.width)  # never drawn larger than it is
            block += (f'<p><img src="data:{kind};base64,{base64.b64encode(data).decode()}" '
                      f'width="{width}"></p>')
        parts.append(block)
    return "<hr>".join(parts)


class ReplyEdit(QPlainTextEdit):
    """The reply box: Ctrl+Return (or Ctrl+Enter) sends, whatever else has focus rules."""

    def __init__(self, send: Callable[[], None]) -> None:
        super().__init__()
        self._send = send

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            event.accept()
            self._send()
            return
        super().keyPressEvent(event)


class ServiceRequestsPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(self._filters())
        self.model = rows_model([
            Column(self.tr("Request")), Column(self.tr("Account")), Column(self.tr("Customer")),
            Column(self.tr("Topic"), topic_text), Column(self.tr("Status"), status_text),
            Column(self.tr("Assigned to")), Column(self.tr("Time open")),
            date_col(self.tr("Last activity")), Column(self.tr("Last from")),
            Column(self.tr("Subject"))], self)
        self.list = table(self.model)
        self.list.selectionModel().currentRowChanged.connect(lambda *_a: self.show_selected())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self._detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        v.addWidget(splitter, 1)
        self.status = muted("")
        v.addWidget(self.status)
        send = QShortcut(QKeySequence("Ctrl+Return"), body)
        send.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        send.activated.connect(self.send_reply)
        self._requests: list[RequestSummary] = []
        self._handlers: list[Handler] = []
        self._shown: Shown | None = None
        self._loaded = False
        return body

    def _filters(self) -> QHBoxLayout:
        self.status_filter = QComboBox()
        self.status_filter.addItem(self.tr("Not closed"), NOT_CLOSED)
        for status in STATUSES:
            self.status_filter.addItem(self.tr(STATUS_WORDS[status]), (status,))
        self.status_filter.addItem(self.tr("Any status"), STATUSES)
        self.assigned_filter = QComboBox()
        self.assigned_filter.addItem(self.tr("Anyone"), "any")
        self.assigned_filter.addItem(self.tr("Me"), "me")
        self.assigned_filter.addItem(self.tr("Nobody"), "nobody")
        self.topic_filter = QComboBox()
        self.topic_filter.addItem(self.tr("Any topic"), None)
        for topic in TOPICS:
            self.topic_filter.addItem(self.tr(TOPIC_WORDS[topic]), topic)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Account, name or words"))
        self.search.setClearButtonEnabled(True)
        row, self.counts, self.refresh_button = filter_row(
            ((self.tr("&Status"), self.status_filter),
             (self.tr("Assi&gned"), self.assigned_filter),
             (self.tr("&Topic"), self.topic_filter), (self.tr("&Find"), self.search)),
            self.load, self.tr("Show"))
        return row

    def _detail(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(6, 0, 0, 0)
        self.headline = QLabel("")
        self.headline.setObjectName("SectionTitle")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.headline)
        self.thread_view = QTextEdit()
        self.thread_view.setReadOnly(True)
        self.thread_view.setAccessibleName(self.tr("Messages"))
        v.addWidget(self.thread_view, 3)
        manage = QHBoxLayout()
        caption = QLabel(self.tr("&Assignee"))
        self.assignee = QComboBox()
        caption.setBuddy(self.assignee)
        manage.addWidget(caption)
        manage.addWidget(self.assignee, 1)
        self.assign_button = QPushButton(icon("user"), self.tr("Assign"))
        self.assign_button.clicked.connect(self.assign)
        manage.addWidget(self.assign_button)
        caption = QLabel(self.tr("Stat&us"))
        self.status_choice = QComboBox()
        for status in STATUSES:
            self.status_choice.addItem(self.tr(STATUS_WORDS[status]), status)
        caption.setBuddy(self.status_choice)
        manage.addWidget(caption)
        manage.addWidget(self.status_choice)
        self.status_button = QPushButton(icon("check"), self.tr("Set"))
        self.status_button.clicked.connect(self.set_status)
        manage.addWidget(self.status_button)
        v.addLayout(manage)
        caption = QLabel(self.tr("&Reply to the customer"))
        self.reply = ReplyEdit(self.send_reply)
        self.reply.setTabChangesFocus(True)
        self.reply.setPlaceholderText(self.tr("Your answer; the customer is told by their "
                                              "channel (Ctrl+Return sends)"))
        caption.setBuddy(self.reply)
        v.addWidget(caption)
        v.addWidget(self.reply, 1)
        options = QHBoxLayout()
        self.waiting = QCheckBox(self.tr("&Waiting on the customer"))
        self.close_after = QCheckBox(self.tr("&Close the request"))
        self.waiting.toggled.connect(lambda on: self._one_of(on, self.close_after))
        self.close_after.toggled.connect(lambda on: self._one_of(on, self.waiting))
        options.addWidget(self.waiting)
        options.addWidget(self.close_after)
        options.addStretch(1)
        self.send_button = QPushButton(icon("mail"), self.tr("Send reply"))
        self.send_button.setToolTip(self.tr("Ctrl+Return"))
        self.send_button.clicked.connect(self.send_reply)
        options.addWidget(self.send_button)
        v.addLayout(options)
        self._enable_detail(False)
        return box

    @staticmethod
    def _one_of(checked: bool, other: QCheckBox) -> None:
        """Waiting on the customer and closing exclude each other."""
        if checked:
            other.setChecked(False)

    def _enable_detail(self, on: bool) -> None:
        for widget in (self.assignee, self.assign_button, self.status_choice,
                       self.status_button, self.reply, self.waiting, self.close_after,
                       self.send_button):
            widget.setEnabled(on)

    # -- reading ---------------------------------------------------------------------------
    def activated(self) -> None:
        if self.available and self.connected and not self._loaded:
            self.load()
        if self.available:
            self.list.setFocus()

    def data_changed(self, change: DataChange) -> None:
        if change.touches(MESSAGES) and self._loaded and change.origin is not self:
            self.load()

    def refresh(self) -> bool:
        if not (self.available and self.connected):
            return False
        self.load()
        return True

    def _me(self) -> int | None:
        return self.staff.principal.user_id

    def load(self, keep: int | None = None) -> None:
        if not self.connected:
            return
        support = self.staff.support
        assigned = self.assigned_filter.currentData()
        filters = dict(statuses=self.status_filter.currentData(),
                       topic=self.topic_filter.currentData(),
                       search=self.search.text().strip() or None,
                       unassigned=assigned == "nobody",
                       assignee_id=self._me() if assigned == "me" else None)
        if assigned == "me" and filters["assignee_id"] is None:
            filters["unassigned"] = True  # the local operator has no user row
        current = keep if keep is not None else self.current_id()

        def work(_task: object) -> tuple[list[RequestSummary], dict[str, int], list[Handler]]:
            return support.queue(**filters), support.counts(), support.handlers()

        self._loaded = True
        self.call(work, lambda result: self.show_requests(result, current))

    def show_requests(self, result: tuple[list[RequestSummary], dict[str, int],
                                          list[Handler]], keep: int | None = None) -> None:
        requests, counts, handlers = result
        self._requests = requests
        self._handlers = handlers
        self.assignee.clear()
        self.assignee.addItem(self.tr("Nobody"), None)
        for h in handlers:
            self.assignee.addItem(h.name, h.user_id)
        now = datetime.now(UTC)
        set_rows(self.model, [
            (r.number, r.account_number, r.customer_name, r.topic, r.status,
             r.assignee_name or "—", duration_words(time_open(r.opened_at, r.closed_at, now)),
             r.updated_at, self.tr("Customer") if r.last_author == "customer"
             else self.tr("Staff"), r.subject) for r in requests])
        self.counts.setText("  ·  ".join(
            f"{self.tr(STATUS_WORDS[s])} {n}" for s, n in counts.items() if n))
        ids = [r.request_id for r in requests]
        if requests:
            self.list.selectRow(ids.index(keep) if keep in ids else 0)
        else:
            self.show_thread(None)

    def current_id(self) -> int | None:
        index = self.list.currentIndex()
        if not index.isValid() or index.row() >= len(self._requests):
            return None
        return self._requests[index.row()].request_id

    def show_selected(self) -> None:
        request_id = self.current_id()
        if request_id is None:
            self.show_thread(None)
            return
        support = self.staff.support

        def work(_task: object) -> Shown:
            thread = support.request(request_id)
            photos = {m.message_id: support.photo(request_id, m.message_id)
                      for m in thread.messages if m.has_photo}
            return Shown(thread, photos)

        self.call(work, self.show_thread)

    def show_thread(self, shown: Shown | None) -> None:
        self._shown = shown
        self._enable_detail(shown is not None)
        if shown is None:
            self.headline.setText("")
            self.thread_view.setHtml("")
            return
        r = shown.thread.request
        self.headline.setText(self.tr("{0} · {1} · account {2} ({3}) · {4}").format(
            r.number, topic_text(r.topic), r.account_number, r.customer_name,
            status_text(r.status)))
        self.thread_view.setHtml(thread_html(shown, self.settings.utility_name))
        bar = self.thread_view.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.assignee.setCurrentIndex(max(self.assignee.findData(r.assignee_id), 0))
        self.status_choice.setCurrentIndex(max(self.status_choice.findData(r.status), 0))

    # -- changing --------------------------------------------------------------------------
    def _after(self, request_id: int, text: str) -> None:
        self.status.setText(text)
        self.load(keep=request_id)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))

    def assign(self) -> None:
        if self._shown is None:
            return
        request_id = self._shown.thread.request.request_id
        user_id = self.assignee.currentData()
        support = self.staff.support
        self.call(lambda _t: support.assign(request_id, user_id),
                  lambda r: self._after(request_id, self.tr("{0} assigned to {1}.").format(
                      r.number, r.assignee_name or self.tr("nobody"))),
                  failed=self._failed)

    def set_status(self) -> None:
        if self._shown is None:
            return
        request_id = self._shown.thread.request.request_id
        status = str(self.status_choice.currentData())
        support = self.staff.support
        self.call(lambda _t: support.set_status(request_id, status),
                  lambda r: self._after(request_id, self.tr("{0} is now {1}.").format(
                      r.number, status_text(r.status))),
                  failed=self._failed)

    def send_reply(self) -> None:
        if self._shown is None or not self.send_button.isEnabled():
            return
        text = self.reply.toPlainText()
        if not text.strip():
            self.status.setText(self.tr("Write the reply first."))
            self.reply.setFocus()
            return
        request_id = self._shown.thread.request.request_id
        waiting, close = self.waiting.isChecked(), self.close_after.isChecked()
        support = self.staff.support

        def done(thread: RequestThread) -> None:
            self.reply.clear()
            self.waiting.setChecked(False)
            self.close_after.setChecked(False)
            self._after(request_id, self.tr("Reply sent on {0}; the customer is told.").format(
                thread.request.number))

        self.call(lambda _t: support.reply(request_id, text, waiting_on_customer=waiting,
                                           close=close),
                  done, failed=self._failed, changes={MESSAGES})


PAGE = ServiceRequestsPage
