"""No export turns text into a spreadsheet formula (CSV injection, issue 17 point 12).

Customers named ``=HYPERLINK(...)``, ``+1``, ``-2+3``, ``@SUM(A1)``, TAB x and CR x go out
through every CSV/XLSX writer: the management reports (CSV and XLSX), the bill export, the
receipts export and the reading sheet. In CSV such a text cell starts with ``'``; in XLSX it
is a string cell (type ``s``), never a formula. Figures stay figures, negative ones too.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select, text

from ebs_desktop.domain.money import Money
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import Account, Customer, Meter, Payment
from ebs_desktop.reports.spreadsheet_cells import TRIGGERS, neutralise, restore
from ebs_desktop.reports.tabular import Column, Section, TableReport
from ebs_desktop.reports.tabular_export import write_csv, write_xlsx
from ebs_desktop.services import readings
from ebs_desktop.services.actor import system_actor
from ebs_desktop.services.billing.export import export_bills
from ebs_desktop.services.counter.export import export_receipts
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.readings.sheet import COLUMNS
from ebs_desktop.services.readings.sheet import write_csv as write_sheet
from ebs_desktop.services.reports import ReportRange, build_report
from tools.bench.readings import build_bench_utility

ACTOR = system_actor("test")
ATTACKS = ('=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx")
# account numbers are exactly 9 characters (a CHECK); meter serials take the same texts
SHORT = ("=1+2+3+45", "+12345678", "-2+3-4567", "@SUM(A1:9", "\tx1234567", "\rx1234567")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _csv_rows(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


def _csv_file(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:  # a CR inside a cell stays CR
        return list(csv.reader(handle))


def _assert_csv_safe(rows: list[list[str]], expected: tuple[str, ...]) -> None:
    """No cell starts a formula unless it is a plain number; each attack went out quoted."""
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        if cell.startswith(TRIGGERS):
            assert NUMBER.fullmatch(cell), f"formula-like cell {cell!r}"
    for attack in expected:
        assert any(cell.startswith("'" + attack) for cell in cells), attack


def _assert_xlsx_safe(path: Path, expected: tuple[str, ...]) -> None:
    wb = load_workbook(path)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    found.append(cell.value)
    for attack in expected:
        assert any(value.startswith(attack) for value in found), attack


def test_report_cells_csv_and_xlsx(tmp_path: Path) -> None:
    columns = (Column("Customer"), Column("Note"), Column("Amount", "money"),
               Column("kWh", "decimal", places=3), Column("Count", "int"))
    rows = tuple((name, "-5 kWh", Money.of("-12.30", "USD"), Decimal("-1.500"), -3)
                 for name in ATTACKS)
    report = TableReport("Injection", columns, sections=(Section("=Section", rows),),
                         parameters=(("Customer", ATTACKS[0]),), footer_note="@footer")
    out = io.StringIO()
    write_csv(report, out)
    table = _csv_rows(out.getvalue())
    _assert_csv_safe(table, (*ATTACKS, "-5 kWh", "=Section"))
    body = table[1:1 + len(ATTACKS)]
    assert [r[1] for r in body] == ["'" + a for a in ATTACKS]
    assert {(r[3], r[4], r[5]) for r in body} == {("-12.30", "-1.500", "-3")}  # figures
    write_xlsx(report, tmp_path / "r.xlsx")
    _assert_xlsx_safe(tmp_path / "r.xlsx", (*ATTACKS, "-5 kWh", "=Section", "@footer"))
    ws = load_workbook(tmp_path / "r.xlsx").active
    assert ws is not None
    names = [c.value for c in ws["B"] if c.value in ATTACKS]
    assert names == [ATTACKS[0], *ATTACKS]  # parameter row, then the rows: exact text
    amounts = [c for c in ws["D"] if c.data_type == "n" and c.value is not None]
    assert [Decimal(str(c.value)) for c in amounts] == [Decimal("-12.3")] * len(ATTACKS)


@pytest.fixture
def demo(db: Database) -> Database:
    build_demo(db, customers=40, months=5, until="2026-06")
    with db.write() as s:
        accounts = s.scalars(select(Account).order_by(Account.id)).all()
        for account, number in zip(accounts, SHORT, strict=False):
            account.account_number = number
        meters = s.scalars(select(Meter).where(Meter.serial.like("EBS%"))  # on the sheet
                           .order_by(Meter.id)).all()
        for meter, serial in zip(meters, SHORT, strict=False):
            meter.serial = serial
    return db


def test_every_export_path_quotes_formulas(demo: Database, tmp_path: Path) -> None:
    as_of, late = date(2026, 6, 30), date(2026, 12, 31)  # late: every open bill is a default
    defaulters = build_report(demo, ACTOR, "arrears-aging", ReportRange(late, late)).sections[1]
    named = ATTACKS[:len(defaulters.rows)]
    assert named, "the demo has defaulters"
    with demo.write() as s:  # the defaulters' customers are named after the attacks
        for row, name in zip(defaulters.rows, named, strict=False):
            account = s.scalar(select(Account).where(Account.account_number == row[0]))
            assert account is not None
            customer = s.get(Customer, account.customer_id)
            assert customer is not None
            customer.name = name
    report = build_report(demo, ACTOR, "arrears-aging", ReportRange(late, late))
    write_csv(report, tmp_path / "arrears.csv")
    _assert_csv_safe(_csv_file(tmp_path / "arrears.csv"), named)
    write_xlsx(report, tmp_path / "arrears.xlsx")
    _assert_xlsx_safe(tmp_path / "arrears.xlsx", named)

    export_bills(demo, ACTOR, "2026-05", tmp_path / "bills.csv")
    bills = _csv_file(tmp_path / "bills.csv")
    _assert_csv_safe(bills, SHORT)

    with demo.read() as s:
        first = s.scalar(select(Payment.received_at).order_by(Payment.received_at).limit(1))
    assert first is not None
    export_receipts(demo, ACTOR, first.date(), as_of, tmp_path / "receipts.csv")
    receipts = _csv_file(tmp_path / "receipts.csv")
    _assert_csv_safe(receipts, tuple(a for a in SHORT if any(
        r[5] == "'" + a for r in receipts)))
    assert any(r[5].startswith("'") for r in receipts[1:])

    sheet, _rows = readings.sheet_text(demo, ACTOR, "2026-07")
    _assert_csv_safe(_csv_rows(sheet), SHORT)


def test_negative_figures_stay_numbers_in_the_receipts_export(demo: Database,
                                                              tmp_path: Path) -> None:
    with demo.write() as s:  # a reversal receipt carries a negative amount
        s.execute(text("UPDATE receipts SET kind = 'reversal' WHERE id = "
                       "(SELECT MIN(id) FROM receipts)"))
    export_receipts(demo, ACTOR, date(2020, 1, 1), date(2026, 6, 30), tmp_path / "r.csv")
    rows = _csv_file(tmp_path / "r.csv")
    negative = [r[6] for r in rows[1:] if r[1] == "reversal"]
    assert negative and all(NUMBER.fullmatch(v) and v.startswith("-") for v in negative)


def test_reading_sheet_round_trips_quoted_serials(db: Database, tmp_path: Path) -> None:
    today = date(2026, 6, 15)
    sheet = tmp_path / "sheet.csv"
    build_bench_utility(db, 3, sheet, today)
    rows = _csv_rows(sheet.read_text())
    header, body = rows[0], rows[1:]
    serial = header.index("meter_serial")
    with db.write() as s:
        for row, new in zip(body, ("-17", "=A1", "'+x"), strict=True):
            s.execute(text("UPDATE meters SET serial = :new WHERE serial = :old"),
                      {"new": new, "old": row[serial]})
            row[serial] = new
    assert tuple(header) == COLUMNS
    written = write_sheet(body)  # strings in, as a filled sheet would come back
    assert [r[serial] for r in _csv_rows(written)[1:]] == ["'-17", "'=A1", "''+x"]
    summary = readings.import_bytes(db, ACTOR, written.encode(), "filled.csv", today=today)
    assert (summary.accepted + summary.warnings, summary.rejected) == (3, 0)


@given(st.text(max_size=12))
def test_restore_undoes_neutralise(value: str) -> None:
    quoted = neutralise(value)
    assert restore(quoted) == value
    assert not quoted.startswith(TRIGGERS)
