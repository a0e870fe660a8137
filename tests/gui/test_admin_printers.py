"""Administration, counters and printers: the configured ones are listed, and a test print
reaches a file printer (the demo's, re-pointed into tmp) and a printer URL typed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.persistence.models import Printer
from tests.gui.test_admin_page import admin_page
from tests.gui.test_counter_page import PrinterServer


def test_counters_and_printers_listed_and_test_printed(qtbot: QtBot, demo_hub: ServiceHub,
                                                       tmp_path: Path) -> None:
    target = tmp_path / "c01.bin"
    with demo_hub.db.write() as s:
        s.execute(update(Printer).values(target=str(target)))
    page = admin_page(qtbot, demo_hub)
    tab = page.printers
    codes = [tab.counters_model.index(r, 0).data() for r in range(tab.counters_model.rowCount())]
    assert codes == ["C01", "C02"]
    assert tab.counters_model.index(0, 2).data() == "Counter 1 printer"
    assert tab.printers_model.rowCount() == 1
    assert tab.printers_model.index(0, 2).data() == "file"
    tab.test_button.click()
    data = target.read_bytes()
    assert data.startswith(b"\x1b@") and b"\x1dV" in data  # ESC @ ... cut
    assert "sent" in tab.status.text() and f"({len(data)} bytes)" in tab.status.text()
    # any address typed in: here a network printer on a local socket
    server = PrinterServer()
    try:
        tab.url.setText(f"tcp://127.0.0.1:{server.port}")
        tab.url_button.click()
        qtbot.waitUntil(lambda: len(server.jobs) == 1, timeout=5000)
    finally:
        server.close()
    assert server.jobs[0].startswith(b"\x1b@") and b"\x1dV" in server.jobs[0]
    assert "sent" in tab.status.text()
    # an address that does not answer is a message, not a crash
    tab.url.setText("tcp://127.0.0.1:9")
    tab.url_button.click()
    assert tab.status.text() and "sent" not in tab.status.text()


def test_admin_adds_a_printer_and_a_counter(qtbot: QtBot, demo_hub: ServiceHub,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from ebs_desktop.gui.dialogs.printer_dialogs import CounterDialog, PrinterDialog
    from ebs_desktop.gui.qt import QDialog

    def fill_printer(self: PrinterDialog) -> int:
        self.name.setText("Hall printer")
        self.kind.setCurrentIndex(self.kind.findData("network"))
        self.target.setText("127.0.0.1:9100")
        self.paper.setCurrentIndex(self.paper.findData(58))
        return int(QDialog.DialogCode.Accepted.value)

    def fill_counter(self: CounterDialog) -> int:
        self.code.setText("C03")
        self.name.setText("Hall counter")
        self.printer.setCurrentIndex(self.printer.findData("Hall printer"))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(PrinterDialog, "exec", fill_printer)
    monkeypatch.setattr(CounterDialog, "exec", fill_counter)
    page = admin_page(qtbot, demo_hub)
    tab = page.printers
    tab.add_printer()
    qtbot.waitUntil(lambda: tab.printers_model.rowCount() == 2, timeout=5000)
    tab.add_counter()
    qtbot.waitUntil(lambda: tab.counters_model.rowCount() == 3, timeout=5000)
    rows = {tab.counters_model.index(r, 0).data(): tab.counters_model.index(r, 2).data()
            for r in range(3)}
    assert rows["C03"] == "Hall printer"
    # a refused entry shows the service's message
    monkeypatch.setattr(PrinterDialog, "exec", lambda self: (
        self.name.setText("Bad"), self.target.setText(""),
        int(QDialog.DialogCode.Accepted.value))[-1])
    tab.add_printer()
    qtbot.waitUntil(lambda: "printer target" in tab.status.text(), timeout=5000)
