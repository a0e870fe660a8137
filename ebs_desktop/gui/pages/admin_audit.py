"""Audit log tab: who did what, in words, filtered by user, action, account and days.

Each line is an :class:`~ebs_desktop.services.audit.AuditLine`: the user's full name, the
action in words with its subject ("Payment taken: account 100010283"), and the change as
"field: before -> after". Failed sign-ins are entries of their own ("Failed sign-in as
'bob': wrong password"), listed under the user they were against. The list is lazy (a page
of 200 entries is read when it is shown), so it opens at once on millions of entries;
the selected entry's whole change shows below the list. "Verify the chain" walks every
entry and names the first one edited, deleted or reordered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ebs_desktop.domain.audit_words import ACTION_WORDS, summary
from ebs_desktop.errors import EbsError
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column, LazyTableModel, Row
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import show_error
from ebs_desktop.gui.widgets import date_col, muted, qty_text, table
from ebs_desktop.services.audit import AuditFilter, AuditLine, StaffName, VerifyResult

#: The earliest day a filter can name; shown as "any" (no bound).
NO_DAY = QDate(2000, 1, 1)
FAILED_SIGN_INS = ("user.login_failed", "user.locked")


def one_line(text: str) -> str:
    return summary(text.split("\n"), 64) if text else ""


class AuditTab(QWidget, ServiceUser):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        v = QVBoxLayout(self)
        row = QHBoxLayout()
        self.verify_button = QPushButton(icon("check"), self.tr("Verify the chain"))
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button)
        self.verify_label = muted(self.tr("Verification walks every entry and names the "
                                          "first one that was edited, deleted or reordered."))
        row.addWidget(self.verify_label, 1)
        v.addLayout(row)
        first_row, second_row = self._filter_bar()
        v.addLayout(first_row)
        v.addLayout(second_row)
        self.model = LazyTableModel(
            [Column("#", align_right=True), date_col(self.tr("When")), Column(self.tr("Who")),
             Column(self.tr("What")), Column(self.tr("Change"), one_line)],
            0, lambda o, n: [], parent=self)
        self.view = table(self.model)
        self.view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.show_detail(cur.row()))
        v.addWidget(self.view, 3)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("audit_detail")
        self.detail.setReadOnly(True)
        self.detail.setMaximumHeight(80)
        self.detail.setPlaceholderText(self.tr("Select an entry to see its whole change"))
        v.addWidget(self.detail, 1)
        self.status = muted("")
        v.addWidget(self.status)
        self.filter = AuditFilter()
        self.lines: dict[int, AuditLine] = {}

    def _filter_bar(self) -> tuple[QHBoxLayout, QHBoxLayout]:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("User")))
        self.user_combo = QComboBox()
        self.user_combo.setObjectName("audit_user")
        self.user_combo.addItem(self.tr("Anyone"), None)
        self.user_combo.setMinimumContentsLength(18)
        bar.addWidget(self.user_combo)
        bar.addWidget(QLabel(self.tr("Action")))
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("audit_action")
        self.action_combo.addItem(self.tr("Any action"), ())
        self.action_combo.addItem(self.tr("Failed sign-ins and locks"), FAILED_SIGN_INS)
        for code, words in sorted(ACTION_WORDS.items(), key=lambda kv: kv[1]):
            self.action_combo.addItem(words, (code,))
        self.action_combo.setMinimumContentsLength(22)
        bar.addWidget(self.action_combo)
        bar.addWidget(QLabel(self.tr("Account")))
        self.account = QLineEdit()
        self.account.setObjectName("audit_account")
        self.account.setPlaceholderText(self.tr("number"))
        self.account.setMinimumWidth(140)
        self.account.returnPressed.connect(self.apply_filter)
        bar.addWidget(self.account)
        bar.addStretch(1)
        days = QHBoxLayout()
        days.addWidget(QLabel(self.tr("Days")))
        self.first = self._day_edit()
        self.last = self._day_edit()
        days.addWidget(self.first)
        days.addWidget(QLabel(self.tr("to")))
        days.addWidget(self.last)
        self.apply_button = QPushButton(icon("search"), self.tr("Show"))
        self.apply_button.setProperty("primary", True)
        self.apply_button.clicked.connect(self.apply_filter)
        days.addWidget(self.apply_button)
        self.clear_button = QPushButton(self.tr("All entries"))
        self.clear_button.clicked.connect(self.clear_filter)
        days.addWidget(self.clear_button)
        days.addStretch(1)
        return bar, days

    def _day_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumWidth(140)
        edit.setMinimumDate(NO_DAY)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(NO_DAY)
        return edit

    # -- filters ---------------------------------------------------------------------------
    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        d = edit.date()
        return None if d == NO_DAY else date(d.year(), d.month(), d.day())

    def current_filter(self) -> AuditFilter:
        user = self.user_combo.currentData()
        return AuditFilter(user_id=None if user is None else int(user),
                           actions=tuple(self.action_combo.currentData() or ()),
                           account=self.account.text().strip() or None,
                           first=self._day(self.first), last=self._day(self.last))

    def apply_filter(self) -> None:
        self.filter = self.current_filter()
        self.load()

    def clear_filter(self) -> None:
        self.user_combo.setCurrentIndex(0)
        self.action_combo.setCurrentIndex(0)
        self.account.clear()
        self.first.setDate(NO_DAY)
        self.last.setDate(NO_DAY)
        self.apply_filter()

    def load_users(self) -> None:
        audit = self.staff.audit

        def done(names: list[StaffName]) -> None:
            keep = self.user_combo.currentData()
            self.user_combo.clear()
            self.user_combo.addItem(self.tr("Anyone"), None)
            for name in names:
                self.user_combo.addItem(name.label, name.user_id)
            self.user_combo.setCurrentIndex(max(self.user_combo.findData(keep), 0))

        self.call(lambda _task: audit.staff_names(), done)

    # -- the list --------------------------------------------------------------------------
    def load(self) -> None:
        audit = self.staff.audit
        flt = self.filter
        self.lines = {}
        self.detail.clear()

        def show(count: int) -> None:
            def fetch(offset: int, limit: int) -> Sequence[Row]:
                found = audit.find_entries(flt, offset, limit)
                for n, line in enumerate(found):
                    self.lines[offset + n] = line
                return [(e.id, e.at, e.who, e.what, e.change) for e in found]

            self.model.reload(count, fetch)
            self.view.resizeColumnsToContents()
            self.view.setColumnWidth(3, min(self.view.columnWidth(3), 520))
            self.status.setText(self.tr("{0} entries").format(qty_text(count))
                                if count != 1 else self.tr("1 entry"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, EbsError):
                self.model.reload(0, lambda o, n: [])
                self.status.setText(str(exc))
            else:
                show_error(self, exc)

        self.call(lambda _task: audit.count_entries(flt), show, failed=failed)

    def show_detail(self, row: int) -> None:
        line = self.lines.get(row)
        if line is None:
            self.detail.clear()
            return
        head = f"#{line.id} · {line.at:%Y-%m-%d %H:%M:%S} · {line.who}"
        if line.username and line.username != line.who:
            head += f" ({line.username})"
        self.detail.setPlainText(f"{head}\n{line.what}\n{line.change}".rstrip())

    def verify(self) -> None:
        audit = self.staff.audit
        self.verify_button.setEnabled(False)
        self.verify_label.setText(self.tr("Verifying…"))

        def failed(exc: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.verify_label.setText(str(exc))
            show_error(self, exc)

        def done(result: VerifyResult) -> None:
            self.verify_button.setEnabled(True)
            if result.ok:
                self.verify_label.setText(self.tr(
                    "Chain intact: {0} entries, head hash {1}").format(
                    qty_text(result.entries), result.head_hash[:16] + "…"))
            else:
                self.verify_label.setText(self.tr("Chain BROKEN: {0}").format(result.problem))

        self.call(lambda _task: audit.verify(), done, failed=failed)

    def activate(self) -> None:
        """Read the users and the newest entries (the page calls this once)."""
        self.load_users()
        self.load()
