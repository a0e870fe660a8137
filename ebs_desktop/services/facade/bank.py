"""The bank operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services.bank import importer as _importer
from ebs_desktop.services.bank import review as _review
from ebs_desktop.services.facade.door import Area, Operation


class BankArea(Area):
    store_statements = Operation("bank.import", _importer.store_statements)
    import_statement = Operation("bank.import", _importer.import_statement)
    import_statement_file = Operation("bank.import", _importer.import_statement_file)
    review_lines = Operation("bank.assign", _review.review_lines)
    assign_line = Operation("bank.assign", _review.assign_line)
    ignore_line = Operation("bank.assign", _review.ignore_line)
