"""A manager's report as data: title, parameters, typed columns, rows, sections, totals, chart.

Why one record for every report: collections, revenue, arrears aging, consumption trends,
exceptions, completeness and ledger reconciliation all are "a titled table with totals"; the
service fills a :class:`TableReport` from its queries and one renderer per format writes it
(:mod:`tabular_pdf` for PDF, :mod:`tabular_export` for CSV and XLSX). The report checks its
cells against the column kinds up front, so a float or a misplaced value is refused with the
row and column named instead of being printed wrongly.

Cells: ``text`` str, ``money`` :class:`Money`, ``decimal`` Decimal, ``int`` int, ``date``
date; ``None`` is an empty cell in any column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal, TypeAlias

from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError
from ebs_desktop.reports.formatting import format_amount, format_decimal, group_digits

ColumnKind: TypeAlias = Literal["text", "money", "decimal", "int", "date"]
Cell: TypeAlias = str | int | Decimal | Money | date | None
Row: TypeAlias = tuple[Cell, ...]

_KIND_TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,), "money": (Money,), "decimal": (Decimal,), "int": (int,), "date": (date,),
}


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    places: int | None = None  # decimal columns: places shown (never rounds a longer value)
    width: float = 1.0  # relative width in the PDF


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of rows (a counter, a tariff, an aging bucket) with optional totals."""

    title: str
    rows: tuple[Row, ...]
    totals: Row | None = None


@dataclass(frozen=True, slots=True)
class ChartSeries:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """A bar or line chart over categories (periods, categories) drawn above the table."""

    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    kind: Literal["bar", "line"] = "bar"
    unit: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True, slots=True)
class TableReport:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    sections: tuple[Section, ...] = ()
    totals: Row | None = None
    subtitle: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    chart: ChartSpec | None = None
    landscape: bool = False
    footer_note: str = ""  # printed on every page, e.g. the audit chain's head hash
    generated_at: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        for section in self.all_sections():
            for n, row in enumerate(section.rows, start=1):
                self._check_row(row, f"section {section.title!r} row {n}"
                                if section.title else f"row {n}")
            if section.totals is not None:
                self._check_row(section.totals, f"section {section.title!r} totals")
        if self.totals is not None:
            self._check_row(self.totals, "totals")
        if self.chart is not None:
            for series in self.chart.series:
                if len(series.values) != len(self.chart.categories):
                    raise ValidationError(
                        f"{len(series.values)} values for {len(self.chart.categories)} "
                        "categories", location=f"report {self.title!r} chart {series.name!r}")
                for value in series.values:
                    if not isinstance(value, Decimal):
                        raise ValidationError(f"chart value {value!r} is not a Decimal",
                                              location=f"report {self.title!r} chart")

    def _check_row(self, row: Row, where: str) -> None:
        if len(row) != len(self.columns):
            raise ValidationError(f"{len(row)} cells for {len(self.columns)} columns",
                                  location=f"report {self.title!r} {where}")
        for column, value in zip(self.columns, row, strict=True):
            if value is None:
                continue
            ok = isinstance(value, _KIND_TYPES[column.kind]) and not isinstance(value, bool)
            if column.kind == "date" and isinstance(value, datetime):
                ok = False
            if not ok:
                raise ValidationError(
                    f"{value!r} ({type(value).__name__}) in a {column.kind} column",
                    location=f"report {self.title!r} {where} column {column.title!r}")

    def all_sections(self) -> list[Section]:
        """Loose rows (as an untitled section) followed by the titled sections."""
        loose = [Section("", self.rows)] if self.rows or not self.sections else []
        return loose + list(self.sections)

    def column_currency(self, index: int) -> str | None:
        """The one currency of a money column (None when empty or mixed)."""
        rows = [row for sec in self.all_sections()
                for row in (*sec.rows, *([sec.totals] if sec.totals else []))]
        if self.totals is not None:
            rows.append(self.totals)
        found: set[str] = set()
        for row in rows:
            cell = row[index]
            if isinstance(cell, Money):
                found.add(cell.currency)
        return found.pop() if len(found) == 1 else None


def display_cell(column: Column, value: Cell) -> str:
    """How a cell reads on paper: grouped digits, exact."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return format_amount(value)
    if isinstance(value, Decimal):
        return format_decimal(value, column.places)
    if isinstance(value, bool):  # refused by TableReport; here for the type checker
        return str(value)
    if isinstance(value, int):
        return group_digits(str(value))
    if isinstance(value, date):
        return value.isoformat()
    return value
