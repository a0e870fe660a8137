"""``/profile``: contact details, paperless bills, how we tell you, quiet hours, language.

The form (field names are a contract with the browser tests): ``email``, ``phone``,
``paperless`` (a checkbox, "on"), ``channel_<kind>`` per kind of notification (``email``,
``sms``, ``both`` or ``none``; a notice the law requires offers no "none"), ``quiet_from``
and ``quiet_to`` (HH:MM), ``language`` (``en``, ``fr`` or empty for the utility's), and
``account_number`` hidden when the login holds several accounts (``?account=`` chooses
which one the page shows). The checks are the counter's
(:mod:`ebs_desktop.services.customer_profile`); a refusal shows the form again, as typed,
with the message beside its field and nothing changed. A change is audited with the
client's address as the portal sees it (:func:`client_ip`).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.domain.notifications import Kind
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.portal.web import check_csrf, config, customer, render, run, see_other
from ebs_desktop.portal.words import Words, words_for
from ebs_desktop.services.customer_profile import CustomerProfile, ProfileChange

CHANNEL_VALUES: dict[str, list[str]] = {"email": ["email"], "sms": ["sms"],
                                        "both": ["email", "sms"], "none": []}


def channel_value(channels: tuple[str, ...]) -> str:
    """The select's value for a choice of channels."""
    for value, wanted in CHANNEL_VALUES.items():
        if tuple(wanted) == tuple(channels):
            return value
    return "both"


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last
    address in ``X-Forwarded-For`` that is not one of the trusted proxies."""
    peer = request.client.host if request.client else ""
    trusted = set(config(request).trusted_proxies)
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")
            if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer


def _form_values(profile: CustomerProfile) -> dict[str, str]:
    values = {"email": profile.email, "phone": profile.phone,
              "paperless": "on" if profile.paperless else "",
              "quiet_from": profile.quiet_hours[0] if profile.quiet_hours else "",
              "quiet_to": profile.quiet_hours[1] if profile.quiet_hours else "",
              "language": (profile.language or "")[:2]}
    for k in profile.kinds:
        values[f"channel_{k.kind}"] = channel_value(k.channels)
    return values


async def _page(request: Request, profile: CustomerProfile, numbers: list[str],
                words: Words, *, values: dict[str, str] | None = None,
                error: ValidationError | None = None, saved: bool = False) -> Response:
    field = error.location if error is not None else None
    message = None
    if error is not None:
        message = str(error).removeprefix(f"{field}: ") if field else str(error)
    return render(request, "profile.html", status_code=400 if error else 200, p=profile,
                  numbers=numbers, values=values or _form_values(profile),
                  error_field=field, error=message, saved=saved, channel_values=CHANNEL_VALUES,
                  **words.context())


def _chosen_account(numbers: list[str], wanted: str | None) -> str:
    if wanted is None or wanted == "":
        if not numbers:
            raise NotFound("no account")
        return numbers[0]
    if wanted not in numbers:
        raise NotFound(f"no account {wanted!r}")
    return wanted


async def profile_page(request: Request) -> Response:
    me = customer(request)
    numbers = [a.account_number for a in await run(me.my_accounts)]
    if not numbers:  # nothing to set up yet: the home page says how to add an account
        return see_other("/")
    number = _chosen_account(numbers, request.query_params.get("account"))
    profile = await run(me.profile, number)
    words = await words_for(request, me)
    return await _page(request, profile, numbers, words,
                       saved=request.query_params.get("saved") == "1")


def _text(form: dict[str, Any], name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise ValidationError("expected text", location=name)
    if len(value) > limit:
        raise ValidationError(f"is {len(value)} characters long (at most {limit})",
                              location=name)
    return value


def _change(form: dict[str, Any]) -> ProfileChange:
    channels: dict[str, list[str]] = {}
    for kind in Kind:
        name = f"channel_{kind.value}"
        if name not in form:
            continue
        value = _text(form, name, 8)
        if value not in CHANNEL_VALUES:
            raise ValidationError(f"{value!r} is not a choice (email, sms, both or none)",
                                  location=name)
        channels[kind.value] = CHANNEL_VALUES[value]
    language = _text(form, "language", 8) if "language" in form else None
    return ProfileChange(email=_text(form, "email"), phone=_text(form, "phone", 40),
                         paperless=form.get("paperless") == "on", channels=channels,
                         quiet_hours=(_text(form, "quiet_from", 8), _text(form, "quiet_to", 8)),
                         language=language)


async def profile_save(request: Request) -> Response:
    form = await check_csrf(request)
    me = customer(request)
    numbers = [a.account_number for a in await run(me.my_accounts)]
    wanted = form.get("account_number")
    if len(numbers) > 1 and not (isinstance(wanted, str) and wanted):
        raise HTTPException(400, "Choose the account to change, then save again.")
    number = _chosen_account(numbers, wanted if isinstance(wanted, str) else None)
    try:
        change = _change(form)
        await run(me.update_profile, number, change, client_ip=client_ip(request))
    except ValidationError as exc:
        profile = await run(me.profile, number)
        words = await words_for(request, me)
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        values.setdefault("paperless", "")
        return await _page(request, profile, numbers, words, values=values, error=exc)
    query = f"?account={number}&saved=1" if len(numbers) > 1 else "?saved=1"
    return see_other(f"/profile{query}")


routes = [
    Route("/profile", profile_page, methods=["GET"], name="profile"),
    Route("/profile", profile_save, methods=["POST"], name="profile_save"),
]
