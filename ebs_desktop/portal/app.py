"""The portal application: ``create_app(db, config)``; ``ebs portal serve`` runs it.

Each area of the portal is a module exporting ``routes`` (a list of Starlette routes),
listed in :data:`PAGE_MODULES`. Sessions are resolved before any handler runs by a
*resolver*: ``async (request) -> (principal | None, session_key)``. The product's resolver
reads the server-side session table through the portal gate (:mod:`.sessions`).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ebs_desktop.errors import NotFound, PermissionDenied
from ebs_desktop.portal.web import (
    HERE,
    LoginRequired,
    PortalConfig,
    SecurityHeaders,
    error_page,
    login_redirect,
    run,
)
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade.portal import PortalGate

if TYPE_CHECKING:
    from ebs_desktop.persistence.engine import Database

log = logging.getLogger(__name__)

#: The portal's areas, each a module with ``routes``. Order matters only for clashes.
PAGE_MODULES: tuple[str, ...] = ("auth", "home", "bills", "payments", "profile", "support",
                                 "usage", "webhooks")

PRE_SESSION_COOKIE = "ebs_pre"  # an anonymous visitor's key: CSRF on /login and /register

Resolver = Callable[[Request], Awaitable[tuple[Actor | None, str]]]


@dataclass(frozen=True)
class Brand:
    """The utility's name, colours and logo on every page (from its settings)."""

    name: str = "Riverside Electric Co-op"
    colour: str = "#1f5f8b"
    logo_url: str | None = None


async def anonymous(request: Request) -> tuple[Actor | None, str]:
    """Nobody signed in: the pre-session cookie's key (set on the way out when missing)."""
    return None, request.cookies.get(PRE_SESSION_COOKIE, "")


#: Paths served without a session lookup: the stylesheet, scripts and images (the same for
#: everybody) and the proxy's health check. Their responses carry no form, read nothing of
#: anybody's and set no cookie; the security headers still apply (that middleware is outside).
NO_SESSION_PREFIXES = ("/static/",)
NO_SESSION_PATHS = frozenset({"/healthz"})


def needs_session(path: str) -> bool:
    return path not in NO_SESSION_PATHS and not path.startswith(NO_SESSION_PREFIXES)


class Sessions:
    """Pure ASGI middleware: resolve the principal and session key of every request (but
    the static files' and ``/healthz``, see :data:`NO_SESSION_PATHS`)."""

    def __init__(self, app: ASGIApp, *, resolver: Resolver, secure: bool) -> None:
        self.app = app
        self.resolver = resolver
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not needs_session(scope["path"]):
            scope.setdefault("state", {})
            scope["state"]["principal"] = None
            scope["state"]["session_key"] = ""
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        who, key = await self.resolver(request)
        fresh = ""
        if not key:  # first visit: a random pre-session key, so forms carry a CSRF token
            key = fresh = secrets.token_urlsafe(32)
        scope.setdefault("state", {})
        scope["state"]["principal"] = who
        scope["state"]["session_key"] = key

        async def with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                flags = "; Secure" if self.secure else ""
                cookie = (f"{PRE_SESSION_COOKIE}={fresh}; Path=/; HttpOnly; "
                          f"SameSite=Lax{flags}")
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode()))
            await send(message)

        await self.app(scope, receive, with_cookie)


async def healthz(request: Request) -> Response:
    """For the reverse proxy: the process answers and the database answers (a read
    through the portal gate); 503 when it does not."""
    try:
        ok = await run(PortalGate(request.app.state.db).health)
    except Exception:
        log.exception("portal: /healthz: the database does not answer")
        ok = False
    if not ok:
        return PlainTextResponse("database unavailable", status_code=503)
    return PlainTextResponse("ok")


def _routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = [Route("/healthz", healthz),
                               Mount("/static", StaticFiles(directory=HERE / "static"),
                                     name="static")]
    for name in PAGE_MODULES:
        routes.extend(importlib.import_module(f"ebs_desktop.portal.{name}").routes)
    return routes


def create_app(db: Database, config: PortalConfig, *, resolver: Resolver | None = None,
               brand: Brand | None = None, drain: bool = True) -> Starlette:
    """The portal over ``db``. ``resolver`` defaults to the product's session table.
    ``drain``: run the gateway-event drainer in this process (see :mod:`.webhooks`)."""
    if resolver is None:
        resolver = _product_resolver()

    async def login_required(request: Request, exc: Exception) -> Response:
        return login_redirect(request)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_page(request, 404, "There is nothing here, or it is not yours to see.")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        text = exc.detail if exc.status_code in (400, 403, 413, 429) else (
            "There is nothing here." if exc.status_code == 404 else "Something went wrong.")
        return error_page(request, exc.status_code, text)

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("portal: unexpected error on %s", request.url.path)
        return error_page(request, 500, "Something went wrong on our side. Please try again "
                                        "in a few minutes.")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        drainer = None
        if drain and db is not None:
            from ebs_desktop.portal.webhooks import Drainer
            drainer = app.state.drainer = Drainer(db)
            drainer.start()
        try:
            yield
        finally:
            if drainer is not None:
                await drainer.stop()

    app = Starlette(
        lifespan=lifespan,
        routes=_routes(),
        middleware=[Middleware(SecurityHeaders, hsts=config.secure_cookies),
                    Middleware(Sessions, resolver=resolver, secure=config.secure_cookies)],
        exception_handlers={LoginRequired: login_required, NotFound: not_found,
                            PermissionDenied: not_found, HTTPException: http_error,
                            500: server_error})
    app.state.db = db
    app.state.config = config
    app.state.brand = brand or Brand()
    return app


def _product_resolver() -> Resolver:
    """The session table's resolver (:mod:`ebs_desktop.portal.sessions`, the auth slice)."""
    try:
        module = importlib.import_module("ebs_desktop.portal.sessions")
    except ModuleNotFoundError:
        return anonymous
    resolver: Resolver = module.resolve
    return resolver
