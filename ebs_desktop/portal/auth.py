"""Sign-in pages (issue 21): sign in (and the code step), register, confirm the email,
forgotten password, the security page (password, second factor, log out everywhere), add an
account, log out.

Every POST checks its CSRF token first. Answers that could tell whether an account or an
address exists are the services' uniform sentences; bad input shows the form again with
the message next to its field. After a successful POST the browser is sent on (303).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.errors import AuthenticationError, ValidationError
from ebs_desktop.portal.sessions import clear_session, client, gate, set_session
from ebs_desktop.portal.web import (
    check_csrf,
    config,
    customer,
    principal,
    run,
    see_other,
)
from ebs_desktop.portal.web import render as render_page
from ebs_desktop.portal.words import Words, visitor_words, words_for
from ebs_desktop.services import portal_auth as rules
from ebs_desktop.services.facade.portal import CustomerSecurity

FIELD_NAMES = {"email": "Email", "password": "Password", "password_confirm": "Password again",
               "account_number": "Account number", "proof": "Bill number or bill total",
               "code": "Code", "current_password": "Current password"}


def problem(exc: ValidationError) -> dict[str, str]:
    """A refusal for a form: the field it names and the sentence without the field."""
    text = str(exc)
    field = exc.location or ""
    if field and text.startswith(f"{field}: "):
        text = text[len(field) + 2:]
    return {"field": field, "text": text, "label": FIELD_NAMES.get(field, field)}


def render(request: Request, template: str, status_code: int = 200, *,
           words: Words | None = None, title: str = "", **context: Any) -> Response:
    """A sign-in page in the visitor's language (the signed-in customer's on the security
    page): the words, and the title through them."""
    words = words or visitor_words(request)
    return render_page(request, template, status_code, title=words.t(title),
                       **words.context(), **context)


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _refusal_status(message: str) -> int:
    if message == rules.THROTTLED:
        return 429
    return 403 if message == rules.LOCKED else 401


# -- sign in -------------------------------------------------------------------------------

async def login(request: Request) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        if principal(request) is not None:
            return see_other(nxt)
        return render(request, "login.html", title="Sign in", next=nxt, email="")
    form = await check_csrf(request)
    nxt = safe_next(_text(form, "next") or nxt)
    email = _text(form, "email")
    try:
        signed = await run(gate(request).login, email, _text(form, "password"),
                           base_url=config(request).base_url, client=client(request))
    except AuthenticationError as exc:
        return render(request, "login.html", status_code=_refusal_status(str(exc)),
                      title="Sign in", next=nxt, email=email, refusal=str(exc))
    await _end_previous(request)
    target = f"/login/code?next={quote(nxt, safe='/')}" if signed.needs_code else nxt
    return set_session(request, see_other(target), signed.secret)


async def _end_previous(request: Request) -> None:
    """A new sign-in in this browser ends the session it had (never two at once)."""
    previous = request.cookies.get("ebs_session", "")
    if previous:
        await run(gate(request).logout, previous, client=client(request))


async def login_code(request: Request) -> Response:
    nxt = safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "login_code.html", title="Enter your code", next=nxt)
    form = await check_csrf(request)
    nxt = safe_next(_text(form, "next") or nxt)
    pending = request.cookies.get("ebs_session", "")
    try:
        signed = await run(gate(request).login_code, pending, _text(form, "code"),
                           client=client(request))
    except AuthenticationError as exc:
        return render(request, "login_code.html", status_code=_refusal_status(str(exc)),
                      title="Enter your code", next=nxt, refusal=str(exc))
    return set_session(request, see_other(nxt), signed.secret)


async def logout(request: Request) -> Response:
    await check_csrf(request)
    secret = request.cookies.get("ebs_session", "")
    if secret:
        await run(gate(request).logout, secret, client=client(request))
    return clear_session(request, see_other("/login?signed_out=1"))


# -- register and confirm ------------------------------------------------------------------

async def register(request: Request) -> Response:
    invite = request.query_params.get("invite") or None
    invited: str | None = None
    if invite:
        invited = await run(gate(request).invite_account, invite)
    if request.method == "GET":
        if principal(request) is not None and not invite:
            return see_other("/accounts/add")  # signed in: add the account to this login
        return render(request, "register.html", title="Register", values={},
                      invite=invite, invited=invited, bad_invite=bool(invite) and not invited)
    form = await check_csrf(request)
    invite = _text(form, "invite") or None
    values = {k: _text(form, k) for k in ("account_number", "proof", "email")}
    try:
        answer = await run(gate(request).register, values["account_number"], values["proof"],
                           values["email"], _text(form, "password"),
                           _text(form, "password_confirm"), base_url=config(request).base_url,
                           client=client(request), invite=invite)
    except ValidationError as exc:
        return render(request, "register.html", status_code=400, title="Register",
                      values=values, error=problem(exc), invite=invite, invited=invited)
    except AuthenticationError as exc:
        return render(request, "register.html", status_code=_refusal_status(str(exc)),
                      title="Register", values=values, refusal=str(exc), invite=invite,
                      invited=invited)
    return render(request, "message.html", title="Check your email", message=answer)


async def verify(request: Request) -> Response:
    try:
        email = await run(gate(request).verify_email, request.path_params["token"],
                          client=client(request))
    except AuthenticationError as exc:
        return render(request, "message.html", status_code=400, title="Link not valid",
                      message=str(exc), then="Sign in to get a new one.", sign_in=True)
    return render(request, "message.html", title="Email confirmed",
                  message=visitor_words(request).t(
                      "Thank you: {email} is confirmed. You can sign in now.", email=email),
                  sign_in=True)


# -- forgotten password --------------------------------------------------------------------

async def forgot(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "forgot.html", title="Forgotten password", email="")
    form = await check_csrf(request)
    email = _text(form, "email")
    try:
        answer = await run(gate(request).forgot_password, email,
                           base_url=config(request).base_url, client=client(request))
    except ValidationError as exc:
        return render(request, "forgot.html", status_code=400, title="Forgotten password",
                      email=email, error=problem(exc))
    except AuthenticationError as exc:
        return render(request, "forgot.html", status_code=429, title="Forgotten password",
                      email=email, refusal=str(exc))
    return render(request, "message.html", title="Check your email", message=answer)


async def reset(request: Request) -> Response:
    token = request.path_params["token"]
    if request.method == "GET":
        if not await run(gate(request).reset_token_valid, token):
            return render(request, "message.html", status_code=400, title="Link not valid",
                          message=rules.BAD_LINK, then="Ask for a new one.", forgot=True)
        return render(request, "reset.html", title="Choose a new password", token=token)
    form = await check_csrf(request)
    try:
        await run(gate(request).reset_password, token, _text(form, "password"),
                  _text(form, "password_confirm"), client=client(request))
    except ValidationError as exc:
        return render(request, "reset.html", status_code=400, title="Choose a new password",
                      token=token, error=problem(exc))
    except AuthenticationError as exc:
        return render(request, "message.html", status_code=400, title="Link not valid",
                      message=str(exc), then="Ask for a new one.", forgot=True)
    return clear_session(request, render(
        request, "message.html", title="Password changed", sign_in=True,
        message="Your password is changed and every session signed out. Sign in with "
                "the new password."))


# -- signed in: security and accounts --------------------------------------------------------

def _mine(request: Request) -> CustomerSecurity:
    customer(request)  # LoginRequired when nobody is signed in
    who = principal(request)
    assert who is not None
    return CustomerSecurity(request.app.state.db, who)


async def _security_page(request: Request, status: int = 200, **extra: Any) -> Response:
    mine = _mine(request)
    state = await run(mine.security)
    words = await words_for(request, customer(request))
    return render(request, "security.html", status_code=status, title="Sign-in and security",
                  words=words,
                  state=state, done=request.query_params.get("done", ""), **extra)


async def security(request: Request) -> Response:
    return await _security_page(request)


async def change_password(request: Request) -> Response:
    mine = _mine(request)
    form = await check_csrf(request)
    try:
        secret = await run(mine.change_password, _text(form, "current_password"),
                           _text(form, "password"), _text(form, "password_confirm"),
                           client=client(request))
    except ValidationError as exc:
        return await _security_page(request, 400, error=problem(exc))
    return set_session(request, see_other("/account/security?done=password"), secret)


def qr_data_uri(text: str) -> str:
    """``text`` as a QR code, an SVG in a data: URI (the CSP allows data: images)."""
    import base64
    import io

    import qrcode
    import qrcode.image.svg

    out = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8,
                border=2).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


async def totp_begin(request: Request) -> Response:
    mine = _mine(request)
    await check_csrf(request)
    try:
        setup = await run(mine.totp_begin)
    except ValidationError as exc:
        return await _security_page(request, 400, error=problem(exc))
    return await _security_page(request, setup=setup, qr=qr_data_uri(setup.uri))


async def totp_confirm(request: Request) -> Response:
    mine = _mine(request)
    form = await check_csrf(request)
    try:
        await run(mine.totp_confirm, _text(form, "code"), client=client(request))
    except ValidationError as exc:
        return await _security_page(request, 400, error=problem(exc))
    return see_other("/account/security?done=totp_on")


async def totp_disable(request: Request) -> Response:
    mine = _mine(request)
    form = await check_csrf(request)
    try:
        await run(mine.totp_disable, _text(form, "current_password"), client=client(request))
    except ValidationError as exc:
        return await _security_page(request, 400, error=problem(exc))
    return see_other("/account/security?done=totp_off")


async def revoke_all(request: Request) -> Response:
    mine = _mine(request)
    await check_csrf(request)
    await run(mine.logout_everywhere, client=client(request))
    return clear_session(request, see_other("/login?signed_out=all"))


async def add_account(request: Request) -> Response:
    mine = _mine(request)
    if request.method == "GET":
        return render(request, "account_add.html", title="Add an account", values={})
    form = await check_csrf(request)
    values = {k: _text(form, k) for k in ("account_number", "proof")}
    try:
        await run(mine.add_account, values["account_number"], values["proof"],
                  client=client(request))
    except ValidationError as exc:
        return render(request, "account_add.html", status_code=400, title="Add an account",
                      values=values, error=problem(exc))
    except AuthenticationError as exc:
        return render(request, "account_add.html", status_code=429, title="Add an account",
                      values=values, refusal=str(exc))
    return see_other("/")


routes = [
    Route("/login", login, methods=["GET", "POST"]),
    Route("/login/code", login_code, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/register", register, methods=["GET", "POST"]),
    Route("/verify/{token}", verify),
    Route("/password/forgot", forgot, methods=["GET", "POST"]),
    Route("/password/reset/{token}", reset, methods=["GET", "POST"]),
    Route("/account/security", security),
    Route("/account/password", change_password, methods=["POST"]),
    Route("/account/totp/begin", totp_begin, methods=["POST"]),
    Route("/account/totp/confirm", totp_confirm, methods=["POST"]),
    Route("/account/totp/disable", totp_disable, methods=["POST"]),
    Route("/sessions/revoke-all", revoke_all, methods=["POST"]),
    Route("/accounts/add", add_account, methods=["GET", "POST"]),
]
