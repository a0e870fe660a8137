"""The Usage page: consumption chart, insights, and the self-read form.

``GET /usage[?account=N]``: 24 billed periods as an SVG bar chart drawn here on the server
(no JavaScript; last year's same month as a thin marker beside each bar), the same figures
as a table for screen readers and small screens, the insight box (use against last year,
high use, percentile among similar accounts, projection of the period running now, saving
tips from the tariff) and the form to send a meter reading.

``POST /usage/read`` (multipart: ``account_number``, ``meter``, ``value``, optional
``photo``): through :meth:`CustomerServices.submit_self_read`; a refused reading shows the
page again with the message at its field (400), an accepted or held one redirects to the
page with a notice saying which.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ebs_desktop.domain.formatting import format_decimal, format_money, format_rate
from ebs_desktop.domain.insights import insight_sentences
from ebs_desktop.domain.registers import register_words
from ebs_desktop.errors import NotFound, ValidationError
from ebs_desktop.portal.web import check_csrf, customer, render, run, see_other
from ebs_desktop.portal.words import Words
from ebs_desktop.services.usage import PHOTO_MAX_BYTES, UsageOverview

CHART_W, CHART_H = 720, 260
PLOT_LEFT, PLOT_BOTTOM, PLOT_TOP = 48, 220, 16

#: What a reading's status and a sent reading's outcome say (``t`` gives the French).
STATUS_WORDS = {"valid": "Accepted", "confirmed": "Accepted", "pending": "Being checked",
                "rejected": "Not used"}
SENT_WORDS = {"accepted": "Thank you: your reading was accepted.",
              "held": "Thank you: your reading looks unusual, so our staff will check it "
                      "before it is used.",
              "duplicate": "We already have this reading for today."}
CHART_DESC = ("Electricity used per billing period in kWh, {first} to {last}; the dark "
              "bar beside each period is the same month a year before. The same figures are "
              "in the table below.")


class FieldError:
    """A refused input as the form shows it: the field and the sentence without its prefix."""

    def __init__(self, exc: ValidationError) -> None:
        self.location = exc.location or "value"
        text = str(exc)
        prefix = f"{exc.location}: "
        self.message = text[len(prefix):] if exc.location and text.startswith(prefix) else text

    def __str__(self) -> str:
        return self.message[:1].upper() + self.message[1:]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    last_y: float | None  # last year's marker
    last_height: float
    label: str  # short month, under the bar
    show_label: bool
    estimated: bool
    title: str  # the bar's tooltip (and accessible name inside the SVG)


@dataclass(frozen=True)
class Row:
    period: str
    kwh: str
    last_year: str
    change: str
    estimated: bool


def _period_date(period: str) -> date:
    return date(int(period[:4]), int(period[5:7]), 1)


def _nice_top(value: Decimal) -> Decimal:
    """The axis top: the next 1, 2 or 5 x 10^n at or above ``value``."""
    if value <= 0:
        return Decimal(10)
    step = Decimal(10) ** (len(str(int(value))) - 1)
    for m in (1, 2, 5, 10):
        if value <= m * step:
            return m * step
    return 10 * step


def chart(view: UsageOverview, locale: str) -> dict[str, Any]:
    """The bars and axis of the SVG, in the SVG's own units (viewBox)."""
    rows = view.rows
    if not rows:
        return {"bars": [], "ticks": []}
    top = _nice_top(max(max(r.kwh for r in rows),
                        max((r.last_year_kwh or Decimal(0)) for r in rows)))
    height = PLOT_BOTTOM - PLOT_TOP
    slot = (CHART_W - PLOT_LEFT - 8) / len(rows)
    width = slot * 0.5  # this period's bar; last year's beside it, 0.3 of the slot
    every = 1 if len(rows) <= 12 else 2

    def y_of(kwh: Decimal) -> float:
        return PLOT_BOTTOM - float(kwh / top) * height

    bars = []
    for i, r in enumerate(rows):
        x = PLOT_LEFT + i * slot + slot * 0.1
        y = y_of(r.kwh)
        month = _period_date(r.period)
        title = f"{format_date(month, 'MMMM yyyy', locale=locale)}: " \
                f"{format_decimal(r.kwh.quantize(Decimal(1)), locale)} kWh"
        last_y = y_of(r.last_year_kwh) if r.last_year_kwh is not None else None
        bars.append(Bar(round(x, 1), round(y, 1), round(width, 1),
                        round(PLOT_BOTTOM - y, 1), None if last_y is None else round(last_y, 1),
                        0 if last_y is None else round(PLOT_BOTTOM - last_y, 1),
                        format_date(month, "MMM", locale=locale),
                        (len(rows) - 1 - i) % every == 0, r.estimated, title))
    ticks = [(round(y_of(top * k / 4), 1), format_decimal(top * k / 4, locale))
             for k in range(5)]
    return {"bars": bars, "ticks": ticks, "width": CHART_W, "height": CHART_H,
            "left": PLOT_LEFT, "last_width": round(slot * 0.3, 1), "bottom": PLOT_BOTTOM,
            "right": CHART_W - 8,
            "label_y": PLOT_BOTTOM + 18}


