"""``/``: "Your accounts": each account's balance, open bills, latest bill and payment.

One card per account the login has proven (a landlord sees each flat), all read at once
with the page's language by :func:`~ebs_desktop.services.customer_self.dashboard`; the
latest bill carries its status (:mod:`ebs_desktop.domain.bill_status`), so "overdue"
shows on the first page.
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.domain.bill_status import bill_status
from ebs_desktop.portal.web import customer, render, run
from ebs_desktop.portal.words import Words


async def home(request: Request) -> Response:
    me = customer(request)
    page = await run(me.dashboard)  # the locale and every card: one read, one thread hop
    words = Words(page.locale)
    today = date.today()
    cards = []
    for summary in page.summaries:
        latest = summary.latest_bill
        status = None if latest is None else bill_status(
            latest.total.minor, latest.paid.minor, latest.due_date, today,
            cancelled=latest.cancelled)
        cards.append((summary, status))
    return render(request, "home.html", cards=cards, **words.context())


routes = [Route("/", home, name="home")]
