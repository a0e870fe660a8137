"""The consumption chart on the account: round ticks with thousands separators, month
names that fit (no "..."), the latest period always labelled (issue 19, point 10)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QGraphicsTextItem
from pytestqt.qtbot import QtBot

from ebs_desktop.gui.pages.account_panel import consumption_chart, label_every
from ebs_desktop.gui.qt import QCategoryAxis, QChartView, Qt
from ebs_desktop.services.account_view import ConsumptionPoint


def points(count: int, top: int) -> tuple[ConsumptionPoint, ...]:
    periods = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(count)]
    return tuple(ConsumptionPoint(p, Decimal(top if i == count // 2 else top // 3), False)
                 for i, p in enumerate(periods))


def axis(chart: object, alignment: Qt.AlignmentFlag) -> QCategoryAxis:
    found = chart.axes(Qt.Orientation.Horizontal if alignment == Qt.AlignmentFlag.AlignBottom
                       else Qt.Orientation.Vertical)  # type: ignore[attr-defined]
    assert len(found) == 1 and isinstance(found[0], QCategoryAxis)
    return found[0]


def test_value_axis_has_round_ticks_with_separators(qtbot: QtBot) -> None:
    chart = consumption_chart(points(12, 8123), "Consumption")
    y = axis(chart, Qt.AlignmentFlag.AlignLeft)
    assert y.categoriesLabels() == ["0", "2,000", "4,000", "6,000", "8,000", "10,000"]
    assert y.max() == 10000


def test_two_years_of_months_are_labelled_readably(qtbot: QtBot) -> None:
    data = points(24, 497)
    chart = consumption_chart(data, "Consumption")
    x = axis(chart, Qt.AlignmentFlag.AlignBottom)
    labels = x.categoriesLabels()
    assert labels[-1] == "Dec 26"  # the latest period
    assert len(labels) == 24 // label_every(24)
    assert all(len(label.split()) == 2 for label in labels)
    view = QChartView(chart)
    qtbot.addWidget(view)
    view.resize(600, 420)
    view.show()
    qtbot.waitExposed(view)
    texts = [item.toPlainText() for item in view.scene().items()
             if isinstance(item, QGraphicsTextItem) and item.isVisible()]
    assert "Dec 26" in texts and "400" in texts
    assert not [t for t in texts if "..." in t or "…" in t]


def test_label_every_keeps_labels_apart() -> None:
    # seven labels of 60 px fit in 420 px
    assert [label_every(n) for n in (0, 6, 7, 8, 12, 24, 36)] == [1, 1, 1, 2, 2, 4, 6]
