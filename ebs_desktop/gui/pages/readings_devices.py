"""The reading screen's device side: the handheld sync and a direct meter readout.

Both open a serial port (a device path or a pyserial URL such as ``socket://host:port``)
and talk to the device on the worker thread, never the GUI thread: a silent probe or a
cable pulled mid-sync ends in a readable message while the window keeps answering. The
handheld sync uploads what the device holds, sends it the chosen route and uploads again
(:func:`ebs_desktop.services.readings.sync_handheld`); each reading is stored before the
device hears it arrived, so a cancelled or broken sync loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from ebs_desktop.devices.meters.readout import MeterReadout
from ebs_desktop.devices.serial_port import ByteChannel, open_serial
from ebs_desktop.gui.changes import READINGS
from ebs_desktop.gui.icons import icon
from ebs_desktop.gui.pages.base import PageContext, ServiceUser
from ebs_desktop.gui.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from ebs_desktop.gui.tasks import TaskHandle
from ebs_desktop.services.progress import Progress, TaskState
from ebs_desktop.services.readings import SavedReading, SyncResult

HANDHELD_BAUD = 115200


def serial_ports() -> list[str]:
    """Serial ports this PC has (empty if pyserial cannot list them)."""
    try:
        from serial.tools import list_ports
    except ImportError:
        return []
    return sorted(p.device for p in list_ports.comports())


def read_meter(port: str, protocol: str, state: TaskState, timeout: float = 10.0
               ) -> MeterReadout:
    """One readout over the optical probe (IEC 62056-21) or the P1 port (DSMR), taken as
    the port's configured meter when it names none (``ebs meter port set``)."""
    from ebs_desktop.devices.meters.dsmr_port import read_p1_telegram
    from ebs_desktop.devices.meters.iec_session import SIGN_ON_BAUD, read_iec_meter
    from ebs_desktop.devices.meters.port_meters import for_port

    channel: ByteChannel
    if protocol == "iec62056-21":
        channel = open_serial(port, SIGN_ON_BAUD, bytesize=7, parity="E", timeout=0.1)
        try:
            return for_port(read_iec_meter(channel, port, timeout=timeout,
                                           progress=lambda m: state.report(0, 0, m),
                                           check_cancel=state.check_cancelled).to_readout(),
                            port)
        finally:
            channel.close()
    channel = open_serial(port, 115200, timeout=0.1)
    try:
        return for_port(read_p1_telegram(channel, port, timeout=timeout,
                                         check_cancel=state.check_cancelled).to_readout(), port)
    finally:
        channel.close()


