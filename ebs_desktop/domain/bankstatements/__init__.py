"""Bank statements (SWIFT MT940 and ISO 20022 camt.053) parsed into plain records.

Pure parsers, bytes in and :class:`BankStatement` records out, placed in the domain
because they do no I/O: the ``ebs bank import`` service reads the file and decides which
credits become payments (those whose reference holds a valid account number) and which
go to the review list. Malformed input raises :class:`~ebs_desktop.errors.ValidationError`
naming the file and line, the statement, the field and the value; a file is read and
validated whole before anything of it is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ebs_desktop.domain.bankstatements.checks import UnbalancedStatement
from ebs_desktop.domain.bankstatements.records import BankStatement, StatementEntry
from ebs_desktop.errors import ValidationError

if TYPE_CHECKING:
    from ebs_desktop.domain.bankstatements.camt053_parser import parse_camt053
    from ebs_desktop.domain.bankstatements.mt940_parser import parse_mt940

__all__ = [
    "BankStatement",
    "StatementEntry",
    "UnbalancedStatement",
    "parse_camt053",
    "parse_mt940",
    "parse_statement_file",
]


def __getattr__(name: str) -> Any:
    """The parsers, imported when first asked for: they bring lxml and mt940, which the
    review list and every other user of the records do without."""
    if name == "parse_camt053":
        from ebs_desktop.domain.bankstatements.camt053_parser import parse_camt053
        return parse_camt053
    if name == "parse_mt940":
        from ebs_desktop.domain.bankstatements.mt940_parser import parse_mt940
        return parse_mt940
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_statement_file(data: bytes, name: str = "<statement>", *,
                         check_balances: bool = True) -> tuple[BankStatement, ...]:
    """Detect the format (XML camt.053 or MT940 text) and parse every statement in it.

    Each statement is validated whole (see :mod:`.checks`); the first fault raises one
    :class:`ValidationError` naming file:line, statement, field and value
    (:class:`UnbalancedStatement` when it is the balances). ``check_balances=False`` is the
    override for the balances only: such statements are returned with their
    :meth:`BankStatement.balance_fault`, and the importer sends all their lines to review.
    """
    from ebs_desktop.domain.bankstatements.camt053_parser import is_camt053, parse_camt053
    from ebs_desktop.domain.bankstatements.mt940_parser import parse_mt940

    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        if not is_camt053(data):
            raise ValidationError(
                "XML file is not an ISO 20022 camt.053 bank statement", location=f"{name}:1"
            )
        return parse_camt053(data, name, check_balances=check_balances)
    if b":20:" in data:
        return parse_mt940(data, name, check_balances=check_balances)
    raise ValidationError(
        "not a bank statement: expected MT940 (:20:, :60F:, :61: tags) or camt.053 XML",
        location=f"{name}:1",
    )
