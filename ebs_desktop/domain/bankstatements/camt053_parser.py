"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.08, with lxml.

No maintained camt parser is among our pinned packages, so this is a careful lxml reader:

* The namespace is taken from the document and must be camt.053.001.02 .. .08; paths are
  written once with a ``c:`` prefix bound to it, so every version reads the same way.
* The XML parser resolves no entities and fetches nothing from the network (a statement
  arrives from outside; XXE and billion-laughs are refused, not expanded).
* A document without any statement (``Stmt``) is refused, not read as "nothing to do".
* Only booked entries (status ``BOOK``; v.02-.05 give it as text, .06+ as ``Sts/Cd``)
  are returned: pending ones may still change or vanish.
* ``CdtDbtInd`` gives an entry's direction, reversals included: ISO 20022 says a reversal
  (``RvslInd`` true) of a credit is reported as a ``DBIT`` entry, so the indicator is
  already the reversal's own direction and the sign is never flipped again.
* An entry with several ``TxDtls`` that each carry an amount (a batch credit) is split
  into one record per transaction, so every customer payment can be matched on its own,
  but only if those amounts add up to the entry's; otherwise it stays one record.
* Opening balance: ``OPBD`` (or ``PRCD``, the previous closing); closing: ``CLBD``. Either
  may be missing (both peers, genkgo/camt and OCA, accept a statement without a closing
  balance); where both are given they must agree with the entries
  (:func:`~ebs_desktop.domain.bankstatements.checks.check_statement`).
* The statement's currency is the account's (``Acct/Ccy``), else its entries', else
  its balances'; amounts are read with their own currency's decimals and within the
  ceiling. An entry in another currency is refused; a balance in another currency
  (genkgo's samples state a SEK closing balance for an EUR account) is a balance fault,
  refused unless the balances override is given.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lxml import etree

from ebs_desktop.domain.bankstatements.checks import (
    check_statement,
    read_money,
    statement_currency,
)
from ebs_desktop.domain.bankstatements.records import (
    BankStatement,
    StatementEntry,
    account_numbers_in,
    entry_key,
)
from ebs_desktop.domain.money import Money, sum_money
from ebs_desktop.errors import ValidationError

_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0([2-8])$")
_DECIMAL = re.compile(r"\d{1,30}(\.\d{0,30})?")  # digits, a decimal point; sizes checked later


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
    )


def _root(data: bytes) -> Any:
    """The document element, or None if the bytes are not well-formed XML."""
    try:
        return etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def is_camt053(data: bytes) -> bool:
    """True if the XML's root namespace is a camt.053 version we read."""
    root = _root(data)
    return root is not None and bool(_NAMESPACE.match(etree.QName(root).namespace or ""))


class _Reader:
    """XPath helpers bound to one document's namespace and file name."""

    def __init__(self, namespace: str, name: str) -> None:
        self.ns = {"c": namespace}
        self.name = name
        self.label = "statement"

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
                f"{self.label}: missing {what} ({path.replace('c:', '')})",
                location=self.where(node))
        return value

    def amount(self, node: Any, sign_from: Any, what: str, *, total: bool = False) -> Money:
        """``node``'s ``Amt``, signed by ``sign_from``'s ``CdtDbtInd``."""
        amt = self.all(node, "c:Amt")
        if not amt:
            raise ValidationError(f"{what}: missing amount (Amt)", location=self.where(node))
        text = (amt[0].text or "").strip()
        currency = amt[0].get("Ccy", "")
        if not _DECIMAL.fullmatch(text):
            raise ValidationError(f"{what}: amount {text[:40]!r} is not a decimal number "
                                  "(digits, a decimal point)",
                                  location=self.where(amt[0]))
        money = read_money(text, currency, where=self.where(amt[0]), what=what, total=total)
        indicator = self.text(sign_from, "c:CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise ValidationError(f"{what}: CdtDbtInd must be CRDT or DBIT, got "
                                  f"{indicator!r}", location=self.where(sign_from))
        return money if indicator == "CRDT" else -money

    def date(self, node: Any, path: str, what: str) -> date | None:
        value = self.text(node, f"{path}/c:Dt") or self.text(node, f"{path}/c:DtTm")[:10]
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{what}: {value!r} is not a date (YYYY-MM-DD)",
                                  location=self.where(node)) from None


def parse_camt053(data: bytes, name: str = "<camt.053>", *,
                  check_balances: bool = True) -> tuple[BankStatement, ...]:
    """Every statement (``Stmt``) in a camt.053 document, in document order, each validated.

    ``check_balances=False`` (the override) also reads statements whose balances disagree
    with their entries; each keeps the fault in :meth:`BankStatement.balance_fault`.
    """
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ValidationError(
            f"not well-formed XML: {exc.msg}", location=f"{name}:{exc.lineno}"
        ) from None
    except ValueError as exc:
        raise ValidationError(f"not readable as XML: {exc}", location=f"{name}:1") from None
    namespace = etree.QName(root).namespace or ""
    match = _NAMESPACE.match(namespace)
    if not match:
        raise ValidationError(
            f"namespace {namespace!r} is not camt.053.001.02 to .08",
            location=f"{name}:{root.sourceline}",
        )
    reader = _Reader(namespace, name)
    version = f"camt.053.001.0{match.group(1)}"
    found = reader.all(root, "c:BkToCstmrStmt/c:Stmt")
    if not found:
        raise ValidationError("the file holds no statement (BkToCstmrStmt/Stmt)",
                              location=f"{name}:{root.sourceline}")
    return tuple(_statement(reader, stmt, number, version, check_balances)
                 for number, stmt in enumerate(found, start=1))