class DevicesPanel(QWidget, ServiceUser):
    """The handheld and readout controls; what they store is announced as a change of
    readings, which the reading page answers by showing its route again."""

    def __init__(self, context: PageContext, current_route: Callable[[], str | None]) -> None:
        super().__init__()
        self.context = context
        self.current_route = current_route
        self.handle: TaskHandle | None = None
        self.setMaximumWidth(260)
        self.setMinimumWidth(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        ports = serial_ports()
        handheld = QGroupBox(self.tr("Handheld"))
        form = QFormLayout(handheld)
        self.port = QComboBox()
        self.port.setEditable(True)
        self.port.addItems(ports)
        self.port.setToolTip(self.tr("A serial port or a pyserial URL (socket://host:port)"))
        form.addRow(self.tr("Port"), self.port)
        self.sync_button = QPushButton(icon("handheld"), self.tr("Sync route"))
        self.sync_button.setToolTip(self.tr("Upload the device's readings, send it the route, "
                                            "upload again"))
        self.sync_button.clicked.connect(self.sync)
        form.addRow(self.sync_button)
        self.cancel_button = QPushButton(icon("close"), self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        form.addRow(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        form.addRow(self.progress)
        self.sync_status = QLabel(self.tr("Connect the handheld's cradle and choose its port."))
        self.sync_status.setObjectName("Muted")
        self.sync_status.setWordWrap(True)
        form.addRow(self.sync_status)
        layout.addWidget(handheld)
        readout = QGroupBox(self.tr("Direct meter readout"))
        rform = QFormLayout(readout)
        self.probe_port = QComboBox()
        self.probe_port.setEditable(True)
        self.probe_port.addItems(ports)
        rform.addRow(self.tr("Port"), self.probe_port)
        self.protocol = QComboBox()
        self.protocol.addItem(self.tr("Optical probe (IEC)"), "iec62056-21")
        self.protocol.addItem(self.tr("P1 port (DSMR)"), "dsmr")
        rform.addRow(self.tr("Type"), self.protocol)
        self.read_button = QPushButton(icon("readings"), self.tr("Read and store"))
        self.read_button.clicked.connect(self.read_meter)
        rform.addRow(self.read_button)
        self.readout_status = QLabel("")
        self.readout_status.setObjectName("Muted")
        self.readout_status.setWordWrap(True)
        rform.addRow(self.readout_status)
        layout.addWidget(readout)
        layout.addStretch(1)

    def _busy(self, busy: bool) -> None:
        self.sync_button.setEnabled(not busy)
        self.read_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)

    def _failed(self, label: QLabel) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            self._busy(False)
            self.progress.setValue(0)
            label.setText(str(exc))

        return show

    def _progress(self, p: Progress) -> None:
        if p.message:
            self.sync_status.setText(p.message)

    # -- handheld --------------------------------------------------------------------------
    def sync(self) -> None:
        route = self.current_route()
        port = self.port.currentText().strip()
        if not route or not port:
            self.sync_status.setText(self.tr("Choose a route and the handheld's port first."))
            return
        staff = self.staff

        def work(state: TaskState) -> SyncResult:
            channel = open_serial(port, HANDHELD_BAUD, timeout=0.1)
            try:
                return staff.readings.sync_handheld(channel, port, route,
                                                    progress=lambda m: state.report(0, 0, m))
            finally:
                channel.close()

        def done(result: SyncResult) -> None:
            self._busy(False)
            text = self.tr("Route {0}: {1} sent, {2} readings received, {3} stored, "
                           "{4} already stored.").format(
                result.route, result.downloaded, result.uploaded, result.stored,
                result.duplicates)
            if result.problems:
                text += " " + self.tr("Not stored: {0}").format("; ".join(result.problems))
            self.sync_status.setText(text)

        self._busy(True)
        self.sync_status.setText(self.tr("Connecting to {0}…").format(port))
        self.handle = self.call(work, done, failed=self._failed(self.sync_status),
                                cancelled=self._sync_cancelled, progress=self._progress,
                                changes={READINGS})

    def _sync_cancelled(self) -> None:
        self._busy(False)
        self.sync_status.setText(self.tr("Cancelled."))

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    # -- direct readout --------------------------------------------------------------------
    def read_meter(self) -> None:
        port = self.probe_port.currentText().strip()
        if not port:
            self.readout_status.setText(self.tr("Choose the probe's port first."))
            return
        protocol = str(self.protocol.currentData())
        staff = self.staff

        def work(state: TaskState) -> list[SavedReading]:
            readout = read_meter(port, protocol, state)
            source = "optical" if protocol == "iec62056-21" else "p1"
            return staff.readings.store_readout(readout, source)

        def done(saved: list[SavedReading]) -> None:
            self._busy(False)
            lines = [f"{s.meter_serial} {s.register}: {s.status}" for s in saved]
            self.readout_status.setText(self.tr("Stored: {0}").format(", ".join(lines)))

        self._busy(True)
        self.readout_status.setText(self.tr("Reading the meter on {0}…").format(port))
        self.handle = self.call(work, done, failed=self._failed(self.readout_status),
                                cancelled=lambda: self._busy(False), changes={READINGS})
