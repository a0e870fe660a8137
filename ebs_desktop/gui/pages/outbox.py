"""The Outbox (issue 20, point 10): every message to customers, what is waiting, sent or
failed, filtered by state, channel, kind and account; the selected message as the customer
gets it (subject, text, and the HTML part drawn); retry what failed, cancel what waits.

Keyboard first: the filters are a row of fields (Enter in the account field applies), the
list takes the arrow keys, Ctrl+R retries and Delete cancels the selected messages
(several with Shift/Ctrl). All reads and changes go through ``staff.outbox``
(:mod:`ebs_desktop.services.notify.outbox_admin`), which checks the permissions and audits.
"""

from __future__ import annotations

from typing import Any

from ebs_desktop.domain.notifications import OUTBOX_STATES, Channel, Kind
from ebs_desktop.gui.changes import MESSAGES, DataChange
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import Page
from ebs_desktop.gui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.widgets import (
    date_col,
    filter_row,
    muted,
    qty_text,
    rows_model,
    set_rows,
    table,
)
from ebs_desktop.services.notify.outbox_admin import OutboxLine, OutboxMessageView

STATE_WORDS = {"pending": "Waiting", "sending": "Being sent", "sent": "Sent",
               "failed": "Failed", "cancelled": "Cancelled"}
KIND_WORDS = {
    Kind.BILL_ISSUED: "Bill issued", Kind.PAYMENT_POSTED: "Payment received",
    Kind.PAYMENT_REVERSED: "Payment reversed", Kind.REMINDER: "Reminder",
    Kind.OVERDUE_NOTICE: "Overdue notice", Kind.FINAL_NOTICE: "Final notice",
    Kind.DISCONNECTION_NOTICE: "Disconnection notice", Kind.RECONNECTION: "Reconnection",
    Kind.ACCOUNT_PROBLEM: "Account problem", Kind.SUPPORT_REPLY: "Service request reply",
    Kind.ACCOUNT_PROBLEM: "Account problem", Kind.PORTAL_VERIFY: "Portal: confirm email",
    Kind.PORTAL_RESET: "Portal: password reset", Kind.PORTAL_INVITE: "Portal: invitation",
    Kind.ACCOUNT_PROBLEM: "Account problem", Kind.HIGH_USAGE: "High usage",
}


def state_text(value: Any) -> str:
    return STATE_WORDS.get(str(value), str(value))


def kind_text(value: Any) -> str:
    try:
        return KIND_WORDS[Kind(str(value))]
    except ValueError:
        return str(value)


def channel_text(value: Any) -> str:
    return "Email" if value == "email" else "SMS" if value == "sms" else str(value)


