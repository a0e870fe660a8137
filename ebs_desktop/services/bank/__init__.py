"""Bank statements: import (MT940, camt.053), automatic matching, and the review list.

See :mod:`.importer` for why a file is validated and stored whole, in one transaction, and
:mod:`.review` for what staff do with the lines that could not be matched (a line in
another currency than the utility's among them).
"""

from ebs_desktop.services.bank.importer import (
    ImportSummary,
    import_statement,
    import_statement_file,
    store_statements,
)
from ebs_desktop.services.bank.review import BankLineInfo, assign_line, ignore_line, review_lines

__all__ = [
    "BankLineInfo", "ImportSummary", "assign_line", "ignore_line", "import_statement",
    "import_statement_file", "review_lines", "store_statements",
]
