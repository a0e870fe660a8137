"""Webhook intake against a bare endpoint that only verifies the signature, side by side.

Both are Starlette apps served by uvicorn with the same worker count, loaded by ``wrk``
with the same signed ``payment_intent.succeeded`` events (each its own event and payment,
for demo accounts, signed just before the run):

* **intake**: ``POST /webhooks/stripe`` of the portal: verify, store the event once (one
  INSERT, outcome ``received``) and answer 200; each worker's drainer posts the received
  events meanwhile, in batches, through the ledger writer (account lock, allocation,
  journal, gapless receipt number, notification rows, audit entry);
* **bare**: the same route verifying the signature with Stripe's library, then 200.

Figures: requests/s and latency percentiles as wrk reports them, non-2xx answers, and
afterwards the payments posted (each event once) and the drain rate: payments posted per
second from the start of the intake run until no received event is left (the portal
stays up, draining, after wrk stops).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SECRET = "whsec_bench"

LUA = r"""
-- each wrk thread sends its own half of the events, in order: no event is sent twice
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local events = {}
local n = 0
init = function(args)
  for line in io.lines(args[1]) do
    local sig, body = line:match("^([^\t]*)\t(.*)$")
    events[#events + 1] = {sig, body}
  end
  n = tonumber(wrk.thread:get("id")) * math.floor(#events / 2)
end
request = function()
  n = n % #events + 1
  local e = events[n]
  return wrk.format("POST", nil, {["Content-Type"] = "application/json",
                                  ["Stripe-Signature"] = e[1]}, e[2])
end
"""


def product_app() -> Any:
    """The portal as ``ebs portal serve`` builds it, for uvicorn --factory."""
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.portal.app import create_app
    from ebs_desktop.portal.web import PortalConfig

    db = open_database(os.environ["EBS_DATABASE_URL"])
    return create_app(db, PortalConfig(secret_key=b"bench" * 8, secure_cookies=False),
                      drain=os.environ.get("EBS_BENCH_DRAIN", "1") == "1")


def bare_app() -> Any:
    """A Starlette endpoint that verifies Stripe's signature and answers 200."""
    import stripe
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hook(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            stripe.WebhookSignature.verify_header(
                body.decode(), request.headers.get("stripe-signature", ""), SECRET, 300)
        except stripe.SignatureVerificationError:
            return JSONResponse({"outcome": "refused"}, status_code=400)
        return JSONResponse({"outcome": "verified"})

    return Starlette(routes=[Route("/webhooks/stripe", hook, methods=["POST"])])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(factory: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log",
         "--log-level", "warning"], env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn {factory} did not start") from None
            time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _wrk(port: int, events: Path, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}/webhooks/stripe", "--", str(events)],
        capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)

    def ms(label: str) -> float:
        found = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, out
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {"per_s": round(rate), "requests": total, "non_2xx": int(bad.group(1)) if bad else 0,
            "p50_ms": ms("50"), "p90_ms": ms("90"), "p99_ms": ms("99")}


def _drained(db: Any, started: float, limit: float = 600.0) -> float:
    """Seconds from ``started`` until no event is left received (the drainers at work)."""
    from sqlalchemy import select

    from ebs_desktop.persistence.models import GatewayEvent

    while time.monotonic() - started < limit:
        with db.read() as s:
            if s.scalar(select(GatewayEvent.id).where(GatewayEvent.outcome == "received")
                        .limit(1)) is None:
                break
        time.sleep(0.05)
    return round(time.monotonic() - started, 2)


async def _post_paced(port: int, items: list[tuple[str, str]], rate: float, seconds: float,
                      connections: int) -> tuple[list[float], int]:
    """Send signed events at ``rate`` per second over ``connections`` keep-alive
    connections, each event once, on a schedule (open loop): the latency of each counts
    from when it was due. Returns the latencies and the answers that were not 200."""
    import asyncio

    latencies: list[float] = []
    bad = [0]
    gap = connections / rate
    started = time.perf_counter()
    until = started + seconds
    per = len(items) // connections

    async def one(i: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        due = started + i * gap / connections
        mine = iter(items[i * per:(i + 1) * per])
        try:
            while due < until:
                item = next(mine, None)
                if item is None:
                    raise RuntimeError("more events are needed for this rate and time")
                signature, body = item
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                data = body.encode()
                writer.write((f"POST /webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              f"Content-Type: application/json\r\nStripe-Signature: "
                              f"{signature}\r\nContent-Length: {len(data)}\r\n\r\n"
                              ).encode() + data)
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                length = next(int(v) for k, _, v in (x.partition(":") for x in lines[1:])
                              if k.strip().lower() == "content-length")
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - due)
                if lines[0].split(" ")[1] != "200":
                    bad[0] += 1
                due += gap
        finally:
            writer.close()

    await asyncio.gather(*(one(i) for i in range(connections)))
    return latencies, bad[0]


def _signed_events(prefix: str, count: int, accounts: list[str], currency: str
                   ) -> list[tuple[str, str]]:
    import hashlib
    import hmac

    stamp = int(time.time())
    out = []
    for n in range(count):
        body = json.dumps({
            "id": f"evt_{prefix}_{stamp}_{n}", "object": "event",
            "type": "payment_intent.succeeded", "created": stamp,
            "data": {"object": {"id": f"pi_{prefix}_{stamp}_{n}", "object": "payment_intent",
                                "amount": 100, "amount_received": 100, "currency": currency,
                                "metadata": {"account_number": accounts[n % len(accounts)]}}}},
            separators=(",", ":"))
        mac = hmac.new(SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
        out.append((f"t={stamp},v1={mac}", body))
    return out


def bench_webhooks(url: str, *, customers: int, workers: int, connections: int,
                   seconds: int, rate: float = 500.0) -> dict[str, Any]:
    """Build a demo of ``customers`` on ``url``, then load both endpoints with wrk."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    from sqlalchemy import func, select

    from ebs_desktop.persistence import migrate
    from ebs_desktop.persistence.engine import open_database
    from ebs_desktop.persistence.models import Account, GatewayEvent, Payment
    from ebs_desktop.services.demo import build_demo
    from ebs_desktop.services.demo.build import last_complete_month
    from ebs_desktop.services.settings import currency as utility_currency

    db = open_database(url)
    migrate.upgrade(db)
    build_demo(db, customers, 2, last_complete_month(), counter_months=1)
    with db.read() as s:
        accounts = list(s.scalars(select(Account.account_number).order_by(Account.id)))
        currency = utility_currency(s).lower()
    planned = max(5000, 4000 * seconds)  # more than the intake can take in the run
    with tempfile.TemporaryDirectory(prefix="ebs-bench-hooks-") as tmp:
        events = Path(tmp) / "events.tsv"
        events.write_text("".join(f"{signature}\t{body}\n" for signature, body
                                  in _signed_events("bench", planned, accounts, currency)))
        script = Path(tmp) / "events.lua"
        script.write_text(LUA)
        env = dict(os.environ, EBS_DATABASE_URL=url, EBS_STRIPE_API_KEY="sk_bench",
                   EBS_STRIPE_WEBHOOK_SECRET=SECRET, PYTHONPATH=str(Path.cwd()))
        drain_in_portal = os.environ.get("EBS_BENCH_DRAIN", "1") == "1"
        figures: dict[str, Any] = {"drain": "in the portal" if drain_in_portal else
                                   "after the run, one process",
                                   "workers": workers, "connections": connections,
                                   "seconds": seconds, "backend": db.engine.dialect.name}
        for name, factory in (("bare", "tools.bench.webhooks:bare_app"),
                              ("intake", "tools.bench.webhooks:product_app")):
            port = _free_port()
            server = _serve(factory, port, workers, env)
            try:
                import asyncio
                paced = _signed_events(f"paced_{name}", int(rate * (seconds + 1)) + 64,
                                       accounts, currency)
                lat, bad = asyncio.run(_post_paced(port, paced, rate, seconds, connections))
                ordered = sorted(lat) or [0.0]
                figures[f"{name}_at_rate"] = {
                    "rate": rate, "requests": len(lat), "non_2xx": bad,
                    "p50_ms": round(ordered[len(ordered) // 2] * 1000, 1),
                    "p99_ms": round(ordered[min(len(ordered) - 1,
                                                int(len(ordered) * 0.99))] * 1000, 1)}
                if name == "intake" and drain_in_portal:
                    _drained(db, time.monotonic())  # the paced events posted first
                with db.read() as s:
                    before = int(s.scalar(select(func.count()).select_from(Payment)
                                          .where(Payment.channel == "online")) or 0)
                started = time.monotonic()
                figures[name] = _wrk(port, events, script, connections, seconds)
                if name == "intake" and drain_in_portal:
                    figures["drain_s"] = _drained(db, started)
            finally:
                _stop(server)
        if not drain_in_portal:  # the portal only stored: drain now, as ebs payments process
            from ebs_desktop.services.actor import Actor
            from ebs_desktop.services.online_payments import drain_events
            started = time.monotonic()
            drain_events(db, Actor.job("webhooks"))
            figures["drain_s"] = round(time.monotonic() - started, 2)
    with db.read() as s:
        figures["posted"] = int(s.scalar(select(func.count()).select_from(Payment)
                                         .where(Payment.channel == "online")) or 0)
        figures["events"] = {str(k): int(v) for k, v in s.execute(
            select(GatewayEvent.outcome, func.count()).group_by(GatewayEvent.outcome))}
    figures["drain_per_s"] = round((figures["posted"] - before)
                                   / max(0.001, figures["drain_s"]))
    figures["ratio"] = figures["intake"]["per_s"] / max(1, figures["bare"]["per_s"])
    return figures


def fresh_database(url: str) -> str:
    """``url`` emptied (PostgreSQL: the database dropped and created again; SQLite: the
    file removed), so each run starts from the same demo."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        path.unlink(missing_ok=True)
        return url
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False),
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')
    return url
