"""Sample bills of the demo utility "Riverside Electric Co-op", for the benchmark and tests.

Why here: the batch benchmark and the layout tests need realistic bills (several registers,
an estimated reading, taxes, arrears, a payment, 12 periods of history) without a database.
Figures are built in Decimal and rounded once per line with ``to_money``, as billing does.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ebs_desktop.domain.account_number import make_account_number
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.rounding import to_money
from ebs_desktop.paths import logo_path
from ebs_desktop.reports.bill_document import (
    BillDocument,
    ChargeLine,
    ConsumptionPoint,
    PaymentLine,
    RegisterReading,
    UtilityHeader,
)

CURRENCY = "USD"


def riverside_utility() -> UtilityHeader:
    return UtilityHeader(
        name="Riverside Electric Co-op",
        address=("1 Mill Race Road", "Riverside, RC 40210"),
        tax_id="RC-204-778-915",
        phone="+1 555 0100 200",
        logo_path=logo_path(),
    )


def _month_label(year: int, month: int) -> str:
    return f"{year % 100:02d}-{month:02d}"


def sample_bill(i: int, utility: UtilityHeader | None = None, *, year: int = 2026,
                month: int = 1) -> BillDocument:
    """Bill number ``i`` of a run: deterministic, varied consumption, every feature present."""
    utility = utility or riverside_utility()
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    kwh_day = Decimal(180 + (i * 37) % 420)
    kwh_night = Decimal(60 + (i * 13) % 140) + Decimal("0.375")
    prev_day = Decimal(10000 + i * 7) + Decimal("0.125")
    prev_night = Decimal(4000 + i * 3)
    estimated = i % 9 == 4
    readings = (
        RegisterReading("1.8.1 day", start - timedelta(days=1), prev_day, end,
                        prev_day + kwh_day, current_estimated=estimated),
        RegisterReading("1.8.2 night", start - timedelta(days=1), prev_night, end,
                        prev_night + kwh_night, current_estimated=estimated),
    )
    kwh = kwh_day + kwh_night
    first = min(kwh, Decimal(200))
    rest = kwh - first
    lines = [
        ChargeLine("FIXED", "Customer charge", to_money(Decimal("7.57"), CURRENCY),
                   "Monthly charge for the service connection and meter."),
        ChargeLine("E1", "Energy, first 200 kWh", to_money(first * Decimal("0.0872"), CURRENCY),
                   f"{first} kWh x 0.0872 per kWh"),
        ChargeLine("E2", "Energy above 200 kWh", to_money(rest * Decimal("0.1080"), CURRENCY),
                   f"{rest} kWh x 0.1080 per kWh"),
        ChargeLine("FUEL", "Fuel cost adjustment", to_money(kwh * Decimal("0.0119"), CURRENCY),
                   f"{kwh} kWh x 0.0119 per kWh, set by the regulator for this quarter."),
    ]
    subtotal = sum((line.amount.minor for line in lines), 0)
    lines.append(ChargeLine("VAT", "Value added tax 5%",
                            to_money(Decimal(subtotal) / 100 * Decimal("0.05"), CURRENCY),
                            "5% of the charges above.", is_tax=True))
    lines.append(ChargeLine("LEVY", "Rural electrification levy", Money.of("0.50", CURRENCY),
                            is_tax=True))
    bill_amount = Money(sum(line.amount.minor for line in lines), CURRENCY)
    previous = Money(((i * 7919) % 9000) + 1500, CURRENCY)
    payments = () if i % 4 == 0 else (
        PaymentLine(start + timedelta(days=9), f"R{i:07d}", Money(previous.minor - 1500 * (i % 2),
                                                                   CURRENCY)),)
    paid = Money(sum(p.amount.minor for p in payments), CURRENCY)
    total = previous - paid + bill_amount
    history = []
    for k in range(12):
        m = (month - 12 + k) % 12 + 1
        y = year + (month - 12 + k) // 12
        history.append(ConsumptionPoint(_month_label(y, m),
                                        kwh if k == 11 else Decimal(250 + (i + k * 53) % 380)))
    account = make_account_number(10000000 + i)
    return BillDocument(
        utility=utility, currency=CURRENCY, account_number=account,
        customer_name=f"Customer {i:05d} Okafor-Lindqvist",
        premise_address=(f"{i % 400 + 1} River Street", "Riverside, RC 40211"),
        category="Residential", tariff_name="R-1 Residential two-rate",
        meter_serial=f"MT174-{63355730 + i}", bill_number=f"B{year}{month:02d}-{i:06d}",
        issue_date=end + timedelta(days=3), period_start=start, period_end=end,
        due_date=end + timedelta(days=24), readings=readings, consumption_kwh=kwh,
        charges=tuple(lines), previous_balance=previous, payments=payments, total_due=total,
        amount_after_due=total + to_money(bill_amount.amount * Decimal("0.02"), CURRENCY),
        history=tuple(history),
    )
