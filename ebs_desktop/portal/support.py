"""Help and requests (issue 21, point 6): the customer's service requests in the portal.

* ``GET /support``: their requests, latest activity first, and the way to ask for help;
* ``GET/POST /support/new``: a new request: ``account_number`` (a choice when the login
  holds several accounts), ``topic``, ``message``, an optional file ``photo``;
* ``GET/POST /support/{id}``: the thread; POST ``message`` (and maybe ``photo``) replies;
* ``GET /support/{id}/photos/{message_id}``: a photo of that thread, to its owner only
  (staff see photos on the desktop). Served as the re-encoded image with its own type.

Everything goes through the customer's facade: another customer's request id is the same
404 as one that does not exist. Bad input shows the form again, with what was typed and
the message next to the field, status 400; nothing is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.domain.photos import MAX_BYTES
from ebs_desktop.domain.support import MAX_MESSAGE, TOPIC_WORDS, TOPICS
from ebs_desktop.errors import ValidationError
from ebs_desktop.portal.web import check_csrf, customer, render, run, see_other
from ebs_desktop.portal.words import translator

# what each status means to the customer (staff read "Open", "Waiting on customer"...)
CUSTOMER_STATUS = {"open": "With us", "waiting": "Waiting for your reply",
                   "answered": "Answered", "closed": "Closed"}

def _when(place: Any) -> Any:
    zone = ZoneInfo(place.timezone)

    def when(value: datetime) -> str:
        """``Jul 3, 2026 6:00 AM`` / ``3 juil. 2026 06:00``, in the utility's time zone."""
        local = value.astimezone(zone)
        return (f"{format_date(local, 'medium', locale=place.locale)} "
                f"{format_time(local, 'short', locale=place.locale)}")
    return when


def _context(place: Any, **extra: Any) -> dict[str, Any]:
    return {"lang": place.locale[:2], "t": translator(place.locale), "when": _when(place),
            "status_words": CUSTOMER_STATUS,
            "topic_words": TOPIC_WORDS, "topics": TOPICS, "max_message": MAX_MESSAGE,
            "max_photo_mb": MAX_BYTES // 1024 // 1024, **extra}


# a form with a photo: the photo's limit and room for the message and the multipart framing
MAX_BODY = MAX_BYTES + 256 * 1024


async def _checked_form(request: Request) -> dict[str, Any]:
    """The POSTed form after its CSRF check; a body announced larger than a photo and a
    message can be is refused (413) before any of it is read or spooled to disk. (A
    chunked body has no length to announce: the reverse proxy's body limit is the bound.)"""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise HTTPException(413, f"That is too large to send: a photo may be at most "
                                 f"{MAX_BYTES // 1024 // 1024} MB. Go back and choose a "
                                 f"smaller one.")
    return await check_csrf(request)


async def _photo(form: dict[str, Any]) -> bytes | None:
    """The uploaded photo's bytes (None when no file was chosen), read no further than
    one byte past the limit (the service refuses what is larger)."""
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    data = await upload.read(MAX_BYTES + 1)
    return data or None


def _problem(exc: ValidationError) -> dict[str, str]:
    text = str(exc)
    if exc.location:
        text = text.removeprefix(f"{exc.location}: ")
    return {"field": exc.location or "", "text": text[:1].upper() + text[1:]}


async def requests_page(request: Request) -> Response:
    me = customer(request)
    place = await run(me.support_place)
    rows = await run(me.support_requests)
    return render(request, "support_list.html", title=translator(place.locale)(
                      "Help and requests"),
                  requests=rows, **_context(place))


async def new_request(request: Request) -> Response:
    me = customer(request)
    place = await run(me.support_place)
    accounts = await run(me.my_accounts)
    values: dict[str, Any] = {"account_number": request.query_params.get("account", ""),
                              "topic": request.query_params.get("topic", ""), "message": ""}
    problem = None
    status = 200
    if request.method == "POST":
        form = await _checked_form(request)
        values = {k: str(form.get(k) or "") for k in ("account_number", "topic", "message")}
        if len(accounts) == 1 and not values["account_number"]:
            values["account_number"] = accounts[0].account_number
        try:
            photo = await _photo(form)
            opened = await run(me.open_support_request, values["account_number"],
                               values["topic"], values["message"], photo)
        except ValidationError as exc:
            problem, status = _problem(exc), 400
        else:
            return see_other(f"/support/{opened.request_id}?sent=1")
    return render(request, "support_new.html", status_code=status,
                  title=translator(place.locale)("New request"),
                  accounts=accounts, values=values, problem=problem, **_context(place))


async def thread_page(request: Request) -> Response:
    me = customer(request)
    request_id = int(request.path_params["request_id"])
    place = await run(me.support_place)
    problem = None
    status = 200
    typed = ""
    if request.method == "POST":
        form = await _checked_form(request)
        typed = str(form.get("message") or "")
        try:
            photo = await _photo(form)
            await run(me.reply_support_request, request_id, typed, photo)
        except ValidationError as exc:
            problem, status = _problem(exc), 400
        else:
            return see_other(f"/support/{request_id}?sent=1#latest")
    thread = await run(me.support_request, request_id)
    return render(request, "support_thread.html", status_code=status,
                  title=translator(place.locale)("Request {number}",
                                                 number=thread.request.number),
                  thread=thread, problem=problem,
                  typed=typed, sent=request.query_params.get("sent") == "1",
                  **_context(place))


async def photo(request: Request) -> Response:
    me = customer(request)
    kind, data = await run(me.support_photo, int(request.path_params["request_id"]),
                           int(request.path_params["message_id"]))
    return Response(data, media_type=kind,
                    headers={"content-disposition": "inline",
                             "cache-control": "private, no-store"})


routes = [
    Route("/support", requests_page, methods=["GET"]),
    Route("/support/new", new_request, methods=["GET", "POST"]),
    Route("/support/{request_id:int}", thread_page, methods=["GET", "POST"]),
    Route("/support/{request_id:int}/photos/{message_id:int}", photo, methods=["GET"]),
]