def _balance(r: _Reader, stmt: Any, codes: tuple[str, ...],
             what: str) -> tuple[Money, date | None] | None:
    for code in codes:
        for bal in r.all(stmt, "c:Bal"):
            if r.text(bal, "c:Tp/c:CdOrPrtry/c:Cd") == code:
                label = f"{r.label}, {what} ({code})"
                return r.amount(bal, bal, label, total=True), r.date(bal, "c:Dt", label)
    return None


def _currency(r: _Reader, stmt: Any) -> str:
    """The account's currency, else the first entry's, else the opening/closing balance's.

    The entries come before the balances: the money that moved decides, and a balance in
    another currency is a fault of the balances (overridable), not of every entry. Other
    balance types (available, forward...) never decide it: they are informative."""
    booked = " or ".join(f"c:Tp/c:CdOrPrtry/c:Cd = '{c}'" for c in ("OPBD", "PRCD", "CLBD"))
    for path in ("c:Acct/c:Ccy/text()", "c:Ntry/c:Amt/@Ccy", f"c:Bal[{booked}]/c:Amt/@Ccy"):
        values = [str(v).strip() for v in stmt.xpath(path, namespaces=r.ns)]
        code = next((v for v in values if v), None)
        if code is not None:
            return statement_currency(code, where=r.where(stmt), what=f"{r.label}: currency")
    raise ValidationError(f"{r.label}: no currency (Acct/Ccy, Bal/Amt/@Ccy, Ntry/Amt/@Ccy)",
                          location=r.where(stmt))


def _statement(r: _Reader, stmt: Any, number: int, version: str,
               check_balances: bool) -> BankStatement:
    r.label = f"statement {number}"
    statement_id = r.need(stmt, "c:Id", "statement id")
    r.label = f"statement {number} ({statement_id[:35]})"
    account = r.text(stmt, "c:Acct/c:Id/c:IBAN") or r.need(
        stmt, "c:Acct/c:Id/c:Othr/c:Id", "account"
    )
    currency = _currency(r, stmt)
    opening = _balance(r, stmt, ("OPBD", "PRCD"), "opening balance")
    closing = _balance(r, stmt, ("CLBD",), "closing balance")
    entries: list[StatementEntry] = []
    for index, ntry in enumerate(r.all(stmt, "c:Ntry"), start=1):
        status = r.text(ntry, "c:Sts/c:Cd") or r.text(ntry, "c:Sts")
        if status and status != "BOOK":
            continue
        entries.extend(_entries(r, ntry, index, account, statement_id, len(entries)))
    statement = BankStatement(
        statement_id=statement_id,
        account=account,
        currency=currency,
        opening=opening[0] if opening else None,
        opening_date=opening[1] if opening else None,
        closing=closing[0] if closing else None,
        closing_date=closing[1] if closing else None,
        entries=tuple(entries),
        source_format=version,
        location=r.where(stmt),
    )
    check_statement(statement, r.label, balances=check_balances)
    return statement


def _parts(r: _Reader, ntry: Any, total: Money, what: str) -> list[tuple[Money, Any]]:
    """(amount, TxDtls) per customer transaction of the entry; see the module notes."""
    details = r.all(ntry, "c:NtryDtls/c:TxDtls")
    whole = [(total, details[0] if details else None)]
    if len(details) < 2 or not all(
            r.all(tx, "c:AmtDtls/c:TxAmt/c:Amt") or r.all(tx, "c:Amt") for tx in details):
        return whole
    parts = []
    for number, tx in enumerate(details, start=1):
        node = tx if r.all(tx, "c:Amt") else r.all(tx, "c:AmtDtls/c:TxAmt")[0]
        # A transaction's own CdtDbtInd (v.05+) wins; otherwise it has the entry's sign.
        amount = r.amount(node, tx if r.text(tx, "c:CdtDbtInd") else ntry,
                          f"{what}, transaction {number}")
        parts.append((amount, tx))
    if any(a.currency != total.currency for a, _ in parts) or (
            sum_money([a for a, _ in parts], total.currency) != total):
        return whole  # the details do not add up to the booking: keep the entry whole
    return parts


def _entries(
    r: _Reader, ntry: Any, index: int, account: str, statement_id: str, first_index: int
) -> list[StatementEntry]:
    what = f"{r.label}, entry {index}"
    total = r.amount(ntry, ntry, what)
    booking = r.date(ntry, "c:BookgDt", what) or r.date(ntry, "c:ValDt", what)
    if booking is None:
        raise ValidationError(f"{what}: no booking date (BookgDt)", location=r.where(ntry))
    value = r.date(ntry, "c:ValDt", what)
    entry_ref = r.text(ntry, "c:AcctSvcrRef") or r.text(ntry, "c:NtryRef")
    result = []
    for offset, (signed, tx) in enumerate(_parts(r, ntry, total, what)):
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
        position = first_index + offset
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
                key=entry_key(account, statement_id, position, booking, signed, bank_ref,
                              reference),
                location=r.where(ntry),
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