def table(view: UsageOverview, locale: str) -> list[Row]:
    def kwh(v: Decimal | None) -> str:
        return "" if v is None else format_decimal(v.quantize(Decimal(1)), locale)

    out = []
    for r in reversed(view.rows):  # newest first, as a statement reads
        change = "" if r.change is None else (f"+{r.change} %" if r.change > 0
                                               else f"{r.change} %").replace("-", "−")
        if not locale.startswith("fr"):
            change = change.replace(" %", "%")
        out.append(Row(format_date(_period_date(r.period), "MMM yyyy", locale=locale),
                       kwh(r.kwh), kwh(r.last_year_kwh), change, r.estimated))
    return out


def sentences(view: UsageOverview) -> list[str]:
    if view.insights is None:
        return []
    locale = view.locale
    ins = replace(view.insights, projection=view.projection)
    return insight_sentences(
        ins, locale[:2], lambda m: format_money(m, locale),
        lambda r: format_rate(r, view.currency, locale),
        lambda k: format_decimal(k.quantize(Decimal(1)), locale))


async def _page(request: Request, number: str | None, *, status_code: int = 200,
                error: FieldError | None = None, form: dict[str, str] | None = None
                ) -> Response:
    me = customer(request)
    accounts = await run(me.my_accounts)
    numbers = [a.account_number for a in accounts]
    if not numbers:
        raise NotFound("no account")
    number = number or numbers[0]
    if number not in numbers:
        raise NotFound(f"no account {number!r}")
    view = await run(me.usage_overview, number)
    words = Words(view.locale)
    t = words.t
    rows = view.rows
    first = format_date(_period_date(rows[0].period), "MMMM yyyy", locale=view.locale) \
        if rows else ""
    last = format_date(_period_date(rows[-1].period), "MMMM yyyy", locale=view.locale) \
        if rows else ""
    sent = request.query_params.get("sent", "")
    serials = list(dict.fromkeys(m.serial for m in view.meters))
    codes = list(dict.fromkeys(m.register for m in view.meters))
    registers = [] if len(view.meters) == len(serials) else [  # a meter shows several
        (code, _register_label(code, t)) for code in
        sorted(codes, key=lambda c: (c != "kwh", c))]
    reads = [(format_date(r.read_on, "medium", locale=view.locale), r.meter,
              format_decimal(r.value, view.locale), t(STATUS_WORDS.get(r.status, r.status)))
             for r in view.self_reads]
    return render(request, "usage.html", status_code=status_code, title=t("Usage"),
                  **words.context(), view=view, accounts=accounts,
                  number=number, chart=chart(view, view.locale), rows=table(view, view.locale),
                  sentences=sentences(view), first=first, last=last,
                  chart_desc=t(CHART_DESC, first=first, last=last), sent_words=SENT_WORDS,
                  sent=sent if sent in ("accepted", "held", "duplicate") else "",
                  high=request.query_params.get("high") == "1", reads=reads,
                  error=error, form=form or {}, serials=serials, registers=registers)


def _register_label(code: str, t: Any) -> str:
    """``kwh`` -> "Total (kWh)", ``peak`` -> "Peak"."""
    if code == "kwh":
        return str(t("Total (kWh)"))
    return register_words(code)


async def usage(request: Request) -> Response:
    return await _page(request, request.query_params.get("account"))


async def self_read(request: Request) -> Response:
    form = await check_csrf(request)
    me = customer(request)
    number = str(form.get("account_number") or "").strip()
    if not number:
        accounts = await run(me.my_accounts)
        number = accounts[0].account_number if len(accounts) == 1 else ""
    if number not in me.principal.accounts:
        raise NotFound(f"no account {number!r}")
    meter = str(form.get("meter") or "")
    value = str(form.get("value") or "")
    register = str(form.get("register") or "").strip() or None
    upload = form.get("photo")
    photo: bytes | None = None
    if isinstance(upload, UploadFile) and upload.filename:
        photo = await upload.read(PHOTO_MAX_BYTES + 1)
        await upload.close()
    try:
        result = await run(me.submit_self_read, number, meter, value, photo or None,
                           register=register)
    except ValidationError as exc:
        return await _page(request, number, status_code=400, error=FieldError(exc),
                           form={"meter": meter, "value": value,
                                 "register": register or ""})
    query = {"account": number, "sent": result.status}
    if result.high_usage_alert:
        query["high"] = "1"
    return see_other(f"/usage?{urlencode(query)}#read")


routes = [Route("/usage", usage, methods=["GET"]),
          Route("/usage/read", self_read, methods=["POST"])]
