"""Sample receipt and Z-report: the settings screen's print preview, the test page, and tests."""

from __future__ import annotations

from datetime import datetime

from ebs_desktop.devices.receipts import (
    ReceiptDocument,
    ReceiptHeader,
    ReceiptTender,
    ZReportDocument,
    ZTenderLine,
)
from ebs_desktop.domain.money import Money

HEADER = ReceiptHeader(
    utility_name="Lakeside Electricity Cooperative Society",
    address_lines=("12 Power Station Road, Lakeside", "Tel +1 555 0100"),
    tax_id="TX-99-1234567",
    footer="Thank you. Keep this receipt as proof of payment.",
)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def payment_receipt() -> ReceiptDocument:
    return ReceiptDocument(
        header=HEADER,
        receipt_number="C01-2025-000042",
        kind="payment",
        account_number="100000011",
        account_name="Maria Fernanda de los Santos Rodriguez-Oyelaran",
        amount=usd("123.45"),
        tenders=(
            ReceiptTender("card", "VISA ****1111 appr A1B2C3", usd("50.00")),
            ReceiptTender("cash", "", usd("73.45"), tendered=usd("80.00")),
        ),
        change=usd("6.55"),
        balance_after=usd("-10.00"),
        clerk="alice",
        counter="C01",
        issued_at=datetime(2025, 3, 14, 10, 22, 5),
    )


def z_report() -> ZReportDocument:
    return ZReportDocument(
        header=HEADER,
        shift_id="S-2025-0314-C01",
        counter="C01",
        clerk="alice",
        opened_at=datetime(2025, 3, 14, 8, 0),
        closed_at=datetime(2025, 3, 14, 16, 30),
        opening_float=usd("100.00"),
        tenders=(
            ZTenderLine("cash", usd("1234.50"), usd("534.50"), usd("530.50")),
            ZTenderLine("card", usd("80.00"), usd("80.00"), usd("80.00")),
            ZTenderLine("cheque", usd("50.00"), usd("50.00"), usd("55.00")),
        ),
        safe_drops=(usd("500.00"), usd("300.00")),
        payments=57,
        reversals=1,
        first_receipt="C01-2025-000001",
        last_receipt="C01-2025-000057",
        approved_by="bob (supervisor)",
    )
