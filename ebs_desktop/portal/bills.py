"""``/bills``: the bills with their status; ``/bills/{n}`` with its explained lines;
``/bills/{n}.pdf``, the very bytes the office prints; ``/bills.csv`` and ``/readings.csv``.

Every number in a URL goes to the customer facade, which finds only the principal's own
bills: another customer's bill number is a 404 exactly like one that does not exist. A
cancelled bill or a replaced revision has no PDF to download (the print run leaves them
out); its page says why and links to what replaced it.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.domain.bill_status import bill_status, replaced_revisions
from ebs_desktop.errors import ValidationError
from ebs_desktop.portal.web import customer, error_page, render, run
from ebs_desktop.portal.words import Words, line_help, words_for
from ebs_desktop.services.customer_self import BillsPage, CustomerBill


def _status(bill: CustomerBill, today: date, replaced: set[str]) -> str:
    return bill_status(bill.total.minor, bill.paid.minor, bill.due_date, today,
                       cancelled=bill.cancelled, replaced=bill.bill_number in replaced)


def _attachment(name: str) -> str:
    return f'attachment; filename="{name}"'


def _with_status(page: BillsPage) -> list[tuple[str, list[tuple[CustomerBill, str]]]]:
    today = date.today()
    out = []
    for number, rows in page.accounts:
        replaced = replaced_revisions((b.bill_number, b.period, b.revision) for b in rows)
        out.append((number, [(b, _status(b, today, replaced)) for b in rows]))
    return out


async def bill_list(request: Request) -> Response:
    me = customer(request)
    page = await run(me.bills_page)  # the locale and every account's bills: one read
    return render(request, "bills.html", accounts=_with_status(page),
                  **Words(page.locale).context())


async def bill_detail(request: Request) -> Response:
    me = customer(request)
    number = request.path_params["bill_number"]
    detail = await run(me.bill, number)
    words = await words_for(request, me)
    siblings = await run(me.bills, detail.bill.account_number)
    replaced = replaced_revisions((b.bill_number, b.period, b.revision) for b in siblings)
    newer = None
    if detail.bill.bill_number in replaced:
        same = [b for b in siblings if b.period == detail.bill.period]
        newer = max(same, key=lambda b: b.revision).bill_number
    status = _status(detail.bill, date.today(), replaced)
    return render(request, "bill.html", d=detail, b=detail.bill, status=status, newer=newer,
                  line_help=line_help, **words.context())


async def bill_pdf(request: Request) -> Response:
    me = customer(request)
    number = request.path_params["bill_number"]
    try:
        data = await run(me.bill_pdf, number)
    except ValidationError as exc:  # cancelled or replaced: it is theirs, say why
        return error_page(request, 409, str(exc).capitalize() + ".")
    return Response(data, media_type="application/pdf",
                    headers={"content-disposition": _attachment(f"bill-{number}.pdf")})


async def bills_csv(request: Request) -> Response:
    out = io.StringIO()
    sheet = csv.writer(out, lineterminator="\r\n")
    sheet.writerow(["account", "bill", "period", "revision", "issue_date", "due_date",
                    "kwh", "estimated", "total", "paid", "to_pay", "currency", "status"])
    for account, rows in _with_status(await run(customer(request).bills_page)):
        for b, status in rows:
            sheet.writerow([account, b.bill_number, b.period, b.revision,
                            b.issue_date.isoformat(), b.due_date.isoformat(),
                            b.consumption_kwh, "yes" if b.estimated else "no", b.total, b.paid,
                            b.open, b.total.currency, status])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": _attachment("bills.csv")})


async def readings_csv(request: Request) -> Response:
    me = customer(request)
    out = io.StringIO()
    sheet = csv.writer(out, lineterminator="\r\n")
    sheet.writerow(["account", "meter", "register", "read_on", "reading", "consumption_kwh",
                    "source", "status"])
    for r in await run(me.readings):
        sheet.writerow([r.account_number, r.meter, r.register, r.read_on.isoformat(),
                        r.value, "" if r.consumption is None else r.consumption, r.source,
                        r.status])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": _attachment("readings.csv")})


routes = [
    Route("/bills", bill_list, name="bills"),
    Route("/bills.csv", bills_csv, name="bills_csv"),
    Route("/readings.csv", readings_csv, name="readings_csv"),
    Route("/bills/{bill_number}.pdf", bill_pdf, name="bill_pdf"),
    Route("/bills/{bill_number}", bill_detail, name="bill"),
]
