"""A bill on paper: one A4 page per bill (a continuation page when the lines do not fit).

Why the canvas API rather than platypus: a billing run prints hundreds of bills a second
(see ``tools/bench/pdf.py``); a fixed layout written as raw text operators and rectangles
(:mod:`pdf_text`) costs a fraction of a flowable story. The layout is fixed: header,
customer and account blocks, the amount due box, readings, itemised lines with
explanations, the account summary, the 12-period chart and QR code, and a tear-off
payment stub below a dashed cut line.

Every amount is printed with :func:`format_amount` / :func:`format_money` from the stored
:class:`Money`, so the paper equals the database to the last minor unit.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ebs_desktop.domain.registers import register_words
from ebs_desktop.reports.bill_document import BillDocument, ChargeLine, RegisterReading
from ebs_desktop.reports.bill_graphics import (
    draw_barcode,
    draw_consumption_chart,
    draw_qr,
    logo_reader,
)
from ebs_desktop.reports.formatting import format_amount, format_decimal, format_money
from ebs_desktop.reports.pdf_text import INK, PageText

PAGE_W: float = A4[0]
PAGE_H: float = A4[1]
LEFT, RIGHT = 36.0, PAGE_W - 36.0
CHARGES_RIGHT = 372.0
CHARGES_FLOOR = 318.0  # charges stop above the chart; the rest goes on a continuation page
ACCENT = Color(0.07, 0.30, 0.55)
SOFT = Color(0.91, 0.95, 0.99)
GREY = Color(0.42, 0.42, 0.42)
STUB_TOP = 182.0
EXPLAIN_INDENT = 10.0  # a line's arithmetic, under its words


def _header(c: Canvas, pt: PageText, doc: BillDocument) -> None:
    u = doc.utility
    text_x = LEFT
    if u.logo_path is not None:
        c.drawImage(logo_reader(u.logo_path), LEFT, PAGE_H - 94, 58, 58)
        text_x = LEFT + 68
    pt.fitted(text_x, PAGE_H - 52, u.name, 420 - text_x, 15, "Helvetica-Bold", ACCENT)
    y = PAGE_H - 64
    for line in u.address:
        pt.fitted(text_x, y, line, 420 - text_x, 8)
        y -= 10
    pt.left(text_x, y, f"Tax ID {u.tax_id}   Phone {u.phone}", 8, color=GREY)
    pt.right(RIGHT, PAGE_H - 52, "ELECTRICITY BILL", 14, "Helvetica-Bold")
    pt.right(RIGHT, PAGE_H - 66, f"Bill no. {doc.bill_number}", 9)
    pt.right(RIGHT, PAGE_H - 77, f"Issued {doc.issue_date.isoformat()}", 9)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    c.line(LEFT, PAGE_H - 102, RIGHT, PAGE_H - 102)


def _info_blocks(c: Canvas, pt: PageText, doc: BillDocument) -> None:
    top = PAGE_H - 118
    pt.left(LEFT, top, "CUSTOMER AND PREMISE", 7, "Helvetica-Bold", GREY)
    pt.fitted(LEFT, top - 13, doc.customer_name, 168, 10, "Helvetica-Bold")
    y = top - 25
    for line in doc.premise_address:
        pt.fitted(LEFT, y, line, 168, 8.5)
        y -= 10.5
    pairs = (("Account no.", doc.account_number), ("Category", doc.category),
             ("Tariff", doc.tariff_name), ("Meter", doc.meter_serial),
             ("Period", f"{doc.period_start.isoformat()} to {doc.period_end.isoformat()}"))
    y = top
    for label, value in pairs:
        pt.left(210, y, label, 7.5, color=GREY)
        pt.fitted(262, y, value, 132, 8.5,
                  "Helvetica-Bold" if label == "Account no." else "Helvetica")
        y -= 12
    box_x, box_w, box_y, box_h = 400.0, RIGHT - 400.0, top - 62, 72.0
    c.setFillColor(SOFT)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.8)
    c.rect(box_x, box_y, box_w, box_h, stroke=1, fill=1)
    pt.left(box_x + 8, box_y + box_h - 13, "TOTAL DUE", 8, "Helvetica-Bold", ACCENT)
    pt.fitted(box_x + 8, box_y + box_h - 33, format_money(doc.total_due), box_w - 16, 16,
              "Helvetica-Bold", min_size=10)
    pt.left(box_x + 8, box_y + 20, f"Pay by {doc.due_date.isoformat()}", 8.5, "Helvetica-Bold")
    pt.left(box_x + 8, box_y + 8, f"After due date: {format_money(doc.amount_after_due)}", 7.5)


def _reading_cell(value: str, estimated: bool) -> str:
    return f"{value} (E)" if estimated else value


def _readings(c: Canvas, pt: PageText, doc: BillDocument, top: float) -> float:
    pt.left(LEFT, top, "Meter readings", 9, "Helvetica-Bold", ACCENT)
    y = top - 13
    heads = ((LEFT, "Register", False), (130, "Previous date", False),
             (262, "Previous reading", True), (275, "Current date", False),
             (405, "Current reading", True), (460, "Multiplier", True),
             (RIGHT, "Consumption", True))
    c.setFillColor(SOFT)
    c.rect(LEFT, y - 3, RIGHT - LEFT, 11, stroke=0, fill=1)
    for x, label, right in heads:
        (pt.right if right else pt.left)(x, y, label, 7.5, "Helvetica-Bold")
    row: RegisterReading
    for row in doc.readings:
        y -= 11.5
        words = register_words(row.register)
        if words == "kWh" and len(doc.readings) > 1:  # beside the time-of-use registers
            words = "Total"
        pt.fitted(LEFT, y, words, 90, 8)
        pt.left(130, y, row.previous_date.isoformat(), 8)
        pt.right(262, y, _reading_cell(format_decimal(row.previous_value, 3),
                                        row.previous_estimated), 8)
        pt.left(275, y, row.current_date.isoformat(), 8)
        pt.right(405, y, _reading_cell(format_decimal(row.current_value, 3),
                                        row.current_estimated), 8)
        pt.right(460, y, format_decimal(row.multiplier), 8)
        pt.right(RIGHT, y, f"{format_decimal(row.consumption, 3)} {row.unit}", 8)
    y -= 14
    pt.left(LEFT, y, f"Consumption this period: {format_decimal(doc.consumption_kwh, 3)} kWh",
          9, "Helvetica-Bold")
    if doc.any_estimated:
        pt.right(RIGHT, y, "(E) estimated reading, corrected when the meter is next read", 7)
    return y - 20


def _line_height(line: ChargeLine, width: float) -> tuple[float, list[str]]:
    wrapped = simpleSplit(line.explanation, "Helvetica", 7, width) if line.explanation else []
    return 12.0 + 8.5 * len(wrapped), wrapped


def _charge_lines(c: Canvas, pt: PageText, lines: list[tuple[str, ChargeLine]], top: float,
                  floor: float, right: float, force_first: bool = False) -> tuple[float, int]:
    """Draw as many lines as fit above ``floor`` (with ``force_first`` at least one, so a
    line too tall for any page is printed cut rather than lost); returns (next y, drawn)."""
    y, drawn, heading = top, 0, ""
    for section, line in lines:
        height, wrapped = _line_height(line, right - LEFT - EXPLAIN_INDENT - 64)
        need = height + (14 if section != heading else 0)
        if y - need < floor and not (force_first and drawn == 0):
            break
        if section != heading:
            pt.left(LEFT, y, section, 9, "Helvetica-Bold", ACCENT)
            y -= 14
            heading = section
        # words only: the line code (ENERGY-OFFPEAK) is for staff, not for the customer
        pt.fitted(LEFT, y, line.description, right - LEFT - 64, 8.5)
        pt.right(right, y, format_amount(line.amount), 8.5)
        y -= 9.5
        for text in wrapped:
            pt.left(LEFT + EXPLAIN_INDENT, y, text, 7, color=GREY)
            y -= 8.5
        y -= 2.5
        drawn += 1
    return y, drawn


def _subtotals(c: Canvas, pt: PageText, doc: BillDocument, y: float) -> None:
    c.setStrokeColor(GREY)
    c.setLineWidth(0.5)
    c.line(LEFT, y + 8, CHARGES_RIGHT, y + 8)
    for label, amount, bold in (("Charges", doc.charges_total, False),
                                ("Taxes", doc.taxes_total, False),
                                ("This bill", doc.bill_amount, True)):
        font = "Helvetica-Bold" if bold else "Helvetica"
        pt.left(LEFT, y, label, 8.5, font)
        pt.right(CHARGES_RIGHT, y, format_money(amount), 8.5, font)
        y -= 11.5


def _summary(c: Canvas, pt: PageText, doc: BillDocument, top: float) -> float:
    x0, x1 = 392.0, RIGHT
    pt.left(x0, top, "Account summary", 9, "Helvetica-Bold", ACCENT)
    y = top - 14
    rows: list[tuple[str, str]] = [("Previous balance", format_amount(doc.previous_balance))]
    for p in doc.payments:
        rows.append((f"Paid {p.paid_on.isoformat()} {p.reference}",
                     format_amount(-p.amount)))
    rows.append(("This bill", format_amount(doc.bill_amount)))
    for label, value in rows:
        pt.fitted(x0, y, label, 112, 8)
        pt.right(x1, y, value, 8)
        y -= 11
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(x0, y + 7, x1, y + 7)
    y -= 3
    pt.left(x0, y, "Total due", 9, "Helvetica-Bold")
    pt.right(x1, y, format_money(doc.total_due), 9, "Helvetica-Bold")
    y -= 12
    pt.left(x0, y, "Due date", 8)
    pt.right(x1, y, doc.due_date.isoformat(), 8)
    y -= 11
    pt.left(x0, y, "After due date", 8)
    pt.right(x1, y, format_money(doc.amount_after_due), 8)
    return y


INSIGHT_FLOOR = 312.0  # above the QR code
INSIGHT_SIZE, INSIGHT_LEADING = 7.2, 8.6


def _insights(c: Canvas, pt: PageText, doc: BillDocument, top: float) -> None:
    """The insight box under the account summary: whole sentences while they fit."""
    if not doc.insights:
        return
    x0, width = 392.0, RIGHT - 392.0
    room = top - INSIGHT_FLOOR - 30
    blocks: list[list[str]] = []
    used = 0.0
    for sentence in doc.insights:
        lines = simpleSplit(sentence, "Helvetica", INSIGHT_SIZE, width - 14)
        need = len(lines) * INSIGHT_LEADING + 3
        if used + need > room:
            continue  # a shorter one further on may still fit
        blocks.append(lines)
        used += need
    if not blocks:
        return
    height = used + 22
    c.setFillColor(SOFT)
    c.setStrokeColor(ACCENT)
    c.setLineWidth(0.6)
    c.rect(x0, top - height, width, height, stroke=1, fill=1)
    pt.left(x0 + 7, top - 12, "About your use", 8.5, "Helvetica-Bold", ACCENT)
    y = top - 25
    for lines in blocks:
        for text in lines:
            pt.left(x0 + 7, y, text, INSIGHT_SIZE)
            y -= INSIGHT_LEADING
        y -= 3


def _stub(c: Canvas, pt: PageText, doc: BillDocument) -> None:
    c.setStrokeColor(GREY)
    c.setLineWidth(0.7)
    c.setDash(5, 3)
    c.line(LEFT - 12, STUB_TOP, RIGHT + 12, STUB_TOP)
    c.setDash()
    c.setFillColor(white)
    c.rect(PAGE_W / 2 - 118, STUB_TOP - 4, 236, 8, stroke=0, fill=1)
    pt.centre(PAGE_W / 2, STUB_TOP - 2, "cut here and return this part with your payment", 6.5,
              color=GREY)
    y = STUB_TOP - 22
    pt.left(LEFT, y, "PAYMENT STUB", 9, "Helvetica-Bold", ACCENT)
    pt.fitted(LEFT + 80, y, doc.utility.name, 175, 8.5, "Helvetica-Bold")
    y -= 16
    for label, value in (("Account no.", doc.account_number), ("Customer", doc.customer_name),
                         ("Bill no.", doc.bill_number), ("Due date", doc.due_date.isoformat())):
        pt.left(LEFT, y, label, 8, color=GREY)
        pt.fitted(LEFT + 62, y, value, 190, 9, "Helvetica-Bold")
        y -= 12.5
    pt.left(LEFT, y - 6, "Amount due", 8, color=GREY)
    pt.left(LEFT + 62, y - 8, format_money(doc.total_due), 14, "Helvetica-Bold")
    pt.left(LEFT, y - 22, f"After due date: {format_money(doc.amount_after_due)}", 8)
    draw_barcode(c, pt, doc.barcode_value, 300, STUB_TOP - 80, RIGHT - 300, 40)
    pt.left(300, STUB_TOP - 106, "Amount paid  ______________________", 8.5)
    pt.left(300, STUB_TOP - 126, "Date  __________   Receipt  __________", 8.5)


def _continuation_header(c: Canvas, pt: PageText, doc: BillDocument, page: int) -> float:
    pt.fitted(LEFT, PAGE_H - 50, doc.utility.name, 250, 11, "Helvetica-Bold", ACCENT)
    pt.right(RIGHT, PAGE_H - 50, f"Bill no. {doc.bill_number}  account {doc.account_number}"
             f"  page {page}", 9)
    c.setStrokeColor(ACCENT)
    c.line(LEFT, PAGE_H - 58, RIGHT, PAGE_H - 58)
    return PAGE_H - 78


def draw_bill(c: Canvas, doc: BillDocument) -> int:
    """Draw one bill (ending its pages); returns the number of pages used."""
    pt = PageText(c)
    _header(c, pt, doc)
    _info_blocks(c, pt, doc)
    top = _readings(c, pt, doc, PAGE_H - 214)
    lines = [("Charges for this period", line) for line in doc.charge_lines]
    lines += [("Taxes", line) for line in doc.tax_lines]
    _insights(c, pt, doc, _summary(c, pt, doc, top) - 16)
    subtotal_room = 40.0
    y, drawn = _charge_lines(c, pt, lines, top, CHARGES_FLOOR + subtotal_room, CHARGES_RIGHT)
    if drawn < len(lines):
        pt.left(LEFT, y, f"{len(lines) - drawn} more lines on the next page", 8,
              "Helvetica-Oblique", GREY)
        y -= 14
    _subtotals(c, pt, doc, y - 4)
    draw_consumption_chart(c, pt, doc.history, LEFT, 200, 330, 106,
                           "Your consumption in kWh, last 12 periods")
    draw_qr(c, doc.qr_payload, RIGHT - 92, 208, 92)
    pt.centre(RIGHT - 46, 199, "Scan to pay", 6.5, color=GREY)
    _stub(c, pt, doc)
    pt.flush()
    c.showPage()
    pages = 1
    while drawn < len(lines):
        pages += 1
        top = _continuation_header(c, pt, doc, pages)
        _y, more = _charge_lines(c, pt, lines[drawn:], top, 60, RIGHT, force_first=True)
        drawn += more
        pt.flush()
        c.showPage()
    return pages


def render_bills(docs: Iterable[BillDocument], out: str | Path | BinaryIO,
                 *, title: str = "Bills") -> int:
    """Write every bill into one PDF (a page or more each); returns the page count."""
    target = str(out) if isinstance(out, Path) else out
    # Flate without the ASCII85 layer: 7-bit safety is not needed in a file, and the pure
    # Python ASCII85 encoder costs about a sixth of the run. (reportlab reads the setting
    # while writing, so it is set for the duration of this call.)
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        # invariant: no creation time or random document id in the file, so the same
        # bill renders to the same bytes (the email attaches what the print run printed)
        c = Canvas(target, pagesize=A4, pageCompression=1, invariant=1)
        c.setTitle(title)
        c.setCreator("EBS Desktop")
        pages = 0
        for doc in docs:
            pages += draw_bill(c, doc)
        if pages == 0:
            pt = PageText(c)
            pt.left(LEFT, PAGE_H - 60, "No bills selected.", 11)
            pt.flush()
            c.showPage()
        c.save()
    finally:
        rl_config.useA85 = saved_a85
    return pages


def render_bill(doc: BillDocument, path: str | Path | BinaryIO) -> int:
    """One bill in its own file (for email); returns its page count."""
    return render_bills([doc], path, title=f"Bill {doc.bill_number}")


def bill_pdf_bytes(doc: BillDocument) -> bytes:
    """One bill's PDF in memory: the same bytes :func:`render_bill` writes to a file."""
    out = io.BytesIO()
    render_bill(doc, out)
    return out.getvalue()
