"""What a customer reads on a bill: words, not codes; nothing printed over anything else; a
month without consumption charted as zero. The PDF is read back (text and positions)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase.pdfmetrics import stringWidth

from ebs_desktop.domain.billcalc import Usage, calculate_bill
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.registers import register_words
from ebs_desktop.domain.tariffs.model import (
    EnergyCharge,
    EnergyPeriod,
    FixedCharge,
    Slab,
    TariffSpec,
    TariffVersion,
)
from ebs_desktop.reports.bill_document import (
    BillDocument,
    ChargeLine,
    ConsumptionPoint,
    RegisterReading,
)
from ebs_desktop.reports.bill_pdf import render_bills
from tools.bench.sample_bills import riverside_utility

Box = tuple[str, float, float, float, float]  # text, x0, x1, baseline, size


def _usd(text: str) -> Money:
    return Money.of(text, "USD")


def tou_bill(history: tuple[ConsumptionPoint, ...] = ()) -> BillDocument:
    """A time-of-use bill as the billing run stores it (codes as the tariff names them)."""
    day0, day1 = date(2026, 9, 30), date(2026, 10, 31)
    regs = tuple(RegisterReading(code, day0, Decimal(prev), day1, Decimal(cur))
                 for code, prev, cur in (("kwh", "45383.632", "46441.536"),
                                         ("offpeak", "20422.634", "20898.691"),
                                         ("peak", "9076.726", "9288.307"),
                                         ("shoulder", "15884.272", "16254.538")))
    lines = (
        ChargeLine("FIXED", "Fixed charge", _usd("12.00"), "1 month x 12.00 = 12.00"),
        ChargeLine("ENERGY-OFFPEAK", "Energy off-peak", _usd("42.85"),
                   "476.057 kWh x 0.09 = 42.85"),
        ChargeLine("ENERGY-SHOULDER", "Energy shoulder", _usd("51.84"),
                   "370.266 kWh x 0.14 = 51.84"),
        ChargeLine("ENERGY-PEAK", "Energy peak", _usd("46.55"), "211.581 kWh x 0.22 = 46.55"),
        ChargeLine("VAT", "Sales tax 5%", _usd("7.66"), "5% of 153.24 = 7.66", is_tax=True),
    )
    total = _usd("160.90")
    return BillDocument(
        utility=riverside_utility(), currency="USD", account_number="100000112",
        customer_name="Silva Motors", premise_address=("226 River Street", "Riverside"),
        category="Commercial", tariff_name="Commercial time of use", meter_serial="ISK1000011",
        bill_number="B2026-0018006", issue_date=date(2026, 11, 1), period_start=date(2026, 10, 1),
        period_end=day1, due_date=date(2026, 11, 16), readings=regs,
        consumption_kwh=Decimal("1057.904"), charges=lines, previous_balance=_usd("0.00"),
        payments=(), total_due=total, amount_after_due=_usd("164.12"), history=history)


def _read(doc: BillDocument) -> tuple[str, list[Box]]:
    """The page's text, and each string shown with where it starts and ends (from the
    content stream's ``Tf`` / ``Tm`` / ``Tj`` operators and the Helvetica metrics)."""
    buffer = io.BytesIO()
    render_bills([doc], buffer)
    reader = PdfReader(buffer)
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    boxes: list[Box] = []
    font, size, x, y = "Helvetica", 0.0, 0.0, 0.0
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            base = str(fonts[operands[0]].get_object()["/BaseFont"]).lstrip("/")
            font, size = base, float(operands[1])
        elif op == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif op == b"Tj" and font.startswith("Helvetica"):
            raw = operands[0]
            s = raw.decode("cp1252") if isinstance(raw, bytes) else str(raw)
            width = stringWidth(s, font, size)
            boxes.append((s, x, x + width, y, size))
            x += width
    return page.extract_text(), boxes


