"""Payment gateways' callbacks: ``POST /webhooks/stripe`` and ``POST /webhooks/mpesa``.

No session and no CSRF token here: a callback proves itself by the gateway's signature
(Stripe) or by the HMAC in its own URL (M-Pesa), checked before anything is read or
written. A callback that does not prove itself gets 400 and nothing is stored; one that
does is stored once by its event id (one INSERT, outcome ``received``) through the system
jobs' facade as ``job:webhooks``, and answered 200 at once (``received``, or ``duplicate``
for a redelivery), so the gateway stops retrying; a failure of ours is a 500 and the
gateway retries later. Posting is the :class:`Drainer`'s work: a background task of each
portal process (started in the app's lifespan), woken after each stored event and polling
every few seconds, posting received events in batches (``drain_events``). A process killed
mid-batch loses nothing: its transaction rolls back and the events stay received.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ebs_desktop.devices.payments import GatewayError, PaymentGateway, WebhookRejected
from ebs_desktop.portal.web import run
from ebs_desktop.services.actor import Actor

MAX_BODY = 256 * 1024  # a gateway event is a few KB
POLL_SECONDS = 3.0  # the drainer looks for received events at least this often

log = logging.getLogger(__name__)


class Drainer:
    """Posts received gateway events in the background of a portal process."""

    def __init__(self, db: object, *, poll: float = POLL_SECONDS) -> None:
        self.db = db
        self.poll = poll
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="drainer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        from ebs_desktop.services.facade import SystemServices
        jobs = SystemServices(self.db, Actor.job("webhooks"))  # type: ignore[arg-type]
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll)
            self._wake.clear()
            try:
                await run(jobs.drain_payment_events)
            except Exception:  # the database away a moment: the next poll tries again
                log.exception("portal: draining gateway events failed")


def gateways_from_environment() -> dict[str, PaymentGateway]:
    """The gateways this server is configured for (``EBS_STRIPE_*``, ``EBS_MPESA_*``)."""
    found: dict[str, PaymentGateway] = {}
    if os.environ.get("EBS_STRIPE_API_KEY"):
        from ebs_desktop.devices.payments.stripe_gateway import StripeGateway
        found["stripe"] = StripeGateway.from_environment()
    if os.environ.get("EBS_MPESA_CONSUMER_KEY"):
        from ebs_desktop.devices.payments.mpesa import MpesaGateway
        found["mpesa"] = MpesaGateway.from_environment()
    return found


def gateways(request: Request) -> dict[str, PaymentGateway]:
    state = request.app.state
    if not hasattr(state, "gateways"):
        state.gateways = gateways_from_environment()
    configured: dict[str, PaymentGateway] = state.gateways
    return configured


async def callback(request: Request) -> Response:
    name = request.path_params["gateway"]
    gateway = gateways(request).get(name)
    if gateway is None:
        return PlainTextResponse(f"{name} payments are not configured here", status_code=404)
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_BODY:
        return PlainTextResponse("the body is too large", status_code=413)
    body = await request.body()
    if len(body) > MAX_BODY:
        return PlainTextResponse("the body is too large", status_code=413)
    try:
        event = gateway.verify_event(body, dict(request.headers),
                                     query=dict(request.query_params))
    except WebhookRejected as exc:
        return PlainTextResponse(str(exc), status_code=400)
    from ebs_desktop.services.facade import SystemServices
    jobs = SystemServices(request.app.state.db, Actor.job("webhooks"))
    try:
        result = await run(jobs.receive_payment_event, event)
    except GatewayError as exc:  # pragma: no cover - intake does not call the gateway
        return PlainTextResponse(str(exc), status_code=502)
    drainer: Drainer | None = getattr(request.app.state, "drainer", None)
    if drainer is not None and result.outcome == "received":
        drainer.wake()
    return JSONResponse({"outcome": result.outcome, "reason": result.reason})


routes = [Route("/webhooks/{gateway:str}", callback, methods=["POST"])]
