"""A :class:`TableReport` as PDF: title block, optional chart, tables with a repeated header.

Why platypus here (unlike the bill): a report is printed once, not hundreds of times a
second, and its rows flow over any number of pages; ``LongTable`` repeats the header row on
each page. "Page N of M" needs the page count, which is known only at the end, so the
canvas keeps each page's state and stamps the footers when the document is saved.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import registerFontFamily, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.tables import TableStyle

from ebs_desktop.reports.formatting import group_digits
from ebs_desktop.reports.pdf_text import is_winansi, unicode_font
from ebs_desktop.reports.tabular import (
    Cell,
    ChartSpec,
    Column,
    Row,
    Section,
    TableReport,
    display_cell,
)

NUMERIC = ("money", "decimal", "int")
ACCENT = colors.Color(0.07, 0.30, 0.55)
HEAD_BG = colors.Color(0.91, 0.95, 0.99)
TOTAL_BG = colors.Color(0.95, 0.95, 0.95)
SERIES_COLOURS = (ACCENT, colors.Color(0.55, 0.70, 0.86), colors.Color(0.95, 0.65, 0.15),
                  colors.Color(0.40, 0.65, 0.35), colors.Color(0.75, 0.30, 0.30))


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """Defers each page until the end so the footer can say "Page N of M"."""

    footer_left = ""
    header_title = ""
    font = "Helvetica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.setFont(self.font, 7)
        self.setFillColor(colors.grey)
        self.drawString(15 * mm, 9 * mm, self.footer_left)
        self.drawRightString(width - 15 * mm, 9 * mm, f"Page {number} of {total}")
        if number > 1:
            self.drawString(15 * mm, self._pagesize[1] - 10 * mm, self.header_title)


def _axis_label(value: float) -> str:
    """A value-axis tick with grouped digits: ``600000.0`` -> ``600,000``."""
    return group_digits(f"{value:.0f}") if value == int(value) else group_digits(f"{value:g}")


def chart_drawing(spec: ChartSpec, width: float, font: str = "Helvetica-Bold") -> Drawing:
    """The report's chart as a reportlab drawing: in the PDF, and (as SVG) in the app's
    preview, so both show the same picture."""
    height = 170.0
    drawing = Drawing(width, height)
    chart: VerticalBarChart | HorizontalLineChart
    chart = VerticalBarChart() if spec.kind == "bar" else HorizontalLineChart()
    chart.x, chart.y = 76, 35
    chart.width, chart.height = width - 196, height - 60
    # chart geometry only: kWh and amounts become bar heights, never printed figures
    chart.data = [[float(v) for v in s.values] for s in spec.series]
    chart.categoryAxis.categoryNames = list(spec.categories)
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(spec.categories) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(spec.categories) > 8 else "n"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = _axis_label
    chart.valueAxis.valueMin = 0
    for i in range(len(spec.series)):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        if isinstance(chart, VerticalBarChart):
            chart.bars[i].fillColor = colour
            chart.bars[i].strokeColor = None
        else:
            chart.lines[i].strokeColor = colour
            chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    drawing.add(String(0, height - 12, spec.title + (f" ({spec.unit})" if spec.unit else ""),
                       fontName=font, fontSize=9))
    legend = Legend()
    legend.x, legend.y = width - 110, height - 30
    legend.fontSize = 7
    legend.columnMaximum = max(len(spec.series), 1)
    legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], s.name)
                             for i, s in enumerate(spec.series)]
    drawing.add(legend)
    return drawing


def chart_svg(spec: ChartSpec, width: float) -> bytes:
    """The chart as SVG (for a screen preview)."""
    from reportlab.graphics import renderSVG

    text = str(renderSVG.drawToString(chart_drawing(spec, width)))
    # Qt's SVG renderer (SVG Tiny) has no clip paths: it would paint the clip rectangle
    # black over the whole chart. The drawing stays inside its box anyway.
    text = re.sub(r"<clipPath.*?</clipPath>", "", text, flags=re.S)
    text = text.replace('style="clip-path: url(#clip)"', "")
    # an open path (a line series) has no fill in reportlab, where SVG's default is black
    text = re.sub(r'(<(?:path|polyline)[^>]*style=")(?![^"]*fill:)', r"\1fill: none; ", text)
    text = text.replace("fill: None", "fill: none")  # reportlab's spelling; Qt wants CSS
    return text.encode("utf-8")


def _fonts(report: TableReport) -> tuple[str, str]:
    """(regular, bold): Helvetica, or the Unicode fallback if some text needs it."""
    texts = [report.title, report.subtitle, report.footer_note]
    texts += [t for pair in report.parameters for t in pair]
    texts += [c.title for c in report.columns] + [s.title for s in report.sections]
    texts += [cell for s in report.all_sections() for row in s.rows for cell in row
              if isinstance(cell, str)]
    if all(t.isascii() or is_winansi(t) for t in texts):
        return "Helvetica", "Helvetica-Bold"
    regular, bold = unicode_font(False), unicode_font(True)
    if regular is None or bold is None:
        return "Helvetica", "Helvetica-Bold"
    registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    return regular, bold


def _cell(column: Column, value: Cell, width: float, style: ParagraphStyle) -> Any:
    """A cell's text; a text too wide for its column becomes a wrapping paragraph."""
    text = display_cell(column, value)
    if column.kind == "text" and text and \
            stringWidth(text, style.fontName, style.fontSize) > width - 6:
        return Paragraph(escape(text), style)
    return text


