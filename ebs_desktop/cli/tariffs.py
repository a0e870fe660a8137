"""``ebs bill-calc`` and ``ebs tariff``: what a bill would cost, and tariff files.

``bill-calc`` prices a consumption without touching any account: the counter's "what would
this cost" and the tariff designer's check. It runs the same pure calculation as the
billing run (:func:`ebs_desktop.domain.billcalc.calculate_bill`), so both agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import click

from ebs_desktop.cli.context import CliContext
from ebs_desktop.cli.params import AMOUNT, NAMED_QUANTITY, OUTPUT_FILE, QUANTITY, money_of
from ebs_desktop.cli.text import count
from ebs_desktop.domain.billcalc import AccountFacts, BillCalculation, Usage
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.tariffs import Tariff, read_tariff_file, tariff_to_toml
from ebs_desktop.domain.tariffs.urdb import read_urdb_file
from ebs_desktop.services.facade import StaffServices


def _staff(ctx: click.Context) -> StaffServices:
    obj: CliContext = ctx.obj
    return obj.staff


def resolve_tariff_versions(ctx: click.Context, code_or_path: str) -> Tariff:
    """The tariff (header + every version) named on the command line.

    A path to a TOML file is read directly; anything else is a tariff code in the database.
    """
    path = Path(code_or_path)
    if path.suffix.lower() == ".toml" or path.is_file():
        return read_tariff_file(path)
    return _staff(ctx).tariffs.get_tariff(code_or_path)


def default_cash_step(ctx: click.Context, code_or_path: str) -> Money | None:
    """The utility's cash step for a tariff from the database, so bill-calc rounds exactly
    as the billing run does; None for a tariff read from a file."""
    path = Path(code_or_path)
    if path.suffix.lower() == ".toml" or path.is_file():
        return None
    return _staff(ctx).settings.current().cash_step_money


def save_imported_tariff(ctx: click.Context, tariff: Tariff, source: str | None = None) -> None:
    """Store an imported tariff (new tariff, or new versions of an existing one)."""
    result = _staff(ctx).tariffs.save_tariff(tariff, source=source)
    added = ", ".join(f"v{v}" for v in result.added_versions) or "nothing new"
    click.echo(f"tariff {result.code}: stored {added}")


def _registers(values: tuple[tuple[str, Decimal], ...]) -> dict[str, Decimal]:
    return dict(values)


def bill_to_json(bill: BillCalculation) -> dict[str, object]:
    """The JSON shape of ``bill-calc --json`` (amounts as decimal strings)."""
    return {"lines": [{"code": line.code, "description": line.description,
                       "quantity": f"{line.quantity:f}", "rate": f"{line.rate:f}",
                       "amount": str(line.amount)} for line in bill.lines],
            "total": str(bill.total), "currency": bill.total.currency}


def _day(value: datetime) -> date:
    return value.date()


@click.command("bill-calc")
@click.option("--tariff", "tariff_ref", required=True, metavar="CODE_OR_FILE",
              help="Tariff code, or a tariff TOML file.")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day of the period, inclusive (YYYY-MM-DD).")
@click.option("--kwh", required=True, type=QUANTITY, help="Total consumption in kWh.")
@click.option("--register", "registers", multiple=True, metavar="NAME=KWH",
              type=NAMED_QUANTITY,
              help="Consumption of a TOU register (repeat; URDB periods are p0, p1, ...).")
@click.option("--demand-kw", default=None, type=QUANTITY,
              help="Recorded maximum demand in kW.")
@click.option("--demand-register", "demand_registers", multiple=True, metavar="NAME=KW",
              type=NAMED_QUANTITY,
              help="Maximum kW of a time-of-use demand period (repeat; URDB: d0, d1, ...).")
@click.option("--sanctioned-kw", default=None, type=QUANTITY, help="Sanctioned load in kW.")
@click.option("--category", default="", help="Account category (for lifeline blocks).")
@click.option("--cash-step", default=None, type=AMOUNT,
              help="Round the total to this step, e.g. 0.05.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def bill_calc(ctx: click.Context, tariff_ref: str, start: datetime, end: datetime,
              kwh: Decimal, registers: tuple[tuple[str, Decimal], ...],
              demand_kw: Decimal | None, demand_registers: tuple[tuple[str, Decimal], ...],
              sanctioned_kw: Decimal | None, category: str,
              cash_step: Decimal | None, as_json: bool) -> None:
    """Print the lines and total of a bill without touching any account."""
    staff = _staff(ctx)
    tariff = resolve_tariff_versions(ctx, tariff_ref)
    usage = Usage(kwh, _registers(registers), demand_kw, _registers(demand_registers))
    facts = AccountFacts(category=category, sanctioned_load_kw=sanctioned_kw)
    step = default_cash_step(ctx, tariff_ref)
    if cash_step is not None:
        step = money_of(cash_step, tariff.currency, "--cash-step")
    bill = staff.tariffs.price_usage(tariff, _day(start), _day(end), usage, facts, step)
    if as_json:
        import json

        click.echo(json.dumps(bill_to_json(bill), indent=2))
        return
    click.echo(f"{tariff.code} {tariff.name}: {_day(start)} to {_day(end)}, {usage.kwh} kWh")
    width = max((len(line.code) for line in bill.lines), default=4)
    for line in bill.lines:
        click.echo(f"  {line.code:<{width}}  {line.amount!s:>12}  {line.description}")
    click.echo(f"  {'TOTAL':<{width}}  {bill.total!s:>12}  {bill.total.currency}")
    if bill.after_due != bill.total:
        click.echo(f"  after the due date: {bill.after_due}")


@click.group("tariff")
def tariff_group() -> None:
    """Tariffs: import from URDB, export as TOML."""


@tariff_group.command("import-urdb")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--code", default=None, help="Tariff code (default: URDB-<label>).")
@click.option("--label", default=None, help="Which record, when the file holds several.")
@click.option("--out", type=OUTPUT_FILE, default=None,
              help="Write the tariff as TOML to this file instead of the database.")
@click.pass_context
def import_urdb(ctx: click.Context, file: Path, code: str | None, label: str | None,
                out: Path | None) -> None:
    """Read a tariff from OpenEI URDB JSON (one record or an API response with items)."""
    result = read_urdb_file(file, code=code, label=label)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if out is None:
        save_imported_tariff(ctx, result.tariff, f"{file.name} (as imported)")
    else:
        out.write_text(tariff_to_toml(result.tariff), encoding="utf-8")
    click.echo(f"imported {result.tariff.code}: {result.tariff.name}")


@tariff_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.pass_context
def import_toml(ctx: click.Context, file: Path) -> None:
    """Store a tariff TOML file (a new tariff, or its new versions; old ones never change)."""
    save_imported_tariff(ctx, read_tariff_file(file), file.name)


@tariff_group.command("export")
@click.argument("code")
@click.option("--out", type=OUTPUT_FILE, default=None,
              help="File to write (default: standard output).")
@click.pass_context
def export_toml(ctx: click.Context, code: str, out: Path | None) -> None:
    """Write a stored tariff with all its versions as TOML."""
    text = tariff_to_toml(resolve_tariff_versions(ctx, code))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@tariff_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_tariffs(ctx: click.Context, as_json: bool) -> None:
    """Tariffs in the database with their number of versions."""
    rows = _staff(ctx).tariffs.list_tariffs()
    if as_json:
        import json

        click.echo(json.dumps([{"code": c, "name": n, "category": k, "versions": v}
                               for c, n, k, v in rows], indent=2))
        return
    for code, name, category, versions in rows:
        click.echo(f"{code:<12} {name:<36} {category:<14} {count(versions, 'version')}")


commands: list[click.Command] = [bill_calc, tariff_group]
