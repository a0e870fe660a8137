"""What every portal page shares: templates, CSRF, the principal, errors and headers.

A page handler is a plain Starlette endpoint::

    async def bills(request: Request) -> Response:
        me = customer(request)                      # or LoginRequired -> /login?next=...
        rows = await run(me.bills, account_number)  # the facade, off the event loop
        return render(request, "bills.html", bills=rows)

* ``request.state.principal`` (an :class:`Actor` or None) and ``request.state.session_key``
  (the server-side session's secret key, or the anonymous visitor's pre-session key) are set
  by the session middleware before any handler runs.
* Every state change is a POST whose form carries ``csrf_token``; :func:`check_csrf` refuses
  a missing or wrong one with 403 before anything is read or written. The token is an HMAC
  of the session key, so it changes when the session does (sign-in, sign-out).
* Service errors become pages: NotFound -> 404, PermissionDenied -> 404 for a customer (never
  "it exists but is not yours"), ValidationError -> the form again with the message.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ebs_desktop.services.actor import Actor

if TYPE_CHECKING:
    from ebs_desktop.services.facade import CustomerServices

HERE = Path(__file__).parent
# Compiled once per process and kept (auto_reload off: no stat of the template files on
# every page; a changed template shows after a restart, as a changed .py file does).
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(["html"]),
                        trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                        cache_size=-1)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class PortalConfig:
    """How one portal process runs (``ebs portal serve`` builds it from the environment)."""

    secret_key: bytes  # signs CSRF tokens and links; the same on every worker
    secure_cookies: bool = True  # False only for plain-HTTP tests and the demo on localhost
    base_url: str = "http://127.0.0.1:8080"  # where links in emails point
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)  # whose X-Forwarded-* headers count


class LoginRequired(Exception):
    """Raised by :func:`customer` when nobody is signed in; the app redirects to /login."""


async def run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Call a (blocking) facade operation on the thread pool, off the event loop."""
    return await run_in_threadpool(fn, *args, **kwargs)


def config(request: Request) -> PortalConfig:
    cfg: PortalConfig = request.app.state.config
    return cfg


def principal(request: Request) -> Actor | None:
    who: Actor | None = getattr(request.state, "principal", None)
    return who


def customer(request: Request) -> CustomerServices:
    """The signed-in customer's facade, or LoginRequired."""
    from ebs_desktop.services.facade import CustomerServices
    who = principal(request)
    if who is None or who.kind != "customer":
        raise LoginRequired
    return CustomerServices(request.app.state.db, who)


# -- CSRF ------------------------------------------------------------------------------------

def csrf_token(request: Request) -> str:
    key: str = getattr(request.state, "session_key", "") or ""
    return hmac.new(config(request).secret_key, b"csrf:" + key.encode(),
                    hashlib.sha256).hexdigest()


async def check_csrf(request: Request) -> dict[str, Any]:
    """The POSTed form, after checking its ``csrf_token``; 403 when missing or wrong."""
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "This form has expired or did not come from this site. "
                                 "Go back, reload the page and try again.")
    return dict(form)


# -- rendering --------------------------------------------------------------------------------

def render(request: Request, template: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """A page from ``templates/``, with what every page needs in its context."""
    page = TEMPLATES.get_template(template)
    body = page.render(request=request, csrf_token=csrf_token(request),
                       me=principal(request), brand=request.app.state.brand, **context)
    return HTMLResponse(body, status_code=status_code)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def see_other(url: str) -> RedirectResponse:
    """After a POST: the browser GETs ``url`` (so a reload never repeats the POST)."""
    return RedirectResponse(url, status_code=303)


# -- headers on every response ---------------------------------------------------------------

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


class SecurityHeaders:
    """Pure ASGI middleware: the same safe headers on every response, errors included."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _v in headers}
                for name, value in self.headers():
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)

    def headers(self) -> list[tuple[bytes, bytes]]:
        out = [(b"content-security-policy", CSP.encode()),
               (b"x-content-type-options", b"nosniff"),
               (b"x-frame-options", b"DENY"),
               (b"referrer-policy", b"same-origin"),
               (b"cross-origin-opener-policy", b"same-origin"),
               (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
               (b"cache-control", b"no-store")]
        if self.hsts:
            out.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        return out


def error_page(request: Request, status: int, message: str) -> Response:
    """A generic page for an error: never a traceback, never whether something exists."""
    try:
        return render(request, "error.html", status_code=status, status=status,
                      message=message)
    except Exception:  # the error page itself must not fail
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
