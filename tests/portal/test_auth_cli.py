"""``ebs portal`` through the real ``ebs`` script: invitations, assisted registration, lock,
unlock and list; ``ebs portal serve`` answering on a real socket."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from ebs_desktop.persistence.engine import Database
from ebs_desktop.services.demo import build_demo
from ebs_desktop.services.facade.portal import PortalGate

EBS = Path(sys.executable).parent / "ebs"


@pytest.fixture
def demo(sqlite_db: Database) -> Database:
    build_demo(sqlite_db, customers=3, months=2, until="2026-06")
    return sqlite_db


def _ebs(db: Database, *args: str, password: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EBS_PORTAL_BASE_URL": "https://portal.example.org"}
    env.pop("EBS_PASSWORD", None)
    if password is not None:
        env["EBS_PASSWORD"] = password
    return subprocess.run([str(EBS), "--db", db.url_text, "portal", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _account(db: Database) -> str:
    with db.read() as s:
        return str(s.execute(text("SELECT account_number FROM accounts ORDER BY id DESC")
                             ).scalars().first())


def test_user_add_lock_unlock_list_and_invite(demo: Database) -> None:
    account = _account(demo)
    added = _ebs(demo, "user", "add", "--account", account, "--email", "help@example.org",
                 password="at the counter")
    assert added.returncode == 0, added.stderr
    gate = PortalGate(demo)
    assert gate.login("help@example.org", "at the counter", base_url="x").secret
    assert _ebs(demo, "user", "lock", "help@example.org", "--reason", "lost phone"
                ).returncode == 0
    listed = json.loads(_ebs(demo, "user", "list", "--account", account, "--json").stdout)
    assert listed == [{"email": "help@example.org", "verified": True, "locked": True,
                       "totp": False, "accounts": [account],
                       "last_login_at": listed[0]["last_login_at"]}]
    assert _ebs(demo, "user", "unlock", "help@example.org").returncode == 0
    assert "confirmed" in _ebs(demo, "user", "list").stdout
    printed = _ebs(demo, "invite", "--account", account, "--email", "inv@example.org",
                   "--print")
    assert printed.returncode == 0
    link = printed.stdout.strip()
    assert link.startswith("https://portal.example.org/register?invite=")
    assert gate.invite_account(link.rsplit("=", 1)[1]) == account
    missing = _ebs(demo, "invite", "--account", "0000", "--email", "x@example.org")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "0000" in missing.stderr
    short = _ebs(demo, "user", "add", "--account", account, "--email", "s@example.org",
                 password="short")
    assert short.returncode != 0 and "password" in short.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_two_workers_throttles_across_them(demo: Database) -> None:
    """``ebs portal serve --workers 2`` on a real socket: /healthz, the sign-in page, and 20
    wrong passwords from fresh connections (spread over both worker processes) throttle
    the right one too."""
    import httpx

    port = _free_port()
    env = {**os.environ, "EBS_PORTAL_SECRET": "s" * 40}
    server = subprocess.Popen([str(EBS), "--db", demo.url_text, "portal", "serve", "--port",
                               str(port), "--workers", "2", "--insecure-cookies"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz") as answer:
                    assert answer.read() == b"ok"
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)

        def attempt(password: str) -> httpx.Response:
            with httpx.Client(base_url=base) as browser:  # a new connection each time
                page = browser.get("/login")
                assert "<h1>Sign in</h1>" in page.text
                assert page.headers["content-security-policy"]
                assert "server" not in page.headers
                token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
                assert token is not None
                return browser.post("/login", data={
                    "email": "customer@example.net", "password": password,
                    "csrf_token": token.group(1)})

        statuses = [attempt(f"wrong {n}").status_code for n in range(20)]
        assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
        right = attempt("portal-demo")
        assert right.status_code == 429 and "paused for 15 minutes" in right.text
    finally:
        server.terminate()
        server.wait(timeout=20)
