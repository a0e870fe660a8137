"""Reading entry over a real demo database: a reader keys a route in walk order, meets a
warning, confirms it with Ctrl+Enter, and a typo is refused in place."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.readings import ReadingsPage, parse_value
from ebs_desktop.gui.qt import QDate, Qt
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import Meter, MeterRegister, Reading
from tests.gui.conftest import DEMO_PASSWORDS


def readings_page(qtbot: QtBot, hub: ServiceHub) -> ReadingsPage:
    user = backend_for(hub).authenticate("reader", DEMO_PASSWORDS["reader"])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("readings")
    page = window.pages["readings"]
    assert isinstance(page, ReadingsPage)
    return page


def stored(hub: ServiceHub, serial: str, on: str) -> list[tuple[Decimal, str]]:
    with hub.db.read() as s:
        rows = s.execute(select(Reading.value, Reading.status)
                         .join(MeterRegister, MeterRegister.id == Reading.register_id)
                         .join(Meter, Meter.id == MeterRegister.meter_id)
                         .where(Meter.serial == serial, Reading.read_on == on))
        return [(Decimal(v), str(st)) for v, st in rows]


def test_reader_keys_a_route_and_confirms_a_warning(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    page = readings_page(qtbot, demo_hub)
    assert page.route.count() >= 1 and page.current_route() == "R0001"
    page.read_on.setDate(QDate(2026, 7, 31))
    page.load_route()
    entries = page.entries
    assert len(entries) > 3 and page.model.rowCount() == len(entries)
    assert [e.walk_order for e in entries] == sorted(e.walk_order for e in entries)
    assert page.current == 0 and page.value.hasFocus()
    first, second, third = entries[0], entries[1], entries[2]
    # a plausible reading: Enter saves it and moves to the next meter
    middle = ((first.expected_low + first.expected_high) / 2).quantize(Decimal("0.1"))
    qtbot.keyClicks(page.value, str(middle))
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.results[0] == (middle, "valid")
    assert stored(demo_hub, first.meter_serial, "2026-07-31") == [(middle, "valid")]
    assert page.current == 1 and page.value.text() == ""
    # far above the expected range: a warning inline, nothing stored yet
    high = (second.expected_high * 3).quantize(Decimal("1"))
    qtbot.keyClicks(page.value, str(high))
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.message.isVisible() and page.confirm_button.isVisible()
    assert page.pending_warnings and 1 not in page.results
    assert stored(demo_hub, second.meter_serial, "2026-07-31") == []
    assert page.current == 1
    # Ctrl+Enter confirms the reading as keyed
    qtbot.keyClick(page.value, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.results[1] == (high, "confirmed")
    assert stored(demo_hub, second.meter_serial, "2026-07-31") == [(high, "confirmed")]
    assert page.current == 2 and not page.message.isVisible()
    # a typo is refused where it was typed; the focus stays on the value
    qtbot.keyClicks(page.value, "12a4")
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.message.isVisible() and "not a number" in page.message.text()
    assert not page.confirm_button.isVisible() and page.current == 2
    assert stored(demo_hub, third.meter_serial, "2026-07-31") == []
    # a warning can also be answered by typing the reading again
    qtbot.keyClick(page.value, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    low = third.previous_value or Decimal(0)
    qtbot.keyClicks(page.value, str(low))
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.pending_warnings  # zero consumption needs a second look
    page.reenter_button.click()
    assert not page.message.isVisible() and page.value.selectedText() == str(low)
    good = ((third.expected_low + third.expected_high) / 2).quantize(Decimal("1"))
    qtbot.keyClicks(page.value, str(good))
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.results[2] == (good, "valid") and page.current == 3
    assert page.model.index(2, 6).data() == "valid"
    assert "3 of" in page.progress_label.text()


def test_values_accept_a_comma_and_refuse_words() -> None:
    assert parse_value(" 1234,5 ") == Decimal("1234.5")
    assert parse_value("1 234.25") == Decimal("1234.25")
    for bad in ("", "abc", "NaN", "1.2.3"):
        try:
            parse_value(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")


def test_a_meter_without_decimals_reads_whole_and_errors_read_as_words(
        qtbot: QtBot, demo_hub: ServiceHub) -> None:
    """The first register's last reading made a whole 7123: the screen shows "7,123" (not
    "7,123.000"), a whole expected range, and 7000 is refused in words."""
    page = readings_page(qtbot, demo_hub)
    page.read_on.setDate(QDate(2026, 7, 31))
    page.load_route()
    first = page.entries[0]
    with demo_hub.db.write() as s:
        last = s.scalars(select(Reading)
                         .join(MeterRegister, MeterRegister.id == Reading.register_id)
                         .join(Meter, Meter.id == MeterRegister.meter_id)
                         .where(Meter.serial == first.meter_serial,
                                MeterRegister.code == first.register)
                         .order_by(Reading.read_on.desc()).limit(1)).one()
        last.value = Decimal("7123")
        read_on = last.read_on
    page.load_route()
    entry = page.entries[0]
    assert entry.previous_value == Decimal("7123") and entry.places == 0
    assert page.model.index(0, 4).data() == "7,123"
    low, high = page.model.index(0, 7).data().split("–")
    assert "." not in low and "." not in high and "," in low
    assert entry.expected_low == entry.expected_low.to_integral_value()
    assert "previous 7,123 of" in page.meter_label.text()
    qtbot.keyClicks(page.value, "7000")
    qtbot.keyClick(page.value, Qt.Key.Key_Return)
    assert page.message.isVisible() and not page.confirm_button.isVisible()
    with demo_hub.db.read() as s:
        dials = s.scalar(select(Meter.dials).where(Meter.serial == first.meter_serial))
    day = f"{read_on.day} {read_on:%b %Y}"
    assert page.message.text() == (f"7000 is lower than the previous reading 7,123 of {day}, "
                                   f"and not a rollover of the {dials}-dial meter")
    assert 0 not in page.results
