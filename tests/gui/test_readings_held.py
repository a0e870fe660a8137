"""The reading screen's review list: a reading a customer sent from the portal that the
rules held shows to a billing officer, who confirms it; a reader does not see the list."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ebs_desktop.gui.app import backend_for
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.pages.readings import ReadingsPage
from ebs_desktop.gui.qt import QLabel
from ebs_desktop.gui.tasks import SyncRunner
from ebs_desktop.persistence.models import (
    Account,
    Meter,
    MeterInstallation,
    MeterRegister,
    Premise,
    Reading,
)
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade import CustomerServices
from tests.gui.conftest import DEMO_PASSWORDS


def _page(qtbot: QtBot, hub: ServiceHub, role: str) -> ReadingsPage:
    user = backend_for(hub).authenticate(role, DEMO_PASSWORDS[role])
    window = MainWindow(user, PageContext(runner=SyncRunner(), user=user, services=hub), "demo")
    qtbot.addWidget(window)
    window.show()
    window.show_page("readings")
    page = window.pages["readings"]
    assert isinstance(page, ReadingsPage)
    return page


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 60, 90)).save(out, format="JPEG")
    return out.getvalue()


def _held_read(hub: ServiceHub, photo: bytes | None = None) -> tuple[str, str, int]:
    """A customer sends a reading far above the meter's usual: it is held."""
    with hub.db.read() as s:
        number, serial, value, on = s.execute(
            select(Account.account_number, Meter.serial, Reading.value, Reading.read_on)
            .join(Premise, Premise.account_id == Account.id)
            .join(MeterInstallation, MeterInstallation.premise_id == Premise.id)
            .join(Meter, Meter.id == MeterInstallation.meter_id)
            .join(MeterRegister, MeterRegister.meter_id == Meter.id)
            .join(Reading, Reading.register_id == MeterRegister.id)
            .where(Account.category == "residential", MeterRegister.code == "kwh",
                   MeterInstallation.removed_on.is_(None), Reading.status != "superseded")
            .order_by(Account.account_number, Reading.read_on.desc()).limit(1)).one()
    me = CustomerServices(hub.db, Actor.customer(3, "ann@example.org", [number]))
    result = me.submit_self_read(number, serial, str(value + 5000), photo,
                                 today=on + timedelta(days=3))
    assert result.status == "held"
    with hub.db.read() as s:
        rid = s.scalars(select(Reading.id).where(Reading.source == "customer")).one()
    return number, serial, rid


def test_a_billing_officer_confirms_a_held_customer_reading(qtbot: QtBot,
                                                            demo_hub: ServiceHub) -> None:
    number, serial, rid = _held_read(demo_hub, _photo())
    page = _page(qtbot, demo_hub, "billing")
    panel = page.held
    assert panel.isVisible()
    assert panel.list.count() == 1
    assert panel.list.item(0).text().startswith(f"{number} · {serial}")
    assert "photo" in panel.list.item(0).text()
    assert not panel.confirm_button.isEnabled() and not panel.photo_button.isEnabled()
    panel.list.setCurrentRow(0)
    assert panel.confirm_button.isEnabled() and panel.photo_button.isEnabled()
    panel.photo_button.click()
    dialog = panel.photo_dialog
    assert dialog is not None and dialog.isVisible()
    picture = dialog.findChild(QLabel, "self_read_photo")
    assert picture is not None and picture.pixmap().width() == 800  # 120x80 scaled to fit
    dialog.reject()
    panel.confirm_button.click()
    with demo_hub.db.read() as s:
        assert s.scalar(select(Reading.status).where(Reading.id == rid)) == "confirmed"
    assert panel.list.count() == 0 and panel.status.text() == "None waiting."


def test_a_reader_does_not_see_the_review_list(qtbot: QtBot, demo_hub: ServiceHub) -> None:
    _held_read(demo_hub)
    page = _page(qtbot, demo_hub, "reader")
    assert not page.held.isVisible()
