"""What a printed bill shows, as plain frozen records, so the renderer never touches the database.

Why a separate record: the billing service computes and stores a bill; the PDF must show the
stored figures *exactly*, to the last minor unit. The service builds one ``BillDocument`` per
bill from the stored rows and the renderer only lays it out. The document checks that its own
figures add up (arrears - payments + every line = total due) so a bill whose paper would
disagree with the ledger is refused before anything is printed.

Quantities (readings, kWh) are ``Decimal``; amounts are :class:`Money`. No floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.payment_code import payment_barcode_value, payment_qr_payload


@dataclass(frozen=True, slots=True)
class UtilityHeader:
    """The issuing utility, printed at the top of every bill."""

    name: str
    address: tuple[str, ...]
    tax_id: str
    phone: str
    logo_path: Path | None = None


@dataclass(frozen=True, slots=True)
class RegisterReading:
    """Previous and current reading of one meter register (e.g. ``1.8.0`` total import)."""

    register: str
    previous_date: date
    previous_value: Decimal
    current_date: date
    current_value: Decimal
    previous_estimated: bool = False
    current_estimated: bool = False
    multiplier: Decimal = Decimal(1)
    unit: str = "kWh"

    @property
    def consumption(self) -> Decimal:
        """Advance times the meter multiplier (CT ratio); never rounded."""
        return (self.current_value - self.previous_value) * self.multiplier

    @property
    def estimated(self) -> bool:
        return self.previous_estimated or self.current_estimated


@dataclass(frozen=True, slots=True)
class ChargeLine:
    """One priced line; taxes are lines too (``is_tax``), as is a cash ``ROUNDING`` line."""

    code: str
    description: str
    amount: Money
    explanation: str = ""
    is_tax: bool = False


@dataclass(frozen=True, slots=True)
class PaymentLine:
    """A payment received since the previous bill (shown as a deduction)."""

    paid_on: date
    reference: str
    amount: Money


@dataclass(frozen=True, slots=True)
class ConsumptionPoint:
    """One bar of the 12-period history chart."""

    label: str
    kwh: Decimal


@dataclass(frozen=True, slots=True)
class BillDocument:
    """Everything one printed bill shows. Build it from the stored bill, never recompute."""

    utility: UtilityHeader
    currency: str
    account_number: str
    customer_name: str
    premise_address: tuple[str, ...]
    category: str
    tariff_name: str
    meter_serial: str
    bill_number: str
    issue_date: date
    period_start: date
    period_end: date
    due_date: date
    readings: tuple[RegisterReading, ...]
    consumption_kwh: Decimal
    charges: tuple[ChargeLine, ...]
    previous_balance: Money
    payments: tuple[PaymentLine, ...]
    total_due: Money
    amount_after_due: Money
    history: tuple[ConsumptionPoint, ...] = ()
    # The insight box: sentences about this period's use and the tariff, built by the
    # service from the stored bills and tariff (:mod:`ebs_desktop.domain.insights`).
    insights: tuple[str, ...] = ()
    qr_payload: str = field(default="")
    barcode_value: str = field(default="")

    def __post_init__(self) -> None:
        where = f"bill {self.bill_number}"
        amounts = [self.previous_balance, self.total_due, self.amount_after_due]
        amounts += [line.amount for line in self.charges]
        amounts += [p.amount for p in self.payments]
        for amount in amounts:
            if amount.currency != self.currency:
                raise ValidationError(
                    f"amount {amount} is in {amount.currency}, the bill is in {self.currency}",
                    location=where,
                )
        if len(self.history) > 12:
            raise ValidationError(
                f"history has {len(self.history)} periods, at most 12 are charted",
                location=f"{where} history",
            )
        expected = self.previous_balance - self.payments_total + self.bill_amount
        if expected != self.total_due:
            raise ValidationError(
                f"total due {self.total_due} does not equal previous balance "
                f"{self.previous_balance} - payments {self.payments_total} + "
                f"this bill {self.bill_amount} = {expected}",
                location=f"{where} total_due",
            )
        if self.period_end < self.period_start:
            raise ValidationError(
                f"period ends {self.period_end} before it starts {self.period_start}",
                location=f"{where} period_end",
            )
        if not self.qr_payload:
            object.__setattr__(self, "qr_payload", payment_qr_payload(
                self.account_number, self.bill_number, self.total_due))
        if not self.barcode_value:
            object.__setattr__(self, "barcode_value", payment_barcode_value(
                self.account_number, self.bill_number, self.total_due))

    # -- derived figures (sums of stored figures, never re-priced) ------------------------
    def _sum(self, amounts: list[Money]) -> Money:
        total = Money.zero(self.currency)
        for amount in amounts:
            total = total + amount
        return total

    @property
    def charge_lines(self) -> tuple[ChargeLine, ...]:
        return tuple(line for line in self.charges if not line.is_tax)

    @property
    def tax_lines(self) -> tuple[ChargeLine, ...]:
        return tuple(line for line in self.charges if line.is_tax)

    @property
    def charges_total(self) -> Money:
        return self._sum([line.amount for line in self.charge_lines])

    @property
    def taxes_total(self) -> Money:
        return self._sum([line.amount for line in self.tax_lines])

    @property
    def bill_amount(self) -> Money:
        """This period's bill: every line, taxes included."""
        return self._sum([line.amount for line in self.charges])

    @property
    def payments_total(self) -> Money:
        return self._sum([p.amount for p in self.payments])

    @property
    def any_estimated(self) -> bool:
        return any(r.estimated for r in self.readings)
