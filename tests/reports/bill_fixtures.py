"""Bills built from real reference data: the FPL RS-1 URDB tariff and an Iskra MT174 readout.

FPL RS-1 at 2,000 kWh a month costs 195.24 in energy (README cross-check: 1,000 kWh at
0.07531 + 0.0119 and 1,000 kWh at 0.09613 + 0.0119) plus the fixed 7.57 a month; the meter
serial and the 1.8.0 register come from the MT174's optical readout.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from ebs_desktop.domain.money import Money
from ebs_desktop.domain.rounding import to_money
from ebs_desktop.reports.bill_document import (
    BillDocument,
    ChargeLine,
    ConsumptionPoint,
    PaymentLine,
    RegisterReading,
)
from tools.bench.sample_bills import riverside_utility

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
FPL = REFERENCE / "tariffs-urdb" / "fpl_rs1_residential_5550d6fd.json"
ISKRA = REFERENCE / "meter-iec62056-21" / "iskra_mt174_readout.bin"


def iskra_register() -> tuple[str, Decimal]:
    """(meter number, 1.8.0 total import kWh) read from the real readout."""
    text = ISKRA.read_bytes().decode("ascii", "replace")
    serial = re.search(r"1-0:0\.0\.0\*255\(([^)]*)\)", text)
    energy = re.search(r"1-0:1\.8\.0\*255\(([0-9.]+)\*kWh\)", text)
    assert serial and energy, "reference readout changed"
    return serial.group(1), Decimal(energy.group(1))


def fpl_bill(*, estimated: bool = False, payments: bool = True) -> BillDocument:
    tariff = json.loads(FPL.read_text())
    tiers = tariff["energyratestructure"][0]
    serial, current = iskra_register()
    kwh = Decimal(2000)
    limit = Decimal(str(tiers[0]["max"]))
    lines = []
    for n, (tier, qty) in enumerate(((tiers[0], limit), (tiers[1], kwh - limit)), start=1):
        price = Decimal(str(tier["rate"])) + Decimal(str(tier["adj"]))
        lines.append(ChargeLine(f"E{n}", f"Energy tier {n}", to_money(qty * price, "USD"),
                                f"{qty} kWh x {price} per kWh"))
    lines.insert(0, ChargeLine("FIXED", "Customer charge",
                               Money.of(str(tariff["fixedmonthlycharge"]), "USD"),
                               "Fixed monthly charge"))
    lines.append(ChargeLine("TAX", "Gross receipts tax 2.5%", Money.of("5.07", "USD"),
                            "2.5% of 202.81", is_tax=True))
    bill_amount = Money(sum(line.amount.minor for line in lines), "USD")
    previous = Money.of("120.00", "USD")
    paid = (PaymentLine(date(2026, 1, 12), "R0000042", Money.of("100.00", "USD")),) \
        if payments else ()
    total = previous - Money(sum(p.amount.minor for p in paid), "USD") + bill_amount
    return BillDocument(
        utility=riverside_utility(), currency="USD", account_number="100000013",
        customer_name="Ada Müller-Okafor", premise_address=("7 Weir Lane", "Riverside"),
        category="Residential", tariff_name=tariff["name"], meter_serial=serial,
        bill_number="B202601-000042", issue_date=date(2026, 2, 2),
        period_start=date(2026, 1, 1), period_end=date(2026, 1, 31),
        due_date=date(2026, 2, 23),
        readings=(RegisterReading("1.8.0", date(2025, 12, 31), current - kwh, date(2026, 1, 31),
                                  current, current_estimated=estimated),),
        consumption_kwh=kwh, charges=tuple(lines), previous_balance=previous, payments=paid,
        total_due=total, amount_after_due=total + Money.of("4.06", "USD"),
        history=(*(ConsumptionPoint(f"25-{m:02d}", Decimal(1500 + 40 * m))
                   for m in range(2, 13)), ConsumptionPoint("26-01", kwh)),
    )