def _table(report: TableReport, section: Section, grand: Row | None, width: float,
           cell_style: ParagraphStyle, bold_font: str) -> LongTable:
    cols = report.columns
    share = sum(c.width for c in cols)
    widths = [width * c.width / share for c in cols]
    regular = cell_style.fontName
    bold = ParagraphStyle("bold", parent=cell_style, fontName=bold_font)
    titles = []
    for i, col in enumerate(cols):
        currency = report.column_currency(i) if col.kind == "money" else None
        titles.append(f"{col.title} ({currency})" if currency else col.title)
    right = ParagraphStyle("head-right", parent=cell_style, alignment=TA_RIGHT)
    data: list[list[Any]] = [
        [Paragraph(f"<b>{escape(t)}</b>", right if c.kind in NUMERIC else cell_style)
         for t, c in zip(titles, cols, strict=True)]]
    data += [[_cell(c, v, w, cell_style) for c, v, w in zip(cols, row, widths, strict=True)]
             for row in section.rows]
    total_rows = [r for r in (section.totals, grand) if r is not None]
    data += [[_cell(c, v, w, bold) for c, v, w in zip(cols, row, widths, strict=True)]
             for row in total_rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    style = [("FONT", (0, 1), (-1, -1), regular, 8), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    for i, col in enumerate(cols):
        if col.kind in NUMERIC:
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if len(data) > 12:
        style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1 - len(total_rows)),
                      [colors.white, colors.Color(0.975, 0.975, 0.975)]))
    for k in range(len(total_rows)):
        row_no = len(data) - len(total_rows) + k
        style += [("FONT", (0, row_no), (-1, row_no), bold.fontName, 8),
                  ("BACKGROUND", (0, row_no), (-1, row_no), TOTAL_BG),
                  ("LINEABOVE", (0, row_no), (-1, row_no), 0.6, colors.black)]
    table.setStyle(TableStyle(style))
    return table


def render_table_pdf(report: TableReport, out: str | Path | BinaryIO) -> None:
    """Write the report as a PDF (portrait or landscape A4)."""
    pagesize = landscape(A4) if report.landscape else A4
    target = str(out) if isinstance(out, Path) else out
    doc = SimpleDocTemplate(target, pagesize=pagesize, leftMargin=15 * mm,
                            rightMargin=15 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
                            title=report.title, creator="EBS Desktop")
    regular, bold = _fonts(report)
    sheet = getSampleStyleSheet()
    styles = {name: ParagraphStyle(name, parent=sheet[name],
                                   fontName=regular if name == "Normal" else bold)
              for name in ("Title", "Heading3", "Heading4", "Normal")}
    cell_style = ParagraphStyle("cell", parent=styles["Normal"], fontSize=8, leading=9.5)
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8.5, leading=11,
                           textColor=colors.Color(0.3, 0.3, 0.3))
    story: list[Any] = [Paragraph(escape(report.title), styles["Title"])]
    if report.subtitle:
        story.append(Paragraph(escape(report.subtitle), styles["Heading3"]))
    if report.parameters:
        story.append(Paragraph("<br/>".join(f"<b>{escape(k)}:</b> {escape(v)}"
                                           for k, v in report.parameters),
                               small))
    story.append(Spacer(1, 6))
    if report.chart is not None:
        story += [chart_drawing(report.chart, doc.width, bold), Spacer(1, 8)]
    sections = report.all_sections()
    for n, section in enumerate(sections):
        grand = report.totals if n == len(sections) - 1 else None
        table = _table(report, section, grand, doc.width, cell_style, bold)
        if section.title:
            heading = Paragraph(escape(section.title), styles["Heading4"])
            story.append(KeepTogether([heading, table]) if len(section.rows) < 25
                         else heading)
            if len(section.rows) >= 25:
                story.append(table)
        else:
            story.append(table)
        story.append(Spacer(1, 8))
    if report.footer_note:
        story.append(Paragraph(escape(report.footer_note), small))

    class PageCanvas(_NumberedCanvas):
        footer_left = (f"{report.title} - generated {report.generated_at.isoformat(' ')} "
                       "by EBS Desktop")
        header_title = report.title
        font = regular

    doc.build(story, canvasmaker=PageCanvas)
