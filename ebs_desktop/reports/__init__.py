"""Paper and files for people: bills (PDF), batch printing, and managers' reports.

Builders here take plain frozen records and never touch the database; services fill the
records from stored figures so the paper equals the ledger to the last minor unit.

- ``bill_document``: :class:`BillDocument`, everything one bill shows (checks its own sums).
- ``bill_pdf``: ``render_bills`` / ``render_bill``, the A4 bill with chart, codes and stub.
- ``bill_batch``: ``render_batch``, a run on all cores with progress and cancel (a
  :class:`~ebs_desktop.services.progress.TaskState`); ``batch_result``: what it did.
- ``payment_code``: the barcode and QR texts and their parser for the counter's scanner.
- ``tabular`` / ``tabular_pdf`` / ``tabular_export``: :class:`TableReport` as PDF, CSV, XLSX.
- ``output_file``: ``whole_file``, an output written whole or not at all (exports).

The bill printing benchmark and its sample bills are tooling: ``tools/bench/pdf.py``.
"""
