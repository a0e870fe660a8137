"""Receipts and Z-reports: frozen documents and their layout for 58/80 mm rolls.

Lives under ``devices`` next to the printers it feeds (the layout is printer-neutral and
pure; :mod:`ebs_desktop.devices.printers` turns it into ESC/POS bytes).
"""

from ebs_desktop.devices.receipts.documents import (
    ReceiptDocument,
    ReceiptHeader,
    ReceiptTender,
    ZReportDocument,
    ZTenderLine,
)
from ebs_desktop.devices.receipts.layout import (
    Block,
    QrCode,
    Text,
    as_text,
    columns_for,
    layout_receipt,
    layout_z_report,
)

__all__ = [
    "Block",
    "QrCode",
    "ReceiptDocument",
    "ReceiptHeader",
    "ReceiptTender",
    "Text",
    "ZReportDocument",
    "ZTenderLine",
    "as_text",
    "columns_for",
    "layout_receipt",
    "layout_z_report",
]
