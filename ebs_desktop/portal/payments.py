"""``/payments``: the payment history per account; ``/payments/{id}``: a receipt.

Payments taken at the counter, by bank transfer or otherwise show here as soon as they are
posted (one database). There is deliberately no "pay now" button: online payment does not
exist yet, and a button that cannot take money would be a fake (issue 21, point 5). A
payment id of another customer's is a 404 like one that does not exist.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.portal.web import customer, render, run
from ebs_desktop.portal.words import words_for


async def payment_list(request: Request) -> Response:
    me = customer(request)
    words = await words_for(request, me)
    accounts = [(a.account_number, await run(me.payments, a.account_number))
                for a in await run(me.my_accounts)]
    return render(request, "payments.html", accounts=accounts, **words.context())


async def payment_receipt(request: Request) -> Response:
    me = customer(request)
    text = request.path_params["payment_id"]
    if not text.isdigit() or len(text) > 18:
        raise HTTPException(404)
    receipt = await run(me.payment_receipt, int(text))
    words = await words_for(request, me)
    return render(request, "payment.html", r=receipt, p=receipt.payment, **words.context())


routes = [
    Route("/payments", payment_list, name="payments"),
    Route("/payments/{payment_id}", payment_receipt, name="payment"),
]
