"""The reading screen's review list: readings customers sent from the portal that the
rules held (outside the expected range), for a billing officer to accept.

Shown only to a user who may confirm readings (``reading.confirm``). A held reading is
billed only once confirmed; the list reloads when readings change anywhere.
"""

from __future__ import annotations

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.domain.readings.rules import day_text
from ebs_desktop.gui.changes import READINGS
from ebs_desktop.gui.i18n import ui_locale
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    Qt,
    QVBoxLayout,
)
from ebs_desktop.services.usage import SelfRead


class HeldReadsPanel(QGroupBox, ServiceUser):
    """Customers' readings held for review, with Confirm."""

    def __init__(self, context: PageContext) -> None:
        super().__init__()
        self.setTitle(self.tr("Sent by customers, to review"))
        self.context = context
        self.held: list[SelfRead] = []
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setObjectName("held_self_reads")
        self.list.setAccessibleName(self.tr("Customer readings held for review"))
        self.list.setMinimumHeight(120)
        self.list.currentRowChanged.connect(lambda _row: self._selection())
        layout.addWidget(self.list)
        self.confirm_button = QPushButton(icon("check"), self.tr("Confirm reading"))
        self.confirm_button.setToolTip(self.tr("Accept the selected reading: it will be "
                                               "billed"))
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        layout.addWidget(self.confirm_button)
        self.photo_button = QPushButton(icon("search"), self.tr("Show photo"))
        self.photo_button.setToolTip(self.tr("The photo of the meter the customer sent"))
        self.photo_button.setEnabled(False)
        self.photo_button.clicked.connect(self.show_photo)
        layout.addWidget(self.photo_button)
        self.photo_dialog: QDialog | None = None
        self.status = QLabel("")
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.setVisible(self.allowed)
        if self.allowed:
            self.load()

    @property
    def allowed(self) -> bool:
        return self.connected and self.staff.allows("reading.confirm")

    def load(self) -> None:
        staff = self.staff
        self.call(lambda _task: staff.readings.held_self_reads(), self.show_held)

    def show_held(self, held: list[SelfRead]) -> None:
        self.held = held
        self.list.clear()
        locale = ui_locale()
        for h in held:
            flags = f" · {h.flags}" if h.flags else ""
            photo = " · " + self.tr("photo") if h.has_photo else ""
            item = QListWidgetItem(f"{h.account_number} · {h.meter}\n"
                                   f"{format_decimal(h.value, locale)} · "
                                   f"{day_text(h.read_on)}{flags}{photo}")
            item.setData(Qt.ItemDataRole.UserRole, h.reading_id)
            self.list.addItem(item)
        self.status.setText(self.tr("None waiting.") if not held
                            else self.tr("{0} waiting").format(len(held)))
        self._selection()

    def _selection(self) -> None:
        row = self.list.currentRow()
        chosen = 0 <= row < len(self.held)
        self.confirm_button.setEnabled(chosen)
        self.photo_button.setEnabled(chosen and self.held[row].has_photo)

    def show_photo(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.held) or not self.held[row].has_photo:
            return
        held = self.held[row]
        staff = self.staff

        def done(found: tuple[bytes, str]) -> None:
            pixmap = QPixmap()
            pixmap.loadFromData(found[0])
            dialog = QDialog(self)
            dialog.setWindowTitle(self.tr("Meter {0}, read on {1}").format(
                held.meter, day_text(held.read_on)))
            layout = QVBoxLayout(dialog)
            picture = QLabel()
            picture.setObjectName("self_read_photo")
            picture.setAccessibleName(self.tr("Photo of meter {0}").format(held.meter))
            picture.setPixmap(pixmap.scaled(800, 600, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
            layout.addWidget(picture)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(dialog.reject)
            layout.addWidget(buttons)
            self.photo_dialog = dialog
            dialog.show()

        self.call(lambda _task: staff.readings.self_read_photo(held.reading_id), done)

    def confirm(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        reading_id = int(item.data(Qt.ItemDataRole.UserRole))
        staff = self.staff

        def done(_result: None) -> None:
            self.status.setText(self.tr("Reading confirmed."))
            self.load()

        self.call(lambda _task: staff.readings.confirm_reading(reading_id), done,
                  changes={READINGS})

    def reload_if(self, touches_readings: bool) -> None:
        if touches_readings and self.allowed:
            self.load()
