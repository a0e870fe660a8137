"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08, with lxml.

No maintained camt parser is among our pinned packages, so this is a careful lxml reader:

* The namespace is taken from the document and must be camt.053.001.02 .. .08; paths are
  written once with a ``c:`` prefix bound to it, so every version reads the same way.
* The XML parser resolves no entities and fetches nothing from the network (a statement
  arrives from outside; XXE and billion-laughs are refused, not expanded).
* Only booked entries (status ``BOOK``; v.02-.05 give it as text, .06+ as ``Sts/Cd``)
  are returned: pending ones may still change or vanish.
* A reversal (``RvslInd`` true) flips the sign of the booking.
* An entry with several ``TxDtls`` that each carry an amount (a batch credit) is split
  into one record per transaction, so every customer payment can be matched on its own.
* Opening balance: ``OPBD`` (or ``PRCD``, the previous closing); closing: ``CLBD``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lxml import etree

from ebs_desktop.domain.bankstatements.records import (
    BankStatement,
    StatementEntry,
    account_numbers_in,
    entry_key,
)
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import ValidationError

_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0([2-8])$")


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def is_camt053(data: bytes) -> bool:
    """True if the XML's root namespace is a camt.053 version we read."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return False
    return bool(_NAMESPACE.match(etree.QName(root).namespace or ""))


class _Reader:
    """XPath helpers bound to one document's namespace and file name."""

    def __init__(self, namespace: str, name: str) -> None:
        self.ns = {"c": namespace}
        self.name = name

    def all(self, node: Any, path: str) -> list[Any]:
        return list(node.xpath(path, namespaces=self.ns))

    def text(self, node: Any, path: str) -> str:
        found = self.all(node, path)
        return " ".join((f.text or "").strip() for f in found if (f.text or "").strip())

    def where(self, node: Any) -> str:
        return f"{self.name}:{node.sourceline}"

    def need(self, node: Any, path: str, what: str) -> str:
        value = self.text(node, path)
        if not value:
            raise ValidationError(
                f"missing {what} ({path.replace('c:', '')})", location=self.where(node)
            )
        return value

    def amount(self, node: Any, sign_from: Any) -> Money:
        amt = self.all(node, "c:Amt")
        if not amt:
            raise ValidationError("missing amount (Amt)", location=self.where(node))
        currency = amt[0].get("Ccy", "")
        try:
            money = Money.of((amt[0].text or "").strip(), currency)
        except (ValueError, TypeError) as exc:
            raise ValidationError(f"bad amount: {exc}", location=self.where(amt[0])) from None
        indicator = self.text(sign_from, "c:CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise ValidationError(
                f"CdtDbtInd must be CRDT or DBIT, got {indicator!r}", location=self.where(sign_from)
            )
        return money if indicator == "CRDT" else -money

    def date(self, node: Any, path: str) -> date | None:
        value = self.text(node, f"{path}/c:Dt") or self.text(node, f"{path}/c:DtTm")[:10]
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"bad date {value!r}", location=self.where(node)) from None


