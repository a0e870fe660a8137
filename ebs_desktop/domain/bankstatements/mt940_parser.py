"""SWIFT MT940 through the maintained ``mt-940`` package, one statement at a time.

Why split the file ourselves: ``mt940.parse`` folds every statement of a file into one
collection whose balances are those of the last statement; a bank file routinely holds
several days. Each statement starts at a ``:20:`` line, so the text is cut there and each
piece is parsed alone, keeping its own opening and closing balance.

``:86:`` continuation lines are fixed 65-character lines, so they are joined without a
space (Rabobank wraps "ACCOUN" / "T HOLDER"); account numbers are looked for in both the
joined and the line-by-line text. Intermediate balances (``:60M:``/``:62M:``) are used when
a statement has no final ones.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import mt940

from ebs_desktop.domain.bankstatements.records import (
    BankStatement,
    StatementEntry,
    account_numbers_in,
    entry_key,
)
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

_STATEMENT_START = re.compile(r"^:20:", re.MULTILINE)
_REMI = re.compile(r"/REMI/(.*?)(?:/(?:ISDT|EREF|BENM|ORDP|CSID|MARF|NAME|ADDR)/|$)", re.S)
_NAME = re.compile(r"/NAME/(.*?)(?:/[A-Z]{4}/|$)", re.S)
_EREF = re.compile(r"/EREF/(.*?)(?:/[A-Z]{4}/|$)", re.S)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_mt940(data: bytes, name: str = "<mt940>") -> tuple[BankStatement, ...]:
    """Every statement in an MT940 file, in file order."""
    text = _decode(data).replace("\r\n", "\n")
    starts = [m.start() for m in _STATEMENT_START.finditer(text)]
    if not starts:
        raise ValidationError(
            "no MT940 statement (no line starting with :20:)", location=f"{name}:1"
        )
    statements = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        line = text.count("\n", 0, start) + 1
        statements.append(_parse_one(text[start:end], f"{name}:{line}"))
    return tuple(statements)


def _balance(data: dict[str, Any], kind: str, location: str) -> tuple[Money, date | None]:
    balance = data.get(f"final_{kind}_balance") or data.get(f"intermediate_{kind}_balance")
    if balance is None:
        raise ValidationError(
            f"statement has no {kind} balance (:6{0 if kind == 'opening' else 2}F:)",
            location=location,
        )
    amount: Decimal = balance.amount.amount
    return Money.of(amount, str(balance.amount.currency)), _date(balance.date)


def _date(value: Any) -> date | None:
    return None if value is None else date(value.year, value.month, value.day)


def _parse_one(chunk: str, location: str) -> BankStatement:
    collection = mt940.models.Transactions()
    try:
        collection.parse(chunk)
    except Exception as exc:  # the library raises bare exceptions for malformed tags
        raise ValidationError(f"malformed MT940 statement: {exc}", location=location) from None
    data: dict[str, Any] = collection.data
    account = str(data.get("account_identification") or "")
    if not account:
        raise ValidationError("statement has no account (:25:)", location=location)
    opening, opening_date = _balance(data, "opening", location)
    closing, closing_date = _balance(data, "closing", location)
    number = str(data.get("statement_number") or "")
    if data.get("sequence_number"):
        number += f"/{data['sequence_number']}"
    statement_id = f"{data.get('transaction_reference') or ''}:{number}"
    if opening_date is not None:
        statement_id += f"@{opening_date.isoformat()}"
    entries = tuple(
        _entry(tr.data, account, statement_id, index, opening.currency)
        for index, tr in enumerate(collection)
    )
    return BankStatement(
        statement_id=statement_id,
        account=account,
        currency=opening.currency,
        opening=opening,
        opening_date=opening_date,
        closing=closing,
        closing_date=closing_date,
        entries=entries,
        source_format="mt940",
        location=location,
    )


def _entry(
    tr: dict[str, Any], account: str, statement_id: str, index: int, currency: str
) -> StatementEntry:
    amount = Money.of(tr["amount"].amount, str(tr.get("currency") or currency))
    value_date = _date(tr.get("date"))
    booking_date = _date(tr.get("entry_date")) or value_date
    assert booking_date is not None  # the :61: tag requires a value date
    details_lines = str(tr.get("transaction_details") or "").split("\n")
    details = "".join(details_lines)
    reference = str(tr.get("end_to_end_reference") or "")
    customer_ref = str(tr.get("customer_reference") or "")
    if not reference and customer_ref.upper() != "NONREF":
        eref = _EREF.search(details)
        reference = eref.group(1).strip() if eref else customer_ref
    if "purpose" in tr:  # German SEPA structure (?20..?29)
        remittance = " ".join(str(tr.get(k) or "") for k in ("purpose", "additional_purpose"))
    else:
        remi = _REMI.search(details)
        remittance = remi.group(1) if remi else details
    name_match = _NAME.search(details)
    counterparty_name = str(tr.get("applicant_name") or "") or (
        name_match.group(1) if name_match else ""
    )
    counterparty_account = str(tr.get("applicant_iban") or tr.get("extra_details") or "")
    bank_reference = str(tr.get("bank_reference") or "")
    return StatementEntry(
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        reference=reference.strip(),
        remittance=remittance.strip(),
        bank_reference=bank_reference,
        counterparty_name=counterparty_name.strip(),
        counterparty_account=counterparty_account.strip(),
        account_numbers=account_numbers_in(reference, remittance, details, " ".join(details_lines)),
        key=entry_key(
            account, statement_id, index, booking_date, amount, bank_reference, reference
        ),
    )
