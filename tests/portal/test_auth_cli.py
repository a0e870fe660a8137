"""``ebs portal`` through the real ``ebs`` script: invitations, assisted registration, lock,
unlock and list; ``ebs portal serve`` answering on a real socket."""

from __future__ import annotations

import json
import os
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


def test_serve_answers_healthz_and_login(demo: Database) -> None:
    port = _free_port()
    env = {**os.environ, "EBS_PORTAL_SECRET": "s" * 40}
    server = subprocess.Popen([str(EBS), "--db", demo.url_text, "portal", "serve", "--port",
                               str(port), "--insecure-cookies"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                    assert answer.read() == b"ok"
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as page:
            body = page.read().decode()
            assert "<h1>Sign in</h1>" in body
            assert page.headers["content-security-policy"]
            assert "server" not in {k.lower() for k in page.headers}
    finally:
        server.terminate()
        server.wait(timeout=20)
