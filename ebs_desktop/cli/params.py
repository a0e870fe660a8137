"""Click parameter types for what a person types on the command line: amounts, quantities,
cash counts, row ids, output files.

Every money option of ``ebs`` takes :data:`AMOUNT` and every quantity option
:data:`QUANTITY`, so ``--amount 1e309`` or ``--kwh 99999999999999999999`` is refused where it
is typed, with click's usual ``Invalid value for '--amount'`` line, by the same domain
parsers the GUI and the file importers use (:mod:`ebs_desktop.domain.money`). An amount
option yields a ``Decimal`` within the loosest bound any currency allows; the command then
makes ``Money`` of the utility's currency with :func:`money_of`, which applies that
currency's decimals and the exact ceiling and names the option when it refuses.

Row ids and offsets are bounded by the 64-bit columns they are compared with (SQLite
raises OverflowError on a larger Python int), and an output file's folder must exist
before any work is done.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from ebs_desktop.domain.money import Money, parse_amount, parse_money, parse_quantity
from ebs_desktop.errors import ValidationError

#: The largest id or offset a database column holds (signed 64-bit).
MAX_ROW = 2**63 - 1


def _where(param: click.Parameter | None) -> str:
    if param is None:
        return "value"
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return (param.name or "value").upper()


class AmountType(click.ParamType[Decimal]):
    """A money amount: a plain decimal number, not negative, within the ceiling."""

    name = "amount"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_amount(value, field=_where(param))
        except ValidationError as exc:
            self.fail(_reason(exc), param, ctx)


class QuantityType(click.ParamType[Decimal]):
    """A quantity (kWh, kW): not negative, at most three decimals, within MAX_QUANTITY."""

    name = "quantity"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_quantity(value, field=_where(param))
        except ValidationError as exc:
            self.fail(_reason(exc), param, ctx)


class NamedQuantityType(click.ParamType[tuple[str, Decimal]]):
    """``NAME=QUANTITY`` (a register and its kWh)."""

    name = "name=quantity"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[str, Decimal]:
        if isinstance(value, tuple):
            return value
        name, sep, number = str(value).partition("=")
        if not sep or not name.strip():
            self.fail(f"write NAME=KWH, got {value!r}", param, ctx)
        try:
            return name.strip(), parse_quantity(number, field=f"{_where(param)} {name}")
        except ValidationError as exc:
            self.fail(_reason(exc), param, ctx)


#: Pieces of one denomination in a cash count: more than a ceiling's worth of the
#: smallest coin is a typing error.
MAX_PIECES = 10**12 - 1


class CashCountType(click.ParamType[tuple[Decimal, int]]):
    """``VALUE=PIECES`` of a cash count: a face value and a whole number of pieces."""

    name = "value=pieces"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[Decimal, int]:
        if isinstance(value, tuple):
            return value
        face, sep, pieces = str(value).partition("=")
        pieces = pieces.strip()
        if not sep or not pieces.isascii() or not pieces.isdigit():
            self.fail(f"write a count as VALUE=PIECES, e.g. 20=3, got {value!r}", param, ctx)
        if len(pieces) > len(str(MAX_PIECES)) or int(pieces) > MAX_PIECES:
            self.fail(f"{pieces} pieces is beyond any drawer ({MAX_PIECES:,} at most)",
                      param, ctx)
        try:
            return parse_amount(face, field=_where(param)), int(pieces)
        except ValidationError as exc:
            self.fail(_reason(exc), param, ctx)


class Utf8Text(click.ParamType[str]):
    """Text that is valid UTF-8 (the shell passes undecodable bytes as lone surrogates)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(f"{text.encode('utf-8', 'surrogateescape')!r} is not valid UTF-8 text; "
                      "check the terminal's or the file's encoding", param, ctx)
        return text


class OutputFile(click.ParamType[Path]):
    """A file to write: its folder must exist and be writable, and it is not a folder."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Path:
        path = value if isinstance(value, Path) else Path(str(value))
        if path.is_dir():
            self.fail(f"{str(path)!r} is a folder; give a file name", param, ctx)
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            self.fail(f"the folder {str(folder)!r} does not exist", param, ctx)
        if not os.access(folder, os.W_OK | os.X_OK):
            self.fail(f"the folder {str(folder)!r} is not writable", param, ctx)
        return path


def _reason(exc: ValidationError) -> str:
    """The message without its location (click names the option itself)."""
    text = str(exc)
    prefix = f"{exc.location}: " if exc.location else ""
    return text.removeprefix(prefix)


def money_of(value: Decimal, currency: str, field: str) -> Money:
    """``Money`` of ``currency`` from an :data:`AMOUNT` option: its decimals and the exact
    ceiling; a ValidationError naming ``field`` (the option) otherwise."""
    return parse_money(value, currency, field=field)


AMOUNT = AmountType()
QUANTITY = QuantityType()
NAMED_QUANTITY = NamedQuantityType()
CASH_COUNT = CashCountType()
UTF8_TEXT = Utf8Text()
OUTPUT_FILE = OutputFile()
#: A row id (bill, shift, billing run, bank line): 1 .. 2**63-1.
ROW_ID = click.IntRange(1, MAX_ROW)
#: An offset into a listing: 0 .. 2**63-1.
OFFSET = click.IntRange(0, MAX_ROW)
