"""Bills by post (issue 20, point 6): ``ebs bill mail-export --period P --out DIR``.

For the accounts that get paper (every account not marked paperless), the printable bills
of the period go into one PDF per route (``route-<code>.pdf``), in walk order (the order a
meter reader, and a postman, walks the route), and ``manifest.csv`` lists every bill: its
file, where it starts and how many pages it has, the bill number and the address block for
the envelope (the customer's mailing address, else the premise's). Paperless accounts are
left out and counted. Each bill is drawn by the same code as ``ebs bill pdf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from ebs_desktop.domain.periods import parse_period
from ebs_desktop.errors import ValidationError
from ebs_desktop.persistence.engine import Database
from ebs_desktop.persistence.stores import mail_export as store
from ebs_desktop.persistence.stores.mail_export import PostalBill
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.bill_documents import load_documents, utility_header
from ebs_desktop.services.guard import require
from ebs_desktop.services.progress import TaskState
from ebs_desktop.services.settings import get_settings

MANIFEST = "manifest.csv"
CHUNK = 500


@dataclass(frozen=True)
class RouteFile:
    route: str
    file: Path
    bills: int
    pages: int


@dataclass(frozen=True)
class MailExport:
    period: str
    routes: tuple[RouteFile, ...]
    manifest: Path
    bills: int
    pages: int
    paperless_left_out: int


def address_block(bill: PostalBill) -> tuple[str, ...]:
    """Name, then the mailing address cut at its commas (``12 River St, Riverside, RC 1``
    -> three lines), the premise's when the customer has none."""
    address = bill.customer_address.strip() or bill.premise_address.strip()
    return (bill.customer_name, *(p.strip() for p in address.split(",") if p.strip()))


def _file_name(route: str) -> str:
    return "route-" + re.sub(r"[^A-Za-z0-9._-]", "-", route) + ".pdf"


def mail_export(db: Database, actor: Actor, period: str, out: Path,
                task: TaskState | None = None) -> MailExport:
    """Write the period's postal bills into ``out`` (a folder, made if missing)."""
    require(actor, "bill.print")
    from ebs_desktop.reports.mail_pack import MailPiece, render_route, write_manifest

    parse_period(period)
    if out.exists() and not out.is_dir():
        raise ValidationError(f"{out} is a file; give a folder for the route PDFs and the "
                              "manifest", location="--out")
    with db.read() as s:
        bills = store.postal_bills(s, period)
        left_out = store.paperless_count(s, period)
        settings = get_settings(s)
    if not bills:
        raise ValidationError(f"no bill of {period} goes by post ({left_out} paperless)",
                              location="--period")
    out.mkdir(parents=True, exist_ok=True)
    utility = utility_header(settings)
    pieces: list[MailPiece] = []
    routes: list[RouteFile] = []
    done = 0
    for route, group in groupby(bills, key=lambda b: b.route_code):
        members = list(group)
        docs = []
        for at in range(0, len(members), CHUNK):
            if task is not None:
                task.check_cancelled()
            with db.read() as s:
                docs += load_documents(s, [b.bill_id for b in members[at:at + CHUNK]],
                                       settings, utility)
        name = _file_name(route)
        pages = render_route(docs, out / name, title=f"Bills {period}, route {route}")
        first = 1
        for seq, (bill, count) in enumerate(zip(members, pages, strict=True), start=1):
            pieces.append(MailPiece(route, name, seq, first, count, docs[seq - 1].bill_number,
                                    bill.account_number, address_block(bill)))
            first += count
        routes.append(RouteFile(route, out / name, len(members), sum(pages)))
        done += len(members)
        if task is not None:
            task.report(done, len(bills), f"Route {route}")
    write_manifest(pieces, out / MANIFEST)
    return MailExport(period, tuple(routes), out / MANIFEST, len(bills),
                      sum(r.pages for r in routes), left_out)
