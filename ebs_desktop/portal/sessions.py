"""The product's session resolver: the ``ebs_session`` cookie, read through the portal gate.

The cookie holds a random secret (``HttpOnly``, ``SameSite=Lax``, ``Secure`` unless the
portal runs on plain HTTP for a demo or a test); the session table keeps its SHA-256 and the
rules (idle 30 min, absolute 12 h, revoked, older than the last password change: see
:mod:`ebs_desktop.services.portal_auth`). The secret is new at every sign-in (no session
fixation) and doubles as the key of the page's CSRF tokens.

The client's address for throttling and the activity log is the peer's, unless the peer is
a trusted proxy (``PortalConfig.trusted_proxies``): then the right-most address of
``X-Forwarded-For`` that is not itself a trusted proxy. No other proxy header is trusted.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ebs_desktop.portal.app import PRE_SESSION_COOKIE
from ebs_desktop.portal.web import config, run
from ebs_desktop.services.actor import Actor
from ebs_desktop.services.facade.portal import PortalGate
from ebs_desktop.services.portal_auth import ABSOLUTE, Client

COOKIE = "ebs_session"


def gate(request: Request) -> PortalGate:
    return PortalGate(request.app.state.db)


async def resolve(request: Request) -> tuple[Actor | None, str]:
    """(the signed-in customer or None, the key of this visitor's CSRF tokens)."""
    secret = request.cookies.get(COOKIE, "")
    if secret:
        who = await run(gate(request).resolve, secret)
        if who is not None:
            return who, secret
    return None, request.cookies.get(PRE_SESSION_COOKIE, "")


def client(request: Request) -> Client:
    peer = request.client.host if request.client else ""
    trusted = set(config(request).trusted_proxies)
    ip = peer
    if peer in trusted:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")
                if h.strip()]
        for hop in reversed(hops):
            ip = hop
            if hop not in trusted:
                break
    return Client(ip=ip[:64], user_agent=request.headers.get("user-agent", "")[:300])


def set_session(request: Request, response: Response, secret: str) -> Response:
    """The new session's cookie on ``response`` (replacing any other)."""
    response.set_cookie(COOKIE, secret, max_age=int(ABSOLUTE.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=config(request).secure_cookies)
    return response


def clear_session(request: Request, response: Response) -> Response:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=config(request).secure_cookies)
    return response
