"""Administration, message templates (issue 20, point 7): every template of every language
the app ships, the administrator's replacement edited in place, checked when saved (the
error names template and line, and the cursor goes to that line), and previewed on a real
account, the unsaved text included, before anything is sent.

All through ``staff.templates`` (:mod:`ebs_desktop.services.notify.templates`): the service
checks ``template.edit``, refuses a broken template and audits every change.
"""

from __future__ import annotations

import html
import re

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import EbsError
from ebs_desktop.gui.changes import MESSAGES
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.models.lazy_table import Column
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.pages.outbox import KIND_WORDS
from ebs_desktop.gui.qt import (
    QComboBox,
    QFont,
    QHBoxLayout,
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
from ebs_desktop.gui.widgets import (
    date_col,
    error_label,
    muted,
    rows_model,
    set_rows,
    table,
    yes_no,
)
from ebs_desktop.services.notify.templates import Preview, TemplateInfo, TemplateText

LANGUAGE_WORDS = {"en": "English", "fr": "Français"}
PART_WORDS = {"subject": "Email subject", "txt": "Email text", "html": "Email HTML",
              "sms": "SMS"}
_LINE = re.compile(r"line (\d+)")


def template_words(info: TemplateInfo) -> str:
    if not info.kind:
        return f"Email frame ({'HTML' if info.part == 'html' else 'text'})"
    return f"{KIND_WORDS[Kind(info.kind)]}: {PART_WORDS[info.part]}"


class TemplatesTab(QWidget, ServiceUser):
    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.context = context
        outer = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        splitter.addWidget(self._list_side())
        splitter.addWidget(self._editor_side())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([520, 580])
        self._infos: list[TemplateInfo] = []
        self._current: TemplateText | None = None
        self._reselecting = False

    def _list_side(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Language"))
        self.language = QComboBox()
        for code, words in LANGUAGE_WORDS.items():
            self.language.addItem(words, code)
        caption.setBuddy(self.language)
        self.language.currentIndexChanged.connect(lambda _i: self.show_list())
        row.addWidget(caption)
        row.addWidget(self.language)
        row.addStretch(1)
        v.addLayout(row)
        self.model = rows_model([Column(self.tr("Template")), Column(self.tr("Replaced"), yes_no),
                                 Column(self.tr("By")), date_col(self.tr("When"))], self)
        self.list = table(self.model)
        self.list.selectionModel().currentRowChanged.connect(lambda *_a: self.open_selected())
        v.addWidget(self.list, 1)
        return box

    def _editor_side(self) -> QWidget:
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("")
        self.title.setObjectName("SectionTitle")
        v.addWidget(self.title)
        self.variables = muted("")
        self.variables.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.variables)
        self.editor = QPlainTextEdit()
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.editor.setFont(mono)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        v.addWidget(self.editor, 3)
        self.error = error_label()
        v.addWidget(self.error)
        buttons = QHBoxLayout()
        self.state = muted("")
        buttons.addWidget(self.state, 1)
        self.reset_button = QPushButton(icon("close"), self.tr("Back to the shipped text"))
        self.reset_button.clicked.connect(self.reset)
        self.save_button = QPushButton(icon("check"), self.tr("Save"))
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(self.tr("Check and save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        v.addLayout(buttons)
        save = QShortcut(QKeySequence("Ctrl+S"), self)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.activated.connect(self.save)
        preview_row = QHBoxLayout()
        caption = QLabel(self.tr("Preview on &account"))
        self.account = QLineEdit()
        self.account.setPlaceholderText(self.tr("Account number"))
        caption.setBuddy(self.account)
        self.account.returnPressed.connect(self.preview)
        self.preview_button = QPushButton(icon("search"), self.tr("Preview"))
        self.preview_button.setToolTip(self.tr("The message as this account's customer would "
                                               "get it, with the text above (Ctrl+P)"))
        self.preview_button.clicked.connect(self.preview)
        preview = QShortcut(QKeySequence("Ctrl+P"), self)
        preview.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        preview.activated.connect(self.preview)
        preview_row.addWidget(caption)
        preview_row.addWidget(self.account, 1)
        preview_row.addWidget(self.preview_button)
        v.addLayout(preview_row)
        self.preview_head = muted("")
        self.preview_head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.preview_head)
        self.preview_view = QTextEdit()
        self.preview_view.setReadOnly(True)
        v.addWidget(self.preview_view, 2)
        return box

    # -- reading ---------------------------------------------------------------------------
    def load(self) -> None:
        templates = self.staff.templates
        self.call(lambda _t: templates.list_templates(), self._listed)

    def _listed(self, infos: list[TemplateInfo]) -> None:
        self._infos = infos
        self.show_list()

    def _shown(self) -> list[TemplateInfo]:
        language = self.language.currentData()
        return [i for i in self._infos if i.language == language]

    def show_list(self) -> None:
        keep = self._current.name if self._current else None
        shown = self._shown()
        set_rows(self.model, [(template_words(i), i.replaced, i.updated_by,
                               i.updated_at or "") for i in shown])
        names = [i.name for i in shown]
        if shown:
            # the template open stays open as edited (a save reads the list again)
            self._reselecting = keep in names
            try:
                self.list.selectRow(names.index(keep) if keep in names else 0)
            finally:
                self._reselecting = False

    def open_selected(self) -> None:
        row = self.list.currentIndex().row()
        shown = self._shown()
        if not 0 <= row < len(shown):
            return
        info = shown[row]
        current = self._current
        if self._reselecting and current is not None and \
                (current.language, current.name) == (info.language, info.name):
            return
        templates = self.staff.templates
        self.call(lambda _t: templates.template_text(info.language, info.name), self.show_text)

    def show_text(self, text: TemplateText) -> None:
        self._current = text
        info = next((i for i in self._infos
                     if (i.language, i.name) == (text.language, text.name)), None)
        words = template_words(info) if info else text.name
        self.title.setText(f"{words}  ·  {text.language}/{text.name}")
        self.variables.setText(self.tr("Variables: {0}").format(
            ", ".join("{{ " + v + " }}" for v in text.variables)))
        self.editor.setPlainText(text.source)
        self.error.hide()
        self.state.setText(self.tr("Replaced by an administrator") if text.replaced
                           else self.tr("The shipped text"))
        self.reset_button.setEnabled(text.replaced)

    # -- changing --------------------------------------------------------------------------
    def _problem(self, exc: BaseException) -> None:
        """Show a refusal; when it names a line, put the cursor on that line."""
        self.error.setText(str(exc))
        self.error.show()
        found = _LINE.search(str(exc))
        if found and isinstance(exc, EbsError):
            block = self.editor.document().findBlockByLineNumber(int(found.group(1)) - 1)
            if block.isValid():
                cursor = self.editor.textCursor()
                cursor.setPosition(block.position())
                cursor.movePosition(type(cursor).MoveOperation.EndOfBlock,
                                    type(cursor).MoveMode.KeepAnchor)
                self.editor.setTextCursor(cursor)
                self.editor.setFocus()

    def save(self) -> None:
        current = self._current
        if current is None:
            return
        source = self.editor.toPlainText()
        templates = self.staff.templates

        def done(text: TemplateText) -> None:
            self.show_text(text)
            self.state.setText(self.tr("Saved: new messages use this text."))
            self.load()

        self.call(lambda _t: templates.save_template(current.language, current.name, source),
                  done, failed=self._problem, changes={MESSAGES})

    def reset(self) -> None:
        current = self._current
        if current is None:
            return
        templates = self.staff.templates

        def done(text: TemplateText) -> None:
            self.show_text(text)
            self.load()

        self.call(lambda _t: templates.reset_template(current.language, current.name), done,
                  failed=self._problem, changes={MESSAGES})

    def preview(self) -> None:
        current = self._current
        number = self.account.text().strip()
        if current is None:
            return
        if not number:
            self.error.setText(self.tr("Type an account number to preview on."))
            self.error.show()
            self.account.setFocus()
            return
        kind, _, part = current.name.rpartition(".")
        if current.name.startswith("_"):
            kind = Kind.BILL_ISSUED.value
        channel = "sms" if part == "sms" else "email"
        edits = {current.name: self.editor.toPlainText()}
        templates = self.staff.templates
        language = current.language
        self.call(lambda _t: templates.preview(number, kind, channel, language=language,
                                               edits=edits),
                  self.show_preview, failed=self._problem)

    def show_preview(self, preview: Preview) -> None:
        self.error.hide()
        m = preview.message
        self.preview_head.setText(self.tr("To {0} ({1}, {2})").format(
            preview.recipient, preview.channel, preview.language))
        subject = self.tr("Subject: {0}").format(m.subject) if m.subject else ""
        if m.html:
            self.preview_view.setHtml(f"<p><b>{html.escape(subject)}</b></p><hr>{m.html}"
                                      if subject else m.html)
        else:
            self.preview_view.setPlainText(f"{subject}\n\n{m.text}" if subject else m.text)