class OutboxPage(Page):
    def build_body(self) -> QWidget:
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(self._filters())
        self.model = rows_model([
            Column(self.tr("No.")), date_col(self.tr("Written")),
            Column(self.tr("Kind"), kind_text), Column(self.tr("Channel"), channel_text),
            Column(self.tr("Account")), Column(self.tr("To")),
            Column(self.tr("State"), state_text),
            Column(self.tr("Attempts"), qty_text, align_right=True),
            date_col(self.tr("Next attempt")), date_col(self.tr("Sent")),
            Column(self.tr("Last error"))], self)
        self.list = table(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.selectionModel().currentRowChanged.connect(lambda *_a: self.show_selected())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self._detail())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        v.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.status = muted("")
        row.addWidget(self.status, 1)
        self.retry_button = QPushButton(icon("refresh"), self.tr("Retry selected"))
        self.retry_button.setToolTip(self.tr("Failed or cancelled messages wait again, due "
                                             "now (Ctrl+R)"))
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button = QPushButton(icon("close"), self.tr("Cancel selected"))
        self.cancel_button.setToolTip(self.tr("Waiting or failed messages are given up "
                                              "(Delete)"))
        self.cancel_button.clicked.connect(self.cancel)
        can_manage = self.context.user is None or self._may("outbox.manage")
        for button in (self.retry_button, self.cancel_button):
            button.setEnabled(can_manage)
            row.addWidget(button)
        v.addLayout(row)
        retry = QShortcut(QKeySequence("Ctrl+R"), body)
        retry.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        retry.activated.connect(self.retry)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.list)
        delete.activated.connect(self.cancel)
        self._lines: list[OutboxLine] = []
        self._loaded = False
        return body

    def _may(self, permission: str) -> bool:
        return self.connected and self.staff.allows(permission)

    def _filters(self) -> QHBoxLayout:
        self.state_filter = QComboBox()
        self.state_filter.addItem(self.tr("Any state"), None)
        for state in OUTBOX_STATES:
            self.state_filter.addItem(self.tr(STATE_WORDS[state]), state)
        self.channel_filter = QComboBox()
        self.channel_filter.addItem(self.tr("Any channel"), None)
        for channel in Channel:
            self.channel_filter.addItem(channel_text(channel.value), channel.value)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("Any kind"), None)
        for kind in Kind:
            self.kind_filter.addItem(self.tr(KIND_WORDS[kind]), kind.value)
        self.account_filter = QLineEdit()
        self.account_filter.setPlaceholderText(self.tr("Account number"))
        self.account_filter.setClearButtonEnabled(True)
        row, self.counts, self.refresh_button = filter_row(
            ((self.tr("&State"), self.state_filter), (self.tr("C&hannel"), self.channel_filter),
             (self.tr("&Kind"), self.kind_filter), (self.tr("A&ccount"), self.account_filter)),
            self.load, self.tr("Show"))
        return row

    def _detail(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 6, 0, 0)
        self.headline = QLabel("")
        self.headline.setObjectName("SectionTitle")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.headline)
        self.parts = QTabWidget()
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.html_view = QTextEdit()
        self.html_view.setReadOnly(True)
        self.facts_view = QPlainTextEdit()
        self.facts_view.setReadOnly(True)
        self.parts.addTab(self.text_view, self.tr("Message"))
        self.parts.addTab(self.html_view, self.tr("As HTML"))
        self.parts.addTab(self.facts_view, self.tr("Details"))
        v.addWidget(self.parts, 1)
        return box

    # -- reading ---------------------------------------------------------------------------
    def activated(self) -> None:
        if self.available and self.connected and not self._loaded:
            self.load()
        if self.available:
            self.list.setFocus()

    def data_changed(self, change: DataChange) -> None:
        if change.touches(MESSAGES) and self._loaded:
            self.load()

    def refresh(self) -> bool:
        if not (self.available and self.connected):
            return False
        self.load()
        return True

    def load(self) -> None:
        if not self.connected:
            return
        outbox = self.staff.outbox
        filters = dict(status=self.state_filter.currentData(),
                       channel=self.channel_filter.currentData(),
                       kind=self.kind_filter.currentData(),
                       account=self.account_filter.text().strip() or None)

        def work(_task: object) -> tuple[list[OutboxLine], dict[str, int]]:
            return outbox.messages(**filters), outbox.counts()

        self._loaded = True
        self.call(work, self.show_lines)

    def show_lines(self, result: tuple[list[OutboxLine], dict[str, int]]) -> None:
        lines, counts = result
        self._lines = lines
        set_rows(self.model, [(m.id, m.created_at, m.kind, m.channel, m.account_number,
                               m.recipient, m.status, m.attempts,
                               m.next_attempt_at if m.status == "pending" else "",
                               m.sent_at or "", (m.last_error or "").splitlines()[0]
                               if m.last_error else "") for m in lines])
        shown = self.tr("{0} shown, newest first").format(qty_text(len(lines)))
        self.counts.setText("  ·  ".join([shown, *(
            f"{self.tr(STATE_WORDS[s])} {qty_text(n)}" for s, n in counts.items() if n)]))
        if lines:
            self.list.selectRow(0)
        else:
            self.show_view(None)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.list.selectionModel().selectedRows()})
        return [self._lines[r].id for r in rows if r < len(self._lines)]

    def show_selected(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid() or index.row() >= len(self._lines):
            self.show_view(None)
            return
        message_id = self._lines[index.row()].id
        outbox = self.staff.outbox
        self.call(lambda _t: outbox.message(message_id), self.show_view)

    def show_view(self, view: OutboxMessageView | None) -> None:
        if view is None:
            self.headline.setText("")
            for w in (self.text_view, self.facts_view):
                w.setPlainText("")
            self.html_view.setHtml("")
            return
        m = view.line
        self.headline.setText(self.tr("{0} by {1} to {2}: {3}").format(
            kind_text(m.kind), channel_text(m.channel), m.recipient, state_text(m.status)))
        if view.rendered is None:
            self.text_view.setPlainText(self.tr("This message cannot be written: {0}").format(
                view.problem))
            self.html_view.setHtml("")
        else:
            r = view.rendered
            head = f"{self.tr('Subject')}: {r.subject}\n\n" if r.subject else ""
            self.text_view.setPlainText(head + r.text)
            self.html_view.setHtml(r.html)
        self.parts.setTabEnabled(1, bool(view.rendered and view.rendered.html))
        facts = [(self.tr("Message"), str(m.id)), (self.tr("Key"), m.dedupe_key),
                 (self.tr("Language"), m.language), (self.tr("Attempts"), str(m.attempts)),
                 (self.tr("Provider id"), m.provider_id or ""),
                 (self.tr("Last error"), m.last_error or "")]
        facts += [(k, v) for k, v in sorted(view.context.items())]
        self.facts_view.setPlainText("\n".join(f"{k}: {v}" for k, v in facts))

    # -- changing --------------------------------------------------------------------------
    def _change(self, verb: str) -> None:
        ids = self.selected_ids()
        if not ids:
            self.status.setText(self.tr("Select one or more messages first."))
            return
        outbox = self.staff.outbox
        act = outbox.retry if verb == "retry" else outbox.cancel

        def done(n: int) -> None:
            if verb == "retry":
                text = (self.tr("1 message will be sent again.") if n == 1
                        else self.tr("{0} messages will be sent again."))
            else:
                text = (self.tr("1 message cancelled.") if n == 1
                        else self.tr("{0} messages cancelled."))
            self.status.setText(text.format(qty_text(n)))

        self.call(lambda _t: act(ids), done, failed=lambda exc: self.status.setText(str(exc)),
                  changes={MESSAGES})

    def retry(self) -> None:
        self._change("retry")

    def cancel(self) -> None:
        self._change("cancel")


PAGE = OutboxPage
