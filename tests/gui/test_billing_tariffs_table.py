"""Issue 19, point 13: tariffs as a readable table per version, exceptions with the
customer's name that open the account, counts with the locale's digit grouping."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pytestqt.qtbot import QtBot

from ebs_desktop.domain.tariffs.describe import describe_spec
from ebs_desktop.gui.backend import ServiceHub
from ebs_desktop.gui.pages.billing import count_text, exception_words
from ebs_desktop.gui.pages.customers import CustomersPage
from ebs_desktop.gui.tasks import SyncRunner
from tests.gui.test_billing_page import billing_page

SHOTS = Path("/tmp/bills-shots")


def _column(model: object, column: int) -> list[str]:
    rows = model.rowCount()  # type: ignore[attr-defined]
    return [str(model.index(r, column).data()) for r in range(rows)]  # type: ignore[attr-defined]


def test_a_tariff_version_reads_as_a_table_of_prices(qtbot: QtBot,
                                                     demo_hub: ServiceHub) -> None:
    page = billing_page(qtbot, demo_hub, SyncRunner())
    page.window().resize(1366, 768)
    tab = page.tariffs
    codes = _column(tab.list_model, 0)
    tab.list.selectRow(codes.index("RES-1"))
    assert tab.tariff is not None and tab.tariff.code == "RES-1"
    parts, components = _column(tab.prices_model, 0), _column(tab.prices_model, 1)
    rates, pers = _column(tab.prices_model, 2), _column(tab.prices_model, 3)
    assert components[:2] == ["Customer charge", "Energy, first 100 kWh"]
    assert "Energy, next 200 kWh" in components and "Energy, over 500 kWh" in components
    assert rates[0] == "$5.00" and pers[0] == "a month"
    assert rates[1] == "$0.085" and pers[1] == "per kWh"
    assert "5%" in rates and "Taxes" in parts
    text = " ".join(parts + components + rates + pers + tab._notes)
    assert tab.how.text() == "Customer charge: prorated for part months"
    tab.prices.selectRow(1)
    assert tab.how.text() == "Energy, first 100 kWh: blocks a month, prorated for part months"
    for raw in ("limits_per", "#1", "slabs", "up_to", "per_kwh"):
        assert raw not in text, raw
    # one table per version: choosing the older version shows its own prices
    assert tab.version_pick.count() == 2 and "(in force)" in tab.version_pick.itemText(0)
    tab.version_pick.setCurrentIndex(1)
    assert _column(tab.prices_model, 2)[0] == "$4.50"
    # time of use: a line per register, with the words of the label
    tab.list.selectRow(codes.index("COM-TOU"))
    components = _column(tab.prices_model, 1)
    assert {"Energy off-peak", "Energy shoulder", "Energy peak"} <= set(components)
    SHOTS.mkdir(exist_ok=True)
    page.window().grab().save(str(SHOTS / "billing-tariffs.png"))


def test_describe_spec_keeps_values_exact(demo_hub: ServiceHub) -> None:
    from ebs_desktop.services.actor import system_actor
    from ebs_desktop.services.facade import StaffServices

    staff = StaffServices(demo_hub.db, system_actor("test"))
    tariff = staff.tariffs.get_tariff("IND-MD")
    rows = describe_spec(tariff.versions[-1].spec)
    demand = [r for r in rows if r.section == "Demand"]
    assert [r.label for r in demand] == ["Demand charge, first 100 kW",
                                         "Demand charge, over 100 kW"]
    assert [r.rate for r in demand] == [Decimal("9.50"), Decimal("8.75")]
    late = next(r for r in rows if r.label == "Late payment surcharge")
    assert late.kind == "percent" and late.rate == Decimal(2) and "15 days" in late.note


def test_exceptions_name_the_customer_and_open_the_account(qtbot: QtBot,
                                                           demo_hub: ServiceHub) -> None:
    page = billing_page(qtbot, demo_hub, SyncRunner())
    page.window().resize(1366, 768)
    page.tabs.setCurrentIndex(1)
    page.dry_run.click()
    result = page.last_result
    assert result is not None and result.exceptions
    model = page.exceptions_model
    numbers, names = _column(model, 0), _column(model, 1)
    with demo_hub.db.read() as s:
        from sqlalchemy import text
        expected = dict(s.execute(text(
            "SELECT a.account_number, c.name FROM accounts a "
            "JOIN customers c ON c.id = a.customer_id")).all())
    assert names == [expected[n] for n in numbers]
    assert f"{count_text(result.accounts)} accounts due" in page.summary.text()
    SHOTS.mkdir(exist_ok=True)
    page.window().grab().save(str(SHOTS / "billing-exceptions.png"))
    # double click: the customers screen shows that account
    page.exceptions.selectRow(0)
    index = model.index(0, 1)
    page.exceptions.doubleClicked.emit(index)
    window = page.window()
    assert window.current_page() == "customers"  # type: ignore[attr-defined]
    customers = window.pages["customers"]  # type: ignore[attr-defined]
    assert isinstance(customers, CustomersPage)
    assert customers.loaded_account == numbers[0]
    assert numbers[0] in customers.panel.title.text()


def test_counts_and_exception_kinds_read_as_words() -> None:
    assert count_text(2000) == "2,000"
    assert count_text(1234567) == "1,234,567"
    assert exception_words("no_reading") == "No reading"
    assert exception_words("high") == "High consumption"
    assert exception_words("something_new") == "Something new"
