"""French interface through the compiled .qm, and Babel formatting in the same locale."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from ebs_desktop.domain.formatting import format_decimal
from ebs_desktop.gui.i18n import install_translator, translate, ui_locale
from ebs_desktop.gui.main_window import MainWindow
from ebs_desktop.gui.pages.base import PageContext
from ebs_desktop.gui.qt import QApplication, QLocale
from ebs_desktop.gui.session import GuiUser


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    translator = install_translator(qapp, "fr")
    assert translator is not None, "resources/translations/ebs_fr.qm missing"
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale("en_US"))


def test_english_needs_no_translator(qapp: QApplication) -> None:
    assert install_translator(qapp, "en") is None
    assert translate("Pages", "Customers") == "Customers"


def test_french_interface(qtbot: QtBot, french: None) -> None:
    assert translate("Pages", "Customers") == "Clients"
    ctx = PageContext(service_available=lambda module: False)
    w = MainWindow(GuiUser("c", frozenset({"clerk"})), ctx)
    qtbot.addWidget(w)
    assert [w.sidebar.item(i).text() for i in range(w.sidebar.count())] == [
        "Clients", "Caisse", "Demandes de service"]
    assert w.status_shift.text() == "Caisse : fermée"
    assert ui_locale() == "fr_FR"
    assert format_decimal(Decimal("1234.5"), ui_locale(), places=3) == "1\u202f234,500"
