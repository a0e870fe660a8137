"""The billing operations of the staff facade: each service function behind the
permission that opens its door (the function checks again, and finer, inside)."""

from __future__ import annotations

from ebs_desktop.services import bill_documents as _bill_documents
from ebs_desktop.services import bill_mail as _bill_mail
from ebs_desktop.services.billing import corrections as _corrections
from ebs_desktop.services.billing import exceptions as _exceptions
from ebs_desktop.services.billing import export as _export
from ebs_desktop.services.billing import failures as _failures
from ebs_desktop.services.billing import run as _run
from ebs_desktop.services.facade.door import Area, Operation


class BillingArea(Area):
    count_bill_documents = Operation("bill.print", _bill_documents.count_bill_documents)
    iter_bill_documents = Operation("bill.print", _bill_documents.iter_bill_documents)
    document_chunks = Operation("bill.print", _bill_documents.document_chunks)
    bill_documents = Operation("bill.print", _bill_documents.bill_documents)
    bill_document = Operation("bill.print", _bill_documents.bill_document)
    print_bills = Operation("bill.print", _bill_documents.print_bills)
    mail_export = Operation("bill.print", _bill_mail.mail_export)
    cancel_bill = Operation("bill.cancel", _corrections.cancel_bill)
    rebill = Operation("bill.rebill", _corrections.rebill)
    export_bills = Operation("report.view", _export.export_bills)
    failed_run = Operation("bill.calc", _failures.failed_run)
    exception_accounts = Operation("bill.calc", _exceptions.exception_accounts)
    # a dry run needs only bill.calc (a manager's); run_billing asks bill.run for a real one
    run_billing = Operation(("bill.run", "bill.calc"), _run.run_billing)
