"""What the portal's speed rests on (issue 21's benchmark), as properties that can fail:
no session lookup for the static files and ``/healthz``; one lookup for a page; a signed-in
page still needs its session."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.testclient import TestClient

from ebs_desktop.persistence.engine import Database
from ebs_desktop.portal.app import Resolver
from ebs_desktop.portal.sessions import resolve
from ebs_desktop.services.actor import Actor


def _counting(calls: list[str]) -> Resolver:
    async def counted(request: Request) -> tuple[Actor | None, str]:
        calls.append(request.url.path)
        return await resolve(request)
    return counted


def test_static_files_and_healthz_are_served_without_a_session_lookup(
        portal_demo: Database, make_app: Callable[..., Starlette]) -> None:
    from tests.portal.conftest import sign_in

    calls: list[str] = []
    client = sign_in(TestClient(make_app(portal_demo, resolver=_counting(calls))))
    calls.clear()
    css, health = client.get("/static/portal.css"), client.get("/healthz")
    assert css.status_code == 200 and health.status_code == 200 and health.text == "ok"
    assert "set-cookie" not in css.headers and "set-cookie" not in health.headers
    assert css.headers["x-frame-options"] == "DENY"  # the security headers still apply
    assert calls == []
    home = client.get("/")
    assert home.status_code == 200 and calls == ["/"]  # a page: exactly one lookup
    client.cookies.clear()
    assert client.get("/", follow_redirects=False).status_code == 303  # still needs one
