"""SWIFT MT940: the figures read strictly by us, the free text through the ``mt-940`` package.

Why not trust the package with the figures: it is lenient by design. Its ``:61:`` pattern
takes the first 15 characters of a longer amount and files the rest as the customer
reference (``CR99999999999999999999,99`` became 999,999,999,999,999.00), it turns
February 30 into February 28, and a balance without a currency gets the first three digits
of the amount as its currency. Every figure that moves money (the balances ``:60F:``/
``:60M:`` and ``:62F:``/``:62M:``, and each ``:61:`` line's dates, debit/credit mark and
amount) is therefore read here against the SWIFT field format (``1!a6!n3!a15d`` and
``6!n[4!n]2a[1!a]15d1!a3!c``), and anything that does not fit is refused with its file:line.
The package still reads what it is good at: the ``:86:`` details of many banks, references.

The free text of ``:61:`` (references, supplementary details) and ``:28C:`` is read
leniently, as the package reads its banks' variants: see :mod:`.mt940_text`.

Why split the file ourselves: ``mt940.parse`` folds every statement of a file into one
collection whose balances are those of the last statement; a bank file routinely holds
several days. Each statement starts at a ``:20:`` tag, so the text is cut there and each
piece is read alone, keeping its own opening and closing balance. MT940 requires both
balances. A statement without its opening ``:60F:``/``:60M:`` is a fragment or an MT942
interim report (its lines come again in the day's MT940) and is refused. One without its
closing ``:62F:``/``:62M:`` may be a file cut short: it is refused like a statement whose
balances do not add up, and like one can be imported on the balances override
(:mod:`.checks`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import mt940

from ebs_desktop.domain.bankstatements.checks import check_statement, read_money
from ebs_desktop.domain.bankstatements.mt940_text import PACKAGE_TAGS, statement_entry
from ebs_desktop.domain.bankstatements.records import BankStatement
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

# The package logs every pattern it fails to match at ERROR level (a dozen lines on the
# terminal for one bad tag); the refusal we raise says it once, with the place.
logging.getLogger("mt940").setLevel(logging.CRITICAL)

# A tag starts a line (as the package reads it): ":61:", ":60F:", ":NS:".
_TAG = re.compile(r"^:(\d{2}|NS)([A-Z])?:")
_KNOWN_TAGS = {"13", "20", "21", "25", "28", "34", "60", "61", "62", "64", "65", "86", "90",
               "NS"}
_STATEMENT_LINE = re.compile(
    r"(?P<date>\d{6})(?P<entry>(?:\d{2}|\s{2}){2})?(?P<mark>R?[CD])(?P<funds>[A-Z])?[\n ]?"
    r"(?P<amount>[\d,.]*)(?P<rest>.*)", re.S | re.I)
_TYPE_CODE = re.compile(r"[A-Z][A-Z0-9 ]{3}", re.I)
_AMOUNT_CHARS = 15  # SWIFT "15d": at most 15 characters, the decimal comma included
# "d": the integer part is required (",5" is refused: SWIFT writes "0,5"); a missing comma
# is read as a whole amount, as banks' files (KNAB) and zero-decimal currencies write them.
_SWIFT_AMOUNT = re.compile(r"[0-9]+(,[0-9]*)?")


@dataclass(frozen=True, slots=True)
class _Tag:
    name: str
    """As written: "20", "28C", "60F", "61"..."""
    line: int
    value: str


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _tags(text: str) -> list[_Tag]:
    """The tags of the text with their line numbers, cut the way the package cuts them."""
    found: list[tuple[str, int, list[str]]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.replace("\r", "").rstrip()
        if not line or line.strip() == "-":
            continue
        match = _TAG.match(line)
        if match and match.group(1) in _KNOWN_TAGS:
            found.append((match.group(1) + (match.group(2) or ""), number,
                          [line[match.end():]]))
        elif found:
            found[-1][2].append(line)
    return [_Tag(name, number, "\n".join(lines).strip()) for name, number, lines in found]


def parse_mt940(data: bytes, name: str = "<mt940>", *,
                check_balances: bool = True) -> tuple[BankStatement, ...]:
    """Every statement in an MT940 file, in file order, each validated whole.

    ``check_balances=False`` (the override) also reads statements whose balances disagree
    with their entries; each keeps the fault in :meth:`BankStatement.balance_fault`.
    """
    text = _decode(data)
    if "\x00" in text:  # binary or damaged (and no PostgreSQL text column holds a NUL)
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationError("NUL byte in the file: not an MT940 text file",
                              location=f"{name}:{line}")
    tags = _tags(text)
    starts = [i for i, tag in enumerate(tags) if tag.name == "20"]
    if not starts:
        raise ValidationError(
            "no MT940 statement (no line starting with :20:)", location=f"{name}:1")
    stray = [tag for tag in tags[:starts[0]] if tag.name == "61"]
    if stray:
        raise ValidationError("statement line :61: before the first statement (:20:)",
                              location=f"{name}:{stray[0].line}")
    statements = []
    for n, start in enumerate(starts, start=1):
        end = starts[n] if n < len(starts) else len(tags)
        statements.append(_Statement(tags[start:end], n, name).read(check_balances))
    return tuple(statements)


def _yymmdd(text: str, where: str, what: str) -> date:
    try:
        if len(text) != 6 or not text.isdigit():
            raise ValueError
        return date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise ValidationError(f"{what}: {text!r} is not a date (YYMMDD)",
                              location=where) from None


def _amount_text(text: str, where: str, what: str) -> str:
    """The SWIFT amount as a Decimal string: digits, one decimal comma, 15 characters.

    Zeros in front carry no value and are not counted: Rabobank's older files pad
    balances to 16 characters (``0000000001000,89``). Any other character beyond 15 is
    refused: the package would cut it off and post what is left.
    """
    if "." in text:
        raise ValidationError(f"{what}: {text!r} uses a point; MT940 amounts take a decimal "
                              "comma", location=where)
    if not text or text.count(",") > 1 or not any(c.isdigit() for c in text):
        raise ValidationError(f"{what}: {text!r} is not an amount", location=where)
    if not _SWIFT_AMOUNT.fullmatch(text):
        raise ValidationError(f"{what}: {text!r} is not an amount: SWIFT writes at least "
                              "one digit before the decimal comma (0,50)", location=where)
    significant = text.lstrip("0")
    if len(significant) > _AMOUNT_CHARS:
        raise ValidationError(
            f"{what}: {text!r} is {len(text)} characters long; the field holds at most "
            f"{_AMOUNT_CHARS} (digits and the decimal comma)", location=where)
    return text.replace(",", ".")


class _Statement:
    """One statement's tags, read strictly, then completed by the package."""

    def __init__(self, tags: list[_Tag], number: int, name: str) -> None:
        self.tags = tags
        self.name = name
        self.label = f"statement {number} (:20: {tags[0].value[:16]})"
        self.where = self.at(tags[0])

    def at(self, tag: _Tag) -> str:
        return f"{self.name}:{tag.line}"

    def one(self, base: str, what: str) -> _Tag | None:
        """The statement's only ``:60a:``/``:62a:`` tag, or None if it has none."""
        found = [t for t in self.tags if t.name[:2] == base]
        if len(found) > 1:
            raise ValidationError(f"{self.label}: more than one {what}",
                                  location=self.at(found[1]))
        return found[0] if found else None

    def balance(self, tag: _Tag, what: str) -> tuple[Money, date]:
        """``1!a6!n3!a15d``: mark, date, currency, amount, and nothing after it.

        The field is one line: lines after it before the next tag are the SWIFT envelope
        of the next message (``-}{5:}``, ``{1:F01...``) or a bank's header (ABN AMRO).
        """
        where, what = self.at(tag), f"{self.label}, :{tag.name}: {what}"
        value = tag.value.split("\n", 1)[0].strip()
        mark = value[:1].upper()
        if mark not in ("C", "D"):
            raise ValidationError(f"{what}: debit/credit mark must be C or D, got "
                                  f"{value[:1]!r}", location=where)
        day = _yymmdd(value[1:7], where, f"{what} date")
        currency = value[7:10]
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValidationError(f"{what}: no currency after the date (expected a code like "
                                  f"EUR, got {value[7:][:20]!r})", location=where)
        amount_text = re.match(r"[\d,.]*", value[10:])
        assert amount_text is not None
        rest = value[10 + amount_text.end():].strip()
        if rest:
            raise ValidationError(f"{what}: unexpected text after the amount: {rest[:20]!r}",
                                  location=where)
        amount = read_money(_amount_text(amount_text.group(0), where, what), currency,
                            where=where, what=what, total=True)
        return (amount if mark == "C" else -amount), day

    def line(self, tag: _Tag, index: int, currency: str) -> tuple[Money, date, date | None]:
        """``6!n[4!n]2a[1!a]15d1!a3!c``: value date, entry date, mark, amount, type code."""
        where, what = self.at(tag), f"{self.label}, entry {index + 1} (:61:)"
        match = _STATEMENT_LINE.fullmatch(tag.value)
        if match is None:
            raise ValidationError(f"{what}: expected value date, debit/credit mark and "
                                  f"amount, got {tag.value[:40]!r}", location=where)
        value_date = _yymmdd(match.group("date"), where, f"{what} value date")
        entry = (match.group("entry") or "").strip()
        booking = self.entry_date(value_date, entry, where, what) if entry else None
        text = _amount_text(match.group("amount"), where, f"{what} amount")
        if not _TYPE_CODE.match(match.group("rest")):
            raise ValidationError(f"{what}: expected the transaction type (e.g. NTRF) after "
                                  f"the amount, got {match.group('rest')[:20]!r}",
                                  location=where)
        amount = read_money(text, currency, where=where, what=f"{what} amount")
        mark = match.group("mark").upper()
        return (-amount if mark in ("D", "RC") else amount), value_date, booking

    @staticmethod
    def entry_date(value_date: date, mmdd: str, where: str, what: str) -> date:
        """MMDD near the value date: across a year end when they are 330+ days apart."""
        try:
            if len(mmdd) != 4 or not mmdd.isdigit():
                raise ValueError
            entry = date(value_date.year, int(mmdd[:2]), int(mmdd[2:]))
            if (value_date - entry).days >= 330:
                entry = entry.replace(year=entry.year + 1)
            elif (entry - value_date).days >= 330:
                entry = entry.replace(year=entry.year - 1)
        except ValueError:
            raise ValidationError(f"{what} entry date: {mmdd!r} is not a date (MMDD)",
                                  location=where) from None
        return entry

    def package(self) -> Any:
        """The package's reading of this statement (references, ``:86:`` details)."""
        text = "\n".join(f":{t.name}:{t.value}" for t in self.tags)
        collection = mt940.models.Transactions(tags=PACKAGE_TAGS)
        try:
            collection.parse(text)
        except Exception as exc:  # the package raises bare exceptions for malformed tags
            tag = exc.args[1] if len(exc.args) > 2 else None
            tag_id = getattr(tag, "id", None)
            bad = next((t for t in self.tags if tag_id is not None
                        and t.name[:2] == str(tag_id)[:2] and t.value == exc.args[2]), None)
            field = f":{bad.name}:" if bad else "a tag"
            raise ValidationError(
                f"{self.label}: {field} could not be read"
                + (f" ({bad.value[:40]!r})" if bad else f" ({type(exc).__name__})"),
                location=self.at(bad) if bad else self.where) from None
        return collection

    def read(self, check_balances: bool) -> BankStatement:
        accounts = [t for t in self.tags if t.name == "25"]
        if not accounts or not accounts[0].value:
            raise ValidationError(f"{self.label}: no account (:25:)", location=self.where)
        if len(accounts) > 1:  # betterplace's sepa_snippet_broken: its :86: became a :25:
            raise ValidationError(f"{self.label}: a second account (:25:) in one statement: "
                                  "the file is damaged", location=self.at(accounts[1]))
        opening_tag = self.one("60", "opening balance")
        if opening_tag is None:
            raise ValidationError(f"{self.label}: no opening balance (:60F:/:60M:): an MT942 "
                                  "interim report or a fragment is not a statement",
                                  location=self.where)
        opening, opening_date = self.balance(opening_tag, "opening balance")
        closing_tag = self.one("62", "closing balance")
        closing, closing_date = (self.balance(closing_tag, "closing balance")
                                 if closing_tag is not None else (None, None))
        currency = opening.currency
        lines = [self.line(t, i, currency)
                 for i, t in enumerate(t for t in self.tags if t.name == "61")]
        line_tags = [t for t in self.tags if t.name == "61"]
        collection = self.package()
        if len(collection) != len(lines):
            raise ValidationError(f"{self.label}: {len(lines)} :61: lines but "
                                  f"{len(collection)} transactions read", location=self.where)
        data: dict[str, Any] = collection.data
        account = str(data.get("account_identification") or accounts[0].value)
        number = str(data.get("statement_number") or "")
        if data.get("sequence_number"):
            number += f"/{data['sequence_number']}"
        statement_id = f"{data.get('transaction_reference') or ''}:{number}"
        statement_id += f"@{opening_date.isoformat()}"
        entries = tuple(
            statement_entry(tr.data, line, account, statement_id, index, self.at(tag))
            for index, (tr, line, tag) in enumerate(zip(collection, lines, line_tags,
                                                        strict=True)))
        statement = BankStatement(
            statement_id=statement_id, account=account, currency=currency,
            opening=opening, opening_date=opening_date, closing=closing,
            closing_date=closing_date, entries=entries, source_format="mt940",
            location=self.where)
        check_statement(statement, self.label, balances=check_balances)
        return statement
