"""The receipt print queue: jobs queued in the payment's transaction, printed after commit.

Why a queue: the payment commits first, so a printer that is off, out of paper or stops
answering mid-receipt costs a reprint, never a payment. ``print_pending`` sends queued
jobs; a failure leaves the job queued with its attempts and the printer's error, to be
retried. A reprint is a new job marked duplicate: the receipt then says DUPLICATE with
its reprint count, and the audit log counts it.

Receipts are rebuilt from the payment's rows (tenders, allocations, the ledger up to
the payment's journal for the balance after), so a reprint next year shows the same
amounts the customer was given.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ebs_desktop.devices.printers import (
    FileReceiptPrinter,
    NetworkReceiptPrinter,
    PrintOptions,
    ReceiptPrinter,
    print_blocks,
    printer_from_url,
)
from ebs_desktop.devices.printers.base import DEFAULT_LOGO
from ebs_desktop.devices.receipts import ReceiptDocument, ReceiptTender, columns_for, layout_receipt
from ebs_desktop.domain.money import Money
from ebs_desktop.errors import DeviceError, EbsError, NotFound
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.models import PaymentTender
from ebs_desktop.persistence.stores import counter as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services import audit
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.counter.records import PrintOutcome
from ebs_desktop.services.counter.zreport import receipt_header
from ebs_desktop.services.guard import require
from ebs_desktop.services.settings import get_settings


def _detail(t: PaymentTender) -> str:
    if t.tender == "card":
        return f"{t.card_scheme} ****{t.card_last4} appr {t.approval_code}"
    if t.tender == "cheque":
        return f"no {t.cheque_number} {t.cheque_bank}"
    if t.tender == "transfer":
        return f"ref {t.reference}"
    return ""


def _username(session: Session, user_id: int | None) -> str:
    return str(store.username(session, user_id) or "")


def receipt_document(session: Session, receipt_id: int, *, duplicate: bool = False,
                     reprint_count: int = 0) -> ReceiptDocument:
    receipt = store.receipt(session, receipt_id)
    if receipt is None:
        raise NotFound(f"no receipt {receipt_id}")
    settings = get_settings(session)
    cur = settings.currency
    payment = store.payment(session, receipt.payment_id)
    assert payment is not None
    number, name = store.account_and_name(session, payment.account_id)
    tenders = store.payment_tenders(session, payment.id)
    clerk_id = payment.clerk_id
    if payment.shift_id is not None:
        clerk_id = store.shift_clerk(session, payment.shift_id)
    amount = Money(payment.amount_minor, cur)
    reverses = reason = ""
    change = Money(sum(t.change_minor for t in tenders), cur)
    journal = store.payment_journal(session, payment.id)
    if receipt.kind == "reversal":
        reversal = store.reversal(session, receipt.reversal_id)
        assert reversal is not None
        clerk_id, reason, change = reversal.user_id, reversal.reason, Money.zero(cur)
        amount = amount + Money(reversal.fee_minor, cur)
        reverses = str(store.payment_receipt_number(session, payment.id))
        journal = store.payment_journal(session, payment.id, last=True)
    balance = store.ledger_balance(session, payment.account_id, journal)
    shown = tuple(ReceiptTender(t.tender,  # type: ignore[arg-type]
                                _detail(t), Money(t.amount_minor, cur),
                                Money(t.tendered_minor, cur)
                                if t.tendered_minor is not None else None) for t in tenders)
    return ReceiptDocument(
        receipt_header(settings), receipt.number, receipt.kind,  # type: ignore[arg-type]
        number, name, amount, shown, change, Money(balance, cur), _username(session, clerk_id),
        receipt.series.rsplit("-", 1)[0], receipt.created_at, duplicate, reprint_count,
        reverses, reason)


def printer_for(session: Session, printer_id: int) -> tuple[ReceiptPrinter, PrintOptions]:
    """The adapter and options of a configured printer row."""
    row = store.printer(session, printer_id)
    if row is None:
        raise NotFound(f"no printer {printer_id}")
    printer: ReceiptPrinter
    if row.kind == "file":
        printer = FileReceiptPrinter(row.target, create=True)
    elif row.kind == "network":
        host, _, port = row.target.rpartition(":")
        printer = (NetworkReceiptPrinter(host, int(port)) if host
                   else NetworkReceiptPrinter(row.target))
    else:
        scheme = "serial://" if row.kind == "serial" else "usb://"
        printer = printer_from_url(scheme + row.target)
    options = PrintOptions(paper_mm=row.paper_mm, logo=DEFAULT_LOGO if row.logo else None,
                           kick_drawer=row.drawer_kick)
    return printer, options


def print_pending(db: Database, printer: ReceiptPrinter | None = None, *,
                  printer_id: int | None = None, options: PrintOptions | None = None,
                  limit: int = 100) -> PrintOutcome:
    """Send queued jobs (of ``printer_id`` if given) oldest first; failures stay queued.

    Without ``printer`` each job goes to its own configured printer; jobs without one wait.
    A printer that fails stops the batch (the next jobs would fail the same way).
    """
    with db.read() as session:
        job_ids = store.queued_job_ids(session, printer_id, printer is None, limit)
    printed = failed = 0
    errors: list[str] = []
    for job_id in job_ids:
        with db.read() as session:
            job = store.print_job(session, job_id)
            assert job is not None
            duplicate = job.duplicate
            doc = receipt_document(session, job.receipt_id, duplicate=job.duplicate,
                                   reprint_count=store.reprints_up_to(session, job)
                                   if job.duplicate else 0)
            target, opts = (printer, options) if printer is not None else (None, None)
            if target is None:
                assert job.printer_id is not None
                target, opts = printer_for(session, job.printer_id)
        opts = opts or PrintOptions()
        if duplicate:
            opts = PrintOptions(opts.paper_mm, opts.logo, False, opts.drawer_pin, opts.cut,
                                opts.profile)
        try:
            print_blocks(target, layout_receipt(doc, columns_for(opts.paper_mm)), opts)
        except EbsError as exc:
            failed += 1
            errors.append(f"receipt {doc.receipt_number}: {exc}")
            with db.write() as session:
                store.job_failed(session, job_id, str(exc))
            if isinstance(exc, DeviceError):
                break
            continue
        printed += 1
        with db.write() as session:
            store.job_printed(session, job_id, datetime.now(UTC))
    return PrintOutcome(printed, failed, tuple(errors))


def retry_queue(db: Database, actor: Actor, printer_id: int | None = None) -> PrintOutcome:
    """``ebs receipt print``: a person retries the queue (``print_pending`` itself runs
    after the action that queued each job, which was checked then)."""
    require(actor, "receipt.print")
    return print_pending(db, printer_id=printer_id)


def reprint(db: Database, actor: Actor, receipt_number: str) -> tuple[int, int]:
    """Queue a DUPLICATE of a receipt; returns (job id, which reprint this is)."""
    require(actor, "receipt.reprint")
    with db.write() as session:
        row = store.receipt_and_series(session, receipt_number.strip())
        if row is None:
            raise NotFound(f"no receipt {receipt_number!r}")
        receipt_id, series = row
        printer_id = store.counter_printer_id(session, series.rsplit("-", 1)[0])
        job_id = store.queue_job(session, receipt_id, printer_id, duplicate=True)
        count = store.reprints(session, receipt_id)
        audit.record(session, actor, "receipt.reprint", "receipt", receipt_number,
                     after={"reprint": count, "job": job_id})
        return job_id, count


def receipt_text(db: Database, actor: Actor, receipt_number: str, width: int = 48) -> str:
    """The receipt as the screen previews it (original, not duplicate)."""
    from ebs_desktop.devices.receipts import as_text

    require(actor, "receipt.print")
    with db.read() as session:
        rid = store.receipt_id_of(session, receipt_number)
        if rid is None:
            raise NotFound(f"no receipt {receipt_number!r}")
        doc = receipt_document(session, int(rid))
    return as_text(layout_receipt(doc, width), width)
