"""MT940 free text: what the ``mt-940`` package reads of references and details.

Why lenient on the free text: banks fill the text parts of ``:61:`` their own way, and
the package knows several of them. ASN and SNS put the counterparty's IBAN (18 characters
or more) where SWIFT allows a 16-character reference and its name on the next line
(``...D65,00NOVBNL47INGB9999999999`` / ``hr gjlm paulissen``), which the package reads
with its ``StatementASNB`` pattern; GLS sends references of any length before ``//``
(``StatementGLS``); ING wraps its bank reference and adds ``/TRCD/`` lines. A ``:61:`` is
therefore read with the first of the package's patterns that fits, lines that fit none
kept as supplementary details. ING also wraps the statement number (``:28C:0000`` / ``0``):
it moves no money and only names the statement, so line breaks are taken out of it, and
a number the package cannot read is kept as written. The figures stay strict: a variant
pattern never decides a date, a mark, an amount or a currency.

The figures come from :mod:`.mt940_parser`; an entry here joins them with the text
(end-to-end reference, remittance, counterparty) that the import matches on.

``:86:`` continuation lines are fixed 65-character lines, so they are joined without a
space (Rabobank wraps "ACCOUN" / "T HOLDER"); account numbers are looked for in both the
joined and the line-by-line text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import mt940

from ebs_desktop.domain.bankstatements.records import (
    StatementEntry,
    account_numbers_in,
    entry_key,
)
from ebs_desktop.domain.money import Money

# Subfields end where the next code starts; ING puts a second slash before it
# ("/EREF/EV123//CNTP/..."), which is not part of the value.
_REMI = re.compile(r"/REMI/(.*?)(?:/?/(?:ISDT|EREF|BENM|ORDP|CSID|MARF|NAME|ADDR)/|$)", re.S)
_NAME = re.compile(r"/NAME/(.*?)(?:/?/[A-Z]{4}/|$)", re.S)
_EREF = re.compile(r"/EREF/(.*?)(?:/?/[A-Z]{4}/|$)", re.S)


class StatementLine(mt940.tags.Statement):
    """``:61:`` read with the first of the package's patterns that fits."""

    VARIANTS = (mt940.tags.Statement(), mt940.tags.StatementASNB(), mt940.tags.StatementGLS())

    def __new__(cls) -> StatementLine:
        tag = super().__new__(cls)
        cls.slug = "statement"  # the package picks its :61: processors by this name
        return tag

    def parse(self, transactions: Any, value: str) -> dict[str, str | None]:
        lines = value.split("\n")
        for keep in range(len(lines), 0, -1):
            head = "\n".join(lines[:keep])
            for variant in self.VARIANTS:
                match = variant.re.match(head)
                if match is None:
                    continue
                found: dict[str, str | None] = match.groupdict()
                rest = "\n".join(lines[keep:]).strip()
                if rest:  # ING: /TRCD/ codes and wrapped references
                    found["extra_details"] = "\n".join(
                        p for p in (found.get("extra_details") or "", rest) if p)
                return found
        return super().parse(transactions, value)  # the package's own error


class StatementNumber(mt940.tags.StatementNumber):
    """``:28C:`` without line breaks (ING); kept as written if the package cannot read it."""

    def __new__(cls) -> StatementNumber:
        tag = super().__new__(cls)
        cls.slug = "statement_number"
        return tag

    def parse(self, transactions: Any, value: str) -> dict[str, str | None]:
        joined = re.sub(r"\s+", "", value)
        match = self.re.match(joined)
        if match is None:
            return {"statement_number": joined[:16], "sequence_number": None}
        return match.groupdict()


#: The tags the parser gives the package in place of its own (``mt940.models.Transactions``).
PACKAGE_TAGS: dict[int | str, mt940.tags.Tag] = {61: StatementLine(), 28: StatementNumber()}


def statement_entry(tr: dict[str, Any], line: tuple[Money, date, date | None], account: str,
                    statement_id: str, index: int, where: str) -> StatementEntry:
    """The entry of one ``:61:``: ``line`` holds our strict figures (amount, value date,
    entry date), ``tr`` the package's reading of its text and of its ``:86:``."""
    amount, value_date, entry_date = line
    booking_date = entry_date or value_date
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
        location=where,
    )
