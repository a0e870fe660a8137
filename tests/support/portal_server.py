"""A real portal server in a process of its own, for the browser tests, the portal
screenshots and the portal benchmark.

Two ways to start one:

* ``uvicorn --factory tests.support.portal_server:app_from_environment`` (the default): the
  product's ``create_app`` with its own session resolver, built from the environment;
* ``product=True``: the product's command, ``ebs portal serve`` (when the CLI has it), on
  the database of ``EBS_DATABASE_URL``, with ``--insecure-cookies`` because the tests speak
  plain HTTP (one test checks that command; the rest do not depend on its options).

With the factory and ``EBS_PORTAL_TEST_ACCOUNTS`` set (comma separated account numbers)
every request is a customer holding those accounts: the page tests use it to reach the
signed-in pages of a build that has no sign-in yet. It is a test resolver only; the
sign-in tests go through ``/login``.

:class:`PortalServer` starts either, waits until ``/healthz`` answers and stops the process
(its whole process group) when done.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from starlette.applications import Starlette
from starlette.requests import Request

from ebs_desktop.persistence.engine import open_database
from ebs_desktop.portal.app import create_app
from ebs_desktop.portal.web import PortalConfig
from ebs_desktop.services.actor import Actor

REPO = Path(__file__).resolve().parents[2]
TEST_SECRET = "browser-tests-secret-0123456789abcdef"
TEST_LOGIN_EMAIL = "fixed.customer@example.net"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def product_command_available() -> bool:
    """Whether ``ebs portal serve`` exists in this build (the auth slice's CLI)."""
    return importlib.util.find_spec("ebs_desktop.cli.portal") is not None


def product_sign_in_available() -> bool:
    """Whether this build has the real sign-in (``/login`` and the session table)."""
    return (importlib.util.find_spec("ebs_desktop.portal.sessions") is not None
            and importlib.util.find_spec("ebs_desktop.portal.auth") is not None)


def served_paths() -> frozenset[str]:
    """The path templates this build's portal serves (``/bills/{bill_number}``): the pages
    of slices not merged yet are absent."""
    from starlette.routing import Route

    app = create_app(None, PortalConfig(secret_key=b"x"),  # type: ignore[arg-type]
                     resolver=None)
    return frozenset(re.sub(r":\w+}", "}", r.path) for r in app.routes
                     if isinstance(r, Route))


def app_from_environment() -> Starlette:
    """``create_app`` from the environment (uvicorn ``--factory``)."""
    url = os.environ["EBS_DATABASE_URL"]
    secret = os.environ.get("EBS_PORTAL_SECRET", TEST_SECRET).encode()
    base_url = os.environ.get("EBS_PORTAL_BASE_URL", "http://127.0.0.1:8080")
    accounts = [a for a in os.environ.get("EBS_PORTAL_TEST_ACCOUNTS", "").split(",") if a]
    config = PortalConfig(secret_key=secret, secure_cookies=False, base_url=base_url)
    if not accounts:
        return create_app(open_database(url), config)
    who = Actor.customer(1, TEST_LOGIN_EMAIL, accounts)

    async def fixed_customer(request: Request) -> tuple[Actor | None, str]:
        return who, "fixed-test-session"

    return create_app(open_database(url), config, resolver=fixed_customer)


def hello_app() -> Starlette:
    """A bare Starlette "hello" endpoint: the benchmark's reference, served the same way."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    return Starlette(routes=[Route("/", hello), Route("/healthz", hello)])


class PortalServer:
    """A portal (or the hello app) served by uvicorn in a child process on a free port."""

    def __init__(self, db_url: str, *, workers: int = 1, accounts: list[str] | None = None,
                 product: bool = False, hello: bool = False,
                 log_path: Path | None = None) -> None:
        self.db_url = db_url
        self.workers = workers
        self.accounts = accounts
        self.hello = hello
        self.product = product
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        bin_dir = Path(sys.executable).parent
        if self.product:
            return [str(bin_dir / "ebs"), "portal", "serve", "--host", "127.0.0.1",
                    "--port", str(self.port), "--workers", str(self.workers),
                    "--insecure-cookies"]
        factory = ("tests.support.portal_server:hello_app" if self.hello
                   else "tests.support.portal_server:app_from_environment")
        return [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers),
                "--log-level", "warning", "--no-access-log"]

    def environment(self) -> dict[str, str]:
        env = {**os.environ, "EBS_DATABASE_URL": self.db_url,
               "EBS_PORTAL_SECRET": TEST_SECRET, "EBS_PORTAL_BASE_URL": self.base_url,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                           os.environ.get("PYTHONPATH")]))}
        env.pop("EBS_PORTAL_TEST_ACCOUNTS", None)
        if self.accounts:
            env["EBS_PORTAL_TEST_ACCOUNTS"] = ",".join(self.accounts)
        return env

    def start(self, timeout: float = 60.0) -> PortalServer:
        out = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(self.command(), env=self.environment(), cwd=REPO,
                                        stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the portal server exited with {self.process.returncode}"
                                   f" ({' '.join(self.command())}); log: {self.log_text()}")
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the portal server did not answer /healthz in {timeout} s; "
                           f"log: {self.log_text()}")

    def log_text(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return "(no log kept)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
