"""The portal under load: ``python -m tools.bench portal``.

What is measured, in one run and on one machine: 50 concurrent signed-in users (each its
own session and keep-alive connection) asking for the dashboard (``/``), the bill list
(``/bills``) and one bill's PDF (``/bills/{n}.pdf``), one endpoint at a time, against the
portal served by uvicorn with ``--workers 2``; then the same load on a bare Starlette
"hello" endpoint served the same way, the reference the portal's figures are divided by.

The load generator is a minimal HTTP/1.1 client on asyncio streams (a GET with the
session cookie, read the status line, headers and body by Content-Length or chunks): far
cheaper per request than a general client, so on a 2-core machine the server, not the
generator, is what is measured. It runs in this process while the server's two workers run
in theirs: the three share the cores, as a proxy would on a real server.

Users sign in through ``/login`` (the demo login ``customer@example.net``) when the build has
the sign-in, each getting its own session; without it the server runs with the test
resolver (every request a customer of one demo account) and the figures say so.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from ebs_desktop.persistence import migrate
from ebs_desktop.persistence.engine import open_database
from tests.support.portal_server import PortalServer, product_sign_in_available, served_paths

DEMO_LOGIN = ("customer@example.net", "portal-demo")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Figure:
    target: str  # "portal" or "hello"
    path: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (f"{self.target:6} {self.path:24} {self.requests:7,} req in {self.seconds:6.1f} s"
                f" = {self.per_second:8,.0f} req/s  p50 {self.p50_ms:6.1f} ms  "
                f"p99 {self.p99_ms:6.1f} ms  errors {self.errors}")


# -- a minimal keep-alive HTTP/1.1 client ----------------------------------------------------

class Connection:
    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        cookie = f"Cookie: {self.cookie}\r\n" if self.cookie else ""
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{cookie}\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in lines[1:] if line)}
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _user(port: int, cookie: str, path: str, until: float,
                latencies: list[float], errors: list[int]) -> None:
    conn = Connection(port, cookie)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                status, _body = await conn.get(path)
            except (OSError, asyncio.IncompleteReadError):
                errors.append(0)
                conn.close()
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        conn.close()


async def _paced_user(port: int, cookie: str, path: str, first: float, gap: float,
                      until: float, latencies: list[float], errors: list[int]) -> None:
    """One user sending on a schedule (every ``gap`` s from ``first``), whatever the answers
    take: the latency counts from when the request was due, so a slow answer that delays
    the next request is charged to it too (no "coordinated omission")."""
    conn = Connection(port, cookie)
    due = first
    try:
        while due < until:
            wait = due - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                status, _body = await conn.get(path)
            except (OSError, asyncio.IncompleteReadError):
                errors.append(0)
                conn.close()
            else:
                latencies.append(time.perf_counter() - due)
                if status != 200:
                    errors.append(status)
            due += gap
    finally:
        conn.close()


async def _paced(port: int, cookies: list[str], path: str, rate: float, seconds: float
                 ) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    gap = len(cookies) / rate  # each user's interval; users staggered evenly across it
    await asyncio.gather(*(
        _paced_user(port, c, path, started + i * gap / len(cookies), gap, started + seconds,
                    latencies, errors) for i, c in enumerate(cookies)))
    return latencies, errors, time.perf_counter() - started


def measure_at_rate(target: str, port: int, cookies: list[str], path: str, rate: float,
                    seconds: float) -> Figure:
    """The latency of ``len(cookies)`` users asking ``rate`` requests/s between them
    (open loop): what a page's p99 is at that load, as opposed to at saturation."""
    asyncio.run(_paced(port, cookies, path, rate, 2.0))
    latencies, errors, took = asyncio.run(_paced(port, cookies, path, rate, seconds))
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Figure(f"{target}@{rate:g}/s", path, len(latencies), len(errors), round(took, 2),
                  round(statistics.median(ordered) * 1000, 1), round(p99 * 1000, 1))


async def _load(port: int, cookies: list[str], path: str, seconds: float
                ) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_user(port, c, path, until, latencies, errors) for c in cookies))
    return latencies, errors, time.perf_counter() - started