def parse_camt053(data: bytes, name: str = "<camt.053>") -> tuple[BankStatement, ...]:
    """Every statement (``Stmt``) in a camt.053 document, in document order."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(
            f"not well-formed XML: {exc.msg}", location=f"{name}:{exc.lineno}"
        ) from None
    namespace = etree.QName(root).namespace or ""
    match = _NAMESPACE.match(namespace)
    if not match:
        raise ValidationError(
            f"namespace {namespace!r} is not camt.053.001.02 to .08",
            location=f"{name}:{root.sourceline}",
        )
    reader = _Reader(namespace, name)
    version = f"camt.053.001.0{match.group(1)}"
    return tuple(
        _statement(reader, stmt, version) for stmt in reader.all(root, "c:BkToCstmrStmt/c:Stmt")
    )


def _balance(r: _Reader, stmt: Any, codes: tuple[str, ...]) -> tuple[Money, date | None] | None:
    for code in codes:
        for bal in r.all(stmt, "c:Bal"):
            if r.text(bal, "c:Tp/c:CdOrPrtry/c:Cd") == code:
                return r.amount(bal, bal), r.date(bal, "c:Dt")
    return None


def _statement(r: _Reader, stmt: Any, version: str) -> BankStatement:
    statement_id = r.need(stmt, "c:Id", "statement id")
    account = r.text(stmt, "c:Acct/c:Id/c:IBAN") or r.need(
        stmt, "c:Acct/c:Id/c:Othr/c:Id", "account"
    )
    opening = _balance(r, stmt, ("OPBD", "PRCD"))
    closing = _balance(r, stmt, ("CLBD",))
    if opening is None or closing is None:
        raise ValidationError(
            "statement needs an opening (OPBD/PRCD) and a closing (CLBD) balance",
            location=r.where(stmt),
        )
    entries: list[StatementEntry] = []
    for ntry in r.all(stmt, "c:Ntry"):
        status = r.text(ntry, "c:Sts/c:Cd") or r.text(ntry, "c:Sts")
        if status and status != "BOOK":
            continue
        entries.extend(_entries(r, ntry, account, statement_id, len(entries)))
    return BankStatement(
        statement_id=statement_id,
        account=account,
        currency=opening[0].currency,
        opening=opening[0],
        opening_date=opening[1],
        closing=closing[0],
        closing_date=closing[1],
        entries=tuple(entries),
        source_format=version,
        location=r.where(stmt),
    )


def _entries(
    r: _Reader, ntry: Any, account: str, statement_id: str, first_index: int
) -> list[StatementEntry]:
    total = r.amount(ntry, ntry)
    reversal = r.text(ntry, "c:RvslInd").lower() in ("true", "1")
    booking = r.date(ntry, "c:BookgDt") or r.date(ntry, "c:ValDt")
    if booking is None:
        raise ValidationError("entry has no booking date (BookgDt)", location=r.where(ntry))
    value = r.date(ntry, "c:ValDt")
    details = r.all(ntry, "c:NtryDtls/c:TxDtls")
    split = len(details) > 1 and all(
        r.all(tx, "c:AmtDtls/c:TxAmt/c:Amt") or r.all(tx, "c:Amt") for tx in details
    )
    entry_ref = r.text(ntry, "c:AcctSvcrRef") or r.text(ntry, "c:NtryRef")
    parts: list[tuple[Money, Any]] = []
    if split:
        for tx in details:
            node = tx if r.all(tx, "c:Amt") else r.all(tx, "c:AmtDtls/c:TxAmt")[0]
            # A transaction's own CdtDbtInd (v.05+) wins; otherwise it has the entry's sign.
            amount = r.amount(node, tx if r.text(tx, "c:CdtDbtInd") else ntry)
            parts.append((amount, tx))
    else:
        parts.append((total, details[0] if details else None))
    result = []
    for offset, (amount, tx) in enumerate(parts):
        signed = -amount if reversal else amount
        credit = signed.minor > 0
        reference = _tx_text(r, tx, ("c:Refs/c:EndToEndId",))
        if reference.upper() == "NOTPROVIDED":
            reference = ""
        remittance = _tx_text(r, tx, ("c:RmtInf/c:Ustrd", "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref"))
        remittance = remittance or r.text(ntry, "c:AddtlNtryInf")
        # The other party is the debtor of a credit and the creditor of a debit; some banks
        # fill in only the other role, so that is the fallback.
        roles = ("Dbtr", "Cdtr") if credit else ("Cdtr", "Dbtr")
        name = _tx_text(
            r,
            tx,
            tuple(
                p
                for role in roles
                for p in (f"c:RltdPties/c:{role}/c:Nm", f"c:RltdPties/c:{role}/c:Pty/c:Nm")
            ),
        )
        party_account = _tx_text(
            r,
            tx,
            tuple(
                p
                for role in roles
                for p in (
                    f"c:RltdPties/c:{role}Acct/c:Id/c:IBAN",
                    f"c:RltdPties/c:{role}Acct/c:Id/c:Othr/c:Id",
                )
            ),
        )
        bank_ref = _tx_text(r, tx, ("c:Refs/c:AcctSvcrRef",)) or entry_ref
        index = first_index + offset
        result.append(
            StatementEntry(
                booking_date=booking,
                value_date=value,
                amount=signed,
                reference=reference,
                remittance=remittance,
                bank_reference=bank_ref,
                counterparty_name=name,
                counterparty_account=party_account,
                account_numbers=account_numbers_in(reference, remittance),
                key=entry_key(account, statement_id, index, booking, signed, bank_ref, reference),
            )
        )
    return result


def _tx_text(r: _Reader, tx: Any, paths: tuple[str, ...]) -> str:
    if tx is None:
        return ""
    for path in paths:
        value = r.text(tx, path)
        if value:
            return value
    return ""