def _overlaps(boxes: list[Box]) -> list[tuple[str, str]]:
    """Pairs of strings whose ink boxes (baseline - 0.2 size to baseline + 0.75 size) meet."""
    found = []
    for i, (t1, a0, a1, ay, asz) in enumerate(boxes):
        for t2, b0, b1, by, bsz in boxes[i + 1:]:
            vertical = ay - 0.2 * asz < by + 0.75 * bsz and by - 0.2 * bsz < ay + 0.75 * asz
            if vertical and a0 < b1 - 0.5 and b0 < a1 - 0.5:
                found.append((t1, t2))
    return found


def test_time_of_use_bill_shows_words_and_no_codes() -> None:
    text, boxes = _read(tou_bill())
    for words in ("Fixed charge", "Energy off-peak", "Energy shoulder", "Energy peak",
                  "Sales tax 5%", "Off-peak", "Peak", "Shoulder", "Total"):
        assert words in text, words
    for code in ("FIXED", "ENERGY-OFFPEAK", "ENERGY-SHOULDER", "ENERGY-PEAK", "VAT",
                 "offpeak", "kwh"):
        assert code not in text, code
    assert boxes, "no text positions were read"


def test_nothing_on_a_bill_is_printed_over_anything_else() -> None:
    history = tuple(ConsumptionPoint(f"26-{m:02d}", Decimal(900 + 50 * m)) for m in range(1, 11))
    for doc in (tou_bill(history), replace(tou_bill(), readings=tou_bill().readings[:1])):
        _text, boxes = _read(doc)
        assert len(boxes) > 60
        assert _overlaps(boxes) == []


def test_the_overlap_check_sees_an_overprint() -> None:
    """The check above can fail: a code where the words start is caught."""
    boxes: list[Box] = [("ENERGY-OFFPEAK", 36.0, 98.0, 500.0, 7.0),
                        ("Energy off-peak", 88.0, 150.0, 500.0, 8.5)]
    assert _overlaps(boxes) == [("ENERGY-OFFPEAK", "Energy off-peak")]


def test_a_month_without_consumption_is_charted_as_zero() -> None:
    history = tuple(ConsumptionPoint(f"26-{m:02d}", Decimal(0 if m == 8 else 150 + m))
                    for m in range(1, 11))
    _text, boxes = _read(tou_bill(history))
    label = next(b for b in boxes if b[0] == "26-08")
    centre = (label[1] + label[2]) / 2
    zeros = [b for b in boxes if b[0] == "0" and abs((b[1] + b[2]) / 2 - centre) < 1
             and b[3] > label[3]]
    assert zeros, "the zero month has no 0 above its label"
    # the other months have a bar, not a 0 label
    other = next(b for b in boxes if b[0] == "26-07")
    assert not [b for b in boxes if b[0] == "0"
                and abs((b[1] + b[2]) / 2 - (other[1] + other[2]) / 2) < 1]


def test_register_codes_read_as_words() -> None:
    assert register_words("kwh") == "kWh"
    assert register_words("offpeak") == "Off-peak"
    assert register_words("peak") == "Peak"
    assert register_words("pump_a") == "Pump a"
    assert register_words("1.8.1") == "Tariff 1"


def test_block_lines_read_first_next_over() -> None:
    spec = TariffSpec(fixed=(FixedCharge(Decimal(5)),), energy=EnergyCharge(
        "telescopic", (EnergyPeriod("total", (Slab(Decimal("0.085"), Decimal(100)),
                                              Slab(Decimal("0.115"), Decimal(300)),
                                              Slab(Decimal("0.145"))),),)))
    version = TariffVersion("RES-1", 1, date(2026, 1, 1), spec)
    bill = calculate_bill([version], date(2026, 10, 1), date(2026, 10, 31),
                          Usage(Decimal(517)))
    words = [line.label for line in bill.lines]
    assert words == ["Fixed charge", "Energy, first 100 kWh", "Energy, next 200 kWh",
                     "Energy, over 300 kWh"]
    assert [line.code for line in bill.lines] == ["FIXED", "ENERGY-1", "ENERGY-2", "ENERGY-3"]
