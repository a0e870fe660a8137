"""The print shop's pack (``ebs bill mail-export``): one PDF of bills per route, in walk
order, and the manifest a mailing house reads (CSV: where each bill starts in its file,
how many pages it has, the address block for the envelope window, the bill number).

Each bill is drawn exactly as :func:`ebs_desktop.reports.bill_pdf.render_bills` draws it;
only the page count of each bill is kept, so the manifest can say where each one starts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ebs_desktop.reports.bill_document import BillDocument
from ebs_desktop.reports.bill_pdf import draw_bill

ADDRESS_LINES = 5  # name and up to four lines: what a window envelope shows


@dataclass(frozen=True)
class MailPiece:
    """One bill in a route's file, as the manifest lists it."""

    route: str
    file: str
    sequence: int  # 1, 2, ... within the file (the walk order)
    first_page: int
    pages: int
    bill_number: str
    account_number: str
    address: tuple[str, ...]  # the envelope's address block, name first


def render_route(docs: Iterable[BillDocument], path: Path, *, title: str) -> list[int]:
    """Every bill into one PDF, in the order given; returns each bill's page count."""
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        c = Canvas(str(path), pagesize=A4, pageCompression=1, invariant=1)
        c.setTitle(title)
        c.setCreator("EBS Desktop")
        pages = [draw_bill(c, doc) for doc in docs]
        c.save()
    finally:
        rl_config.useA85 = saved_a85
    return pages


MANIFEST_COLUMNS = ("route", "file", "sequence", "first_page", "pages", "bill_number",
                    "account_number", *(f"address_{i}" for i in range(1, ADDRESS_LINES + 1)))


def write_manifest(pieces: Sequence[MailPiece], path: Path) -> None:
    """The manifest, UTF-8 with a header row; an address has one column per line."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(MANIFEST_COLUMNS)
        for p in pieces:
            lines = list(p.address[:ADDRESS_LINES])
            lines += [""] * (ADDRESS_LINES - len(lines))
            out.writerow([p.route, p.file, p.sequence, p.first_page, p.pages, p.bill_number,
                          p.account_number, *lines])