def measure(target: str, port: int, cookies: list[str], path: str, seconds: float,
            warm_up: float = 2.0) -> Figure:
    asyncio.run(_load(port, cookies, path, warm_up))
    latencies, errors, took = asyncio.run(_load(port, cookies, path, seconds))
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Figure(target, path, len(latencies), len(errors), round(took, 2),
                  round(statistics.median(ordered) * 1000, 1), round(p99 * 1000, 1))


# -- sessions --------------------------------------------------------------------------------

def sign_in_sessions(base_url: str, users: int) -> list[str]:
    """``users`` sessions of the demo login, each signed in through /login: their cookies."""
    import httpx

    cookies = []
    for _ in range(users):
        with httpx.Client(base_url=base_url, follow_redirects=False) as client:
            page = client.get("/login")
            token = _CSRF.search(page.text)
            if token is None:
                raise RuntimeError("the sign-in page carries no csrf_token")
            done = client.post("/login", content=urlencode(
                {"email": DEMO_LOGIN[0], "password": DEMO_LOGIN[1],
                 "csrf_token": token.group(1)}),
                headers={"content-type": "application/x-www-form-urlencoded"})
            if done.status_code not in (302, 303):
                raise RuntimeError(f"signing in the demo login answered {done.status_code}")
            cookies.append("; ".join(f"{k}={v}" for k, v in client.cookies.items()))
    return cookies


def first_bill(port: int, cookie: str) -> str:
    status, body = asyncio.run(_one(port, cookie, "/bills"))
    found = re.search(rb'href="(/bills/[^"/.]+)"', body)
    if status != 200 or found is None:
        raise RuntimeError(f"the bill list (status {status}) links no bill")
    return found.group(1).decode()


async def _one(port: int, cookie: str, path: str) -> tuple[int, bytes]:
    conn = Connection(port, cookie)
    try:
        return await conn.get(path)
    finally:
        conn.close()


# -- the run ---------------------------------------------------------------------------------

def build_demo_database(url: str, customers: int, months: int) -> None:
    from ebs_desktop.services.demo import build_demo

    db = open_database(url)
    migrate.upgrade(db)
    build_demo(db, customers, months, counter_months=1)
    db.dispose()


def demo_account(url: str) -> str:
    from tests.browser.conftest import accounts_with_bills_and_payments

    db = open_database(url)
    try:
        return accounts_with_bills_and_payments(db)[0]
    finally:
        db.dispose()


def bench_portal(url: str | None, customers: int, months: int, users: int, workers: int,
                 seconds: float, log: Path | None = None, rate: float = 300.0
                 ) -> tuple[list[Figure], str]:
    """Build (unless ``url``), serve and load; returns the figures and how users signed in."""
    with tempfile.TemporaryDirectory(prefix="ebs-bench-portal-") as tmp:
        if url is None:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            build_demo_database(url, customers, months)
        by_form = product_sign_in_available()
        accounts = None if by_form else [demo_account(url)]
        figures: list[Figure] = []
        with PortalServer(url, workers=workers, accounts=accounts,
                          log_path=log or Path(tmp) / "portal.log") as server:
            cookies = sign_in_sessions(server.base_url, users) if by_form else [""] * users
            served = served_paths()
            paths = ["/healthz"] + [p for p in ("/", "/bills") if p in served]
            if {"/bills", "/bills/{bill_number}.pdf"} <= served:
                paths.append(first_bill(server.port, cookies[0]) + ".pdf")
            for path in paths:
                figures.append(measure("portal", server.port, cookies, path, seconds))
            for path in (p for p in ("/", "/bills") if p in served):
                figures.append(measure_at_rate("portal", server.port, cookies, path, rate,
                                               seconds))
        with PortalServer(url, workers=workers, hello=True) as hello:
            figures.append(measure("hello", hello.port, [""] * users, "/", seconds))
    how = ("each user signed in through /login as the demo login" if by_form else
           "the test resolver (no sign-in in this build): every user one demo account")
    return figures, how
