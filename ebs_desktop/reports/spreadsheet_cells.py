"""Every cell EBS writes into a CSV or XLSX file goes through here: text never becomes a formula.

Why: a customer named ``=HYPERLINK("http://x","y")`` (or ``@SUM(A1)``, ``+1``, ``-2+3``) is
a live formula when a spreadsheet opens an export, the classic CSV injection. Following the
OWASP guidance, a **text** cell that starts with ``= + - @`` TAB or CR gets a leading single
quote in CSV (``'=HYPERLINK(...)``): spreadsheets show it as text. Numbers stay numbers:
an ``int``, ``Decimal`` or :class:`Money` cell is written as plain figures (``-12.50``), never
quoted, because a figure a spreadsheet must sum is not text; a text cell such as
``"-5 kWh"`` is quoted like any other text.

XLSX cells are typed, so there text is stored as a string cell (type ``s``, never ``f``) with
its exact characters and, when it starts with a trigger, Excel's *quote prefix* style (the
cell stays text even when someone edits it). Characters XML cannot hold (control
characters other than TAB, LF, CR) become U+FFFD instead of stopping the export.

:func:`restore` undoes :func:`neutralise` for files EBS reads back (the reading sheet): a
text that begins with ``'`` is quoted once more when written, so the pair is exact.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from ebs_desktop.domain.money import Money

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

CellValue = str | int | Decimal | Money | date | None


def needs_quote(text: str) -> bool:
    """True when ``text`` would start a formula (or is already a quoted such text)."""
    return text.startswith(TRIGGERS) or (text.startswith("'")
                                         and text.lstrip("'").startswith(TRIGGERS))


def neutralise(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet evaluates."""
    return "'" + text if needs_quote(text) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given, from what it returned."""
    if text.startswith("'") and needs_quote(text[1:]):
        return text[1:]
    return text


def csv_cell(value: CellValue) -> str:
    """Figures as plain figures, dates ISO, text neutralised, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


class SafeCsvWriter:
    """``csv.writer`` whose rows go through :func:`csv_cell` (the only CSV writer EBS uses).

    Lines end in CR LF (RFC 4180) and cannot be changed: with a bare LF the csv module
    leaves a CR inside a cell unquoted, and the cell would split its row when read back.
    Open the handle with ``newline=""``.
    """

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, lineterminator="\r\n")

    def writerow(self, row: Iterable[CellValue]) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[CellValue]]) -> None:
        for row in rows:
            self.writerow(row)


def xlsx_text(text: str) -> str:
    """Text an XLSX cell can hold: XML-illegal control characters become U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def mark_text(cell: Any, text: str) -> None:
    """Store ``text`` in an openpyxl cell as a string, never as a formula."""
    cell.value = xlsx_text(text)
    cell.data_type = "s"
    if needs_quote(text):
        cell.quotePrefix = True


def append_row(ws: Any, values: Iterable[object]) -> int:
    """``ws.append`` with every text cell stored as a string; returns the new row number."""
    row = list(values)
    ws.append([xlsx_text(v) if isinstance(v, str) else v for v in row])
    number = int(ws._current_row)
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            mark_text(ws.cell(row=number, column=column), value)
    return number
