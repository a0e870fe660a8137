"""Receipt and Z-report layout: documents to printer-neutral lines for 32 or 48 columns.

Why a layout of our own: the same lines feed the ESC/POS renderer, the plain-text preview
on screen and the tests, so what the clerk sees is what the printer prints. Paper widths:
58 mm rolls take 32 characters of Font A, 80 mm rolls 48. Lines never exceed the width:
long names wrap, and a label/value pair that does not fit puts the value on its own line.
Double-height text keeps the width, so it is used for the headline; double width is not.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from ebs_desktop.devices.receipts.documents import ReceiptDocument, ReceiptHeader, ZReportDocument
from ebs_desktop.domain.amount_words import amount_in_words
from ebs_desktop.domain.money import Money

Align = Literal["left", "center", "right"]
WIDTHS = {58: 32, 80: 48}


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    align: Align = "left"
    bold: bool = False
    tall: bool = False


@dataclass(frozen=True, slots=True)
class QrCode:
    payload: str


Block = Text | QrCode


def columns_for(paper_mm: int) -> int:
    try:
        return WIDTHS[paper_mm]
    except KeyError:
        raise ValueError(f"paper width must be 58 or 80 mm, got {paper_mm}") from None


def _wrap(text: str, width: int, align: Align = "left", bold: bool = False) -> list[Block]:
    lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    return [Text(line, align, bold) for line in lines]


def _pair(label: str, value: str, width: int, bold: bool = False) -> list[Block]:
    if len(label) + 1 + len(value) <= width:
        return [Text(label + " " * (width - len(label) - len(value)) + value, bold=bold)]
    return [
        *_wrap(label, width, bold=bold),
        *(Text(v, "right", bold) for v in textwrap.wrap(value, width)),
    ]


def _rule(width: int) -> Text:
    return Text("-" * width)


def _header(header: ReceiptHeader, width: int) -> list[Block]:
    blocks: list[Block] = [
        Text(line, "center", True, True) for line in textwrap.wrap(header.utility_name, width)
    ]
    for line in header.address_lines:
        blocks += _wrap(line, width, "center")
    if header.tax_id:
        blocks += _wrap(f"Tax ID: {header.tax_id}", width, "center")
    blocks.append(_rule(width))
    return blocks


def _balance_text(balance: Money) -> str:
    return f"{abs(balance)} CR" if balance.is_negative() else str(balance)


def layout_receipt(doc: ReceiptDocument, width: int) -> tuple[Block, ...]:
    """The lines of a payment or reversal receipt."""
    title = "PAYMENT RECEIPT" if doc.kind == "payment" else "REVERSAL RECEIPT"
    blocks = _header(doc.header, width)
    blocks.append(Text(title, "center", True))
    if doc.duplicate:
        blocks += _wrap(f"*** DUPLICATE - reprint {doc.reprint_count} ***", width, "center", True)
    blocks += _pair("Receipt no", doc.receipt_number, width)
    blocks += _pair("Date", doc.issued_at.strftime("%Y-%m-%d %H:%M"), width)
    blocks += _pair("Counter", doc.counter, width)
    blocks += _pair("Clerk", doc.clerk, width)
    blocks.append(_rule(width))
    blocks += _pair("Account", doc.account_number, width)
    blocks += _wrap(doc.account_name, width)
    if doc.kind == "reversal":
        blocks += _pair("Reverses", doc.reverses, width)
        if doc.reason:
            blocks += _wrap(f"Reason: {doc.reason}", width)
    blocks.append(_rule(width))
    for tender in doc.tenders:
        label = f"{tender.kind.capitalize()} {tender.detail}".strip()
        if tender.tendered is not None:
            blocks += _pair(f"{label} tendered", str(tender.tendered), width)
        blocks += _pair(label, str(tender.applied), width)
    blocks.append(_rule(width))
    total_label = "TOTAL PAID" if doc.kind == "payment" else "TOTAL REVERSED"
    blocks += _pair(total_label, f"{doc.amount.currency} {doc.amount}", width, bold=True)
    blocks += _wrap(amount_in_words(doc.amount), width)
    if doc.change:
        blocks += _pair("Change", str(doc.change), width, bold=True)
    blocks += _pair("Balance after", _balance_text(doc.balance_after), width)
    blocks.append(_rule(width))
    blocks.append(QrCode(doc.qr_payload))
    if doc.header.footer:
        blocks += _wrap(doc.header.footer, width, "center")
    return tuple(blocks)


def _signed(amount: Money) -> str:
    return f"+{amount}" if amount.minor > 0 else str(amount)


def layout_z_report(doc: ZReportDocument, width: int) -> tuple[Block, ...]:
    """The lines of a shift's Z-report: takings, drops, expected vs counted, over/short."""
    blocks = _header(doc.header, width)
    blocks.append(Text("Z-REPORT", "center", True, True))
    blocks += _pair("Shift", doc.shift_id, width)
    blocks += _pair("Counter", doc.counter, width)
    blocks += _pair("Clerk", doc.clerk, width)
    blocks += _pair("Opened", doc.opened_at.strftime("%Y-%m-%d %H:%M"), width)
    blocks += _pair("Closed", doc.closed_at.strftime("%Y-%m-%d %H:%M"), width)
    if doc.forced_by:
        blocks.append(Text(f"FORCED CLOSE by {doc.forced_by}", bold=True))
        blocks += _wrap(f"Reason: {doc.force_reason}", width)
    blocks += _pair("Payments", str(doc.payments), width)
    blocks += _pair("Reversals", str(doc.reversals), width)
    if doc.first_receipt:
        blocks += _pair("Receipts", f"{doc.first_receipt} - {doc.last_receipt}", width)
    blocks.append(_rule(width))
    blocks += _pair("Opening float", str(doc.opening_float), width)
    blocks.append(Text("TAKINGS", bold=True))
    for line in doc.tenders:
        blocks += _pair(f"  {line.kind.capitalize()}", str(line.takings), width)
    for i, drop in enumerate(doc.safe_drops, start=1):
        blocks += _pair(f"Safe drop {i}", str(drop), width)
    for receipt, amount in doc.paid_out:
        blocks += _pair(f"Paid out (reversal of {receipt})", f"-{amount}", width)
    blocks.append(_rule(width))
    blocks.append(Text("COUNT (expected / counted)", bold=True))
    for line in doc.tenders:
        blocks.append(Text(line.kind.upper(), bold=True))
        blocks += _pair("  Expected", str(line.expected), width)
        blocks += _pair("  Counted", str(line.counted), width)
        blocks += _pair("  Over/short", _signed(line.over_short), width)
    blocks.append(_rule(width))
    blocks += _pair("TOTAL OVER/SHORT", _signed(doc.total_over_short), width, bold=True)
    if doc.approved_by:
        blocks += _pair("Approved by", doc.approved_by, width)
    for label, value in doc.extra:
        blocks += _pair(label, value, width)
    return tuple(blocks)


def as_text(blocks: tuple[Block, ...], width: int) -> str:
    """Plain-text preview (what the screen shows before printing)."""
    out = []
    for block in blocks:
        if isinstance(block, QrCode):
            out.append(f"[QR {block.payload}]".center(width))
        elif block.align == "center":
            out.append(block.text.center(width).rstrip())
        elif block.align == "right":
            out.append(block.text.rjust(width))
        else:
            out.append(block.text)
    return "\n".join(out) + "\n"
