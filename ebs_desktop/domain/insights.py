"""Usage insights for a customer: pure arithmetic over billed periods and the tariff.

What a customer is told about their own consumption (the portal's Usage page and the
insight box printed on the bill):

* **Year on year**: each billed period (``YYYY-MM``) beside the same month a year before,
  with the change in whole percent (half up): 412 kWh against 349 kWh is +18 %.
* **Percentile among similar accounts**: the share of comparable accounts (same category,
  same tariff, same sanctioned-load band, see :data:`LOAD_BANDS`) that used *less* in the
  same period, counting ties as half (the mid-rank rule, so an account in a group of
  identical users sits at 50, not at 0 or 100). Worked example: 10 accounts, 6 below,
  1 equal (the account itself) -> (6 + 1/2) / 10 = 65 %. Fewer than
  :data:`MIN_GROUP` accounts give no percentile: a comparison with three neighbours says
  more about them than about the customer.
* **High usage**: a period above ``factor`` (1.5) times the account's *usual* use, the
  median of up to 12 earlier actual (not estimated) periods, with at least 3 of them.
  The median, not the mean, so one winter with a broken heater does not make every later
  winter look normal.
* **Projection**: the kWh used since the last bill, spread evenly over the days read so
  far, carried to the end of the period (``so_far / days_read * days_in_period``, rounded
  to whole kWh half up) and priced through the same calculation as a bill
  (:func:`ebs_desktop.domain.billcalc.calculate_bill`).
* **Saving suggestions** read off the tariff: which time-of-use hours cost most, where a
  block ladder's price rises, demand charges, the prompt-payment rebate, the lifeline block.

Everything is Decimal or integers; money comes out of the bill calculation as Money.
Texts are in English and French (:func:`tip_text`, :func:`insight_sentences`), numbers
formatted by the caller's functions (Babel in the portal, the bill's own on paper).
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ebs_desktop.domain.billcalc import AccountFacts, Usage, calculate_bill
from ebs_desktop.domain.money import Money
from ebs_desktop.domain.tariffs.model import TariffSpec, TariffVersion
from ebs_desktop.errors import EbsError

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MIN_GROUP = 5  # fewer comparable accounts: no percentile
HIGH_FACTOR = Decimal("1.5")
MIN_HISTORY = 3
HISTORY_PERIODS = 12
#: Sanctioned-load bands (kW, lower bound inclusive): accounts compare within one band.
LOAD_BANDS: tuple[Decimal, ...] = tuple(Decimal(x) for x in
                                        (0, 3, 5, 10, 20, 50, 100, 500, 1000))


def period_shift(period: str, months: int) -> str:
    """``"2026-03"`` shifted by ``months`` (negative: back): ``period_shift("2026-03", -12)``
    is ``"2025-03"``."""
    year, month = int(period[:4]), int(period[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def change_percent(now: Decimal, before: Decimal | None) -> int | None:
    """``now`` against ``before`` in whole percent, half up; None without a base to compare."""
    if before is None or before <= 0:
        return None
    return int(((now - before) * HUNDRED / before).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class PeriodUse:
    period: str  # YYYY-MM
    kwh: Decimal
    estimated: bool = False


@dataclass(frozen=True, slots=True)
class YearOnYear:
    period: str
    kwh: Decimal
    estimated: bool
    last_year_kwh: Decimal | None
    change: int | None  # percent, None without last year's period


def year_on_year(points: Sequence[PeriodUse], periods: int = 24) -> list[YearOnYear]:
    """The last ``periods`` of ``points`` (any order), oldest first, each with last year's."""
    by_period = {p.period: p for p in points}
    ordered = sorted(by_period)[-periods:]
    out = []
    for period in ordered:
        p = by_period[period]
        last = by_period.get(period_shift(period, -12))
        before = last.kwh if last is not None else None
        out.append(YearOnYear(period, p.kwh, p.estimated, before, change_percent(p.kwh, before)))
    return out


def load_band(kw: Decimal) -> tuple[Decimal, Decimal | None]:
    """The band ``[low, high)`` of a sanctioned load; the last band has no upper bound."""
    low = LOAD_BANDS[0]
    for bound in LOAD_BANDS[1:]:
        if kw < bound:
            return low, bound
        low = bound
    return low, None


def percentile(below: int, equal: int, total: int) -> int | None:
    """Mid-rank percentile, whole percent half up (see the module docstring)."""
    if total < MIN_GROUP or below < 0 or equal < 0 or below + equal > total:
        return None
    share = (Decimal(below) + Decimal(equal) / 2) * HUNDRED / Decimal(total)
    return int(share.to_integral_value(ROUND_HALF_UP))


EXACT_UP_TO = 200  # a group this small keeps every value: its percentile is exact
QUANTILE_STEPS = 100


def summarise(values: Iterable[Decimal | int]) -> tuple[int, tuple[Decimal, ...]]:
    """A comparison group kept small: (how many, points). Up to :data:`EXACT_UP_TO`
    values the points are the values themselves, sorted; above, the 101 percentiles
    p0..p100 (linear between ranks, to 0.001 kWh), enough for a whole-percent answer."""
    ordered = sorted(Decimal(v) for v in values)
    n = len(ordered)
    if n <= EXACT_UP_TO:
        return n, tuple(ordered)
    points = []
    for k in range(QUANTILE_STEPS + 1):
        rank = Decimal(k * (n - 1)) / QUANTILE_STEPS
        low = int(rank)
        frac = rank - low
        value = ordered[low] if frac == 0 else (
            ordered[low] + (ordered[low + 1] - ordered[low]) * frac)
        points.append(value.quantize(Decimal("0.001"), ROUND_HALF_UP))
    return n, tuple(points)


def percentile_in(count: int, points: Sequence[Decimal], kwh: Decimal) -> int | None:
    """Where ``kwh`` sits in a group summarised by :func:`summarise`: exactly the mid-rank
    :func:`percentile` for a small group; for a large one the position among p0..p100
    (between two percentiles in proportion, ties at their middle), whole percent."""
    if count < MIN_GROUP or not points:
        return None
    below, upto = bisect_left(points, kwh), bisect_right(points, kwh)
    if len(points) == count:
        return percentile(below, upto - below, count)
    last = len(points) - 1
    if upto > below:
        position = Decimal(below + upto - 1) / 2
    elif below == 0:
        position = Decimal(0)
    elif below > last:
        position = Decimal(last)
    else:
        a, b = points[below - 1], points[below]
        position = below - 1 + (kwh - a) / (b - a)
    return int((position * 100 / last).to_integral_value(ROUND_HALF_UP))


def usual_use(history: Sequence[Decimal]) -> Decimal | None:
    """The median of the last :data:`HISTORY_PERIODS` periods; None with too few."""
    recent = list(history)[-HISTORY_PERIODS:]
    if len(recent) < MIN_HISTORY:
        return None
    ordered = sorted(recent)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


@dataclass(frozen=True, slots=True)
class HighUsage:
    kwh: Decimal
    usual_kwh: Decimal
    times: Decimal  # kwh / usual, to one decimal half up


def high_usage(kwh: Decimal, history: Sequence[Decimal],
               factor: Decimal = HIGH_FACTOR) -> HighUsage | None:
    """A period well above the account's usual use (``history``: earlier actual periods,
    oldest first), or None."""
    usual = usual_use(history)
    if usual is None or usual <= 0 or kwh <= usual * factor:
        return None
    return HighUsage(kwh, usual, (kwh / usual).quantize(Decimal("0.1"), ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Projection:
    period_start: date
    period_end: date
    last_read_on: date
    kwh_so_far: Decimal
    kwh: Decimal  # projected for the whole period
    amount: Money | None  # the bill for ``kwh``; None when the tariff cannot price it


def project_kwh(kwh_so_far: Decimal, start: date, last_read_on: date, end: date) -> Decimal:
    """Use so far carried to the period's end at the same daily rate, whole kWh half up.

    ``start..last_read_on`` (both inclusive) are the days read; a period read to its end
    projects exactly what was used."""
    if last_read_on < start or end < start:
        raise ValueError("the reading is before the period starts")
    days_read = (last_read_on - start).days + 1
    days = (end - start).days + 1
    if days_read >= days:
        return kwh_so_far.to_integral_value(ROUND_HALF_UP)
    return (kwh_so_far * days / days_read).to_integral_value(ROUND_HALF_UP)


MONTH_DAYS = Decimal("30.4375")  # 365.25 / 12


def per_month(kwh: Decimal, days: int) -> Decimal:
    """``kwh`` over ``days`` as a month's worth, to compare a long or short period with
    monthly bills: 120 kWh in 15 days is 243.5 kWh a month."""
    if days <= 0:
        raise ValueError("a period has at least one day")
    return kwh * MONTH_DAYS / days


def next_period_end(previous_end: date) -> date:
    """When the period after one ending ``previous_end`` ends: a month later, a month's
    last day staying the last day (31 May -> 30 June; 14 June -> 14 July)."""
    year, month0 = divmod(previous_end.year * 12 + previous_end.month, 12)  # month + 1
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    at_end = previous_end.day == calendar.monthrange(previous_end.year,
                                                     previous_end.month)[1]
    return date(year, month, last if at_end else min(previous_end.day, last))


def project(versions: Sequence[TariffVersion], start: date, end: date, last_read_on: date,
            kwh_so_far: Decimal, facts: AccountFacts, currency: str,
            cash_step: Money | None = None) -> Projection:
    """The projection and its price under the tariff (see the module docstring)."""
    kwh = project_kwh(kwh_so_far, start, last_read_on, end)
    amount: Money | None
    try:
        amount = calculate_bill(versions, start, end, Usage(kwh), facts, currency,
                                cash_step).total
    except (EbsError, ValueError, KeyError):  # e.g. a TOU tariff needs registers we lack
        amount = None
    return Projection(start, end, last_read_on, kwh_so_far, kwh, amount)


# -- saving suggestions from the tariff -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Tip:
    """One suggestion: ``code`` picks the words, the rest fills them in."""

    code: str  # tou, ladder, volume, demand, prompt, lifeline
    rates: tuple[Decimal, ...] = ()  # per kWh (per kW for demand), major units
    kwh: tuple[Decimal, ...] = ()
    labels: tuple[str, ...] = ()  # TOU period names, or hour ranges


def _hours(schedule_row: Sequence[int], index: int) -> str:
    """Hours of the day where ``index`` applies: ``17:00-21:00`` (ranges joined by ', ')."""
    spans: list[str] = []
    hour = 0
    while hour < 24:
        if schedule_row[hour] == index:
            begin = hour
            while hour < 24 and schedule_row[hour] == index:
                hour += 1
            spans.append(f"{begin:02d}:00-{hour:02d}:00")
        else:
            hour += 1
    return ", ".join(spans)


def saving_tips(spec: TariffSpec, month: int = 1) -> list[Tip]:
    """What the tariff rewards, most valuable first; ``month`` (1-12) picks the TOU hours."""
    tips: list[Tip] = []
    energy = spec.energy
    if energy is not None and energy.type == "tou" and len(energy.periods) > 1:
        priced = [(p.slabs[0].rate, i, p) for i, p in enumerate(energy.periods) if p.slabs]
        high = max(priced, key=lambda t: (t[0], -t[1]))
        low = min(priced, key=lambda t: (t[0], t[1]))
        if high[0] > low[0]:
            names = [high[2].label or high[2].register, low[2].label or low[2].register]
            if energy.schedule is not None:
                row = energy.schedule.weekday[(month - 1) % 12]
                names += [_hours(row, high[1]), _hours(row, low[1])]
            tips.append(Tip("tou", (high[0], low[0]), (), tuple(names)))
    elif energy is not None and energy.type == "telescopic" and energy.periods:
        slabs = energy.periods[0].slabs
        if len(slabs) > 1 and slabs[0].up_to is not None and slabs[1].rate > slabs[0].rate:
            tips.append(Tip("ladder", (slabs[0].rate, slabs[1].rate), (slabs[0].up_to,)))
    elif energy is not None and energy.type == "volume" and energy.periods:
        slabs = energy.periods[0].slabs
        if len(slabs) > 1 and slabs[0].up_to is not None:
            tips.append(Tip("volume", (slabs[0].rate, slabs[1].rate), (slabs[0].up_to,)))
    if any(d.basis == "recorded" for d in spec.demand) or spec.demand_tou is not None:
        tips.append(Tip("demand"))
    if spec.prompt_payment is not None:
        tips.append(Tip("prompt", (spec.prompt_payment.percent,)))
    for sub in spec.subsidies:
        if sub.eligible_up_to is not None:
            tips.append(Tip("lifeline", (sub.rate,), (sub.kwh, sub.eligible_up_to)))
            break
    return tips


Fmt = Callable[[Decimal], str]

_TIPS = {
    "en": {
        "tou": "Electricity costs most in the {0} hours ({r0} a kWh) and least in the {1} "
               "hours ({r1} a kWh): run the washing machine, dishwasher and water heater "
               "in the {1} hours.",
        "tou_hours": "Electricity costs most from {2} on weekdays ({r0} a kWh) and least "
                     "from {3} ({r1} a kWh): run the washing machine, dishwasher and water "
                     "heater then.",
        "ladder": "The first {k0} kWh of a month cost {r0} each; above that every kWh costs "
                  "{r1}. Keeping under {k0} kWh saves the most.",
        "volume": "All your kWh are charged at the price of the block you reach: staying "
                  "under {k0} kWh keeps every kWh at {r0} instead of {r1}.",
        "demand": "Part of your bill is your highest demand in kW: avoid running heavy "
                  "appliances at the same time.",
        "prompt": "Pay by the due date to earn a {p0}% rebate on your next bill.",
        "lifeline": "Households using no more than {k1} kWh a month pay only {r0} for "
                    "their first {k0} kWh.",
    },
    "fr": {
        "tou": "L'électricité coûte le plus cher aux heures {0} ({r0} le kWh) et le moins "
               "aux heures {1} ({r1} le kWh) : faites tourner lave-linge, lave-vaisselle et "
               "chauffe-eau aux heures {1}.",
        "tou_hours": "L'électricité coûte le plus cher de {2} en semaine ({r0} le kWh) et le "
                     "moins de {3} ({r1} le kWh) : faites tourner lave-linge, lave-vaisselle "
                     "et chauffe-eau à ces heures-là.",
        "ladder": "Les {k0} premiers kWh du mois coûtent {r0} chacun ; au-delà, chaque kWh "
                  "coûte {r1}. Rester sous {k0} kWh est le plus économique.",
        "volume": "Tous vos kWh sont facturés au prix de la tranche atteinte : rester sous "
                  "{k0} kWh garde chaque kWh à {r0} au lieu de {r1}.",
        "demand": "Une partie de votre facture dépend de votre puissance maximale en kW : "
                  "évitez de faire fonctionner les gros appareils en même temps.",
        "prompt": "Payez avant l'échéance pour obtenir une remise de {p0} % sur votre "
                  "prochaine facture.",
        "lifeline": "Les foyers consommant au plus {k1} kWh par mois ne paient que {r0} "
                    "pour leurs {k0} premiers kWh.",
    },
}


def _number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}"


def tip_text(tip: Tip, language: str, rate: Fmt, kwh: Fmt = _number) -> str:
    """The suggestion in ``language`` (``en`` or ``fr``; others fall back to English)."""
    words = _TIPS.get(language[:2], _TIPS["en"])
    code = "tou_hours" if tip.code == "tou" and len(tip.labels) == 4 and all(
        tip.labels[2:]) else tip.code
    values = {f"r{i}": rate(r) for i, r in enumerate(tip.rates)}
    values |= {f"k{i}": kwh(k) for i, k in enumerate(tip.kwh)}
    values |= {f"p{i}": _number(p) for i, p in enumerate(tip.rates)}
    return words[code].format(*tip.labels, **values)


# -- the insight box ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Insights:
    """Everything the insight box says about one period of one account."""

    period: str
    kwh: Decimal
    last_year_kwh: Decimal | None = None
    change: int | None = None
    high: HighUsage | None = None
    percentile: int | None = None
    projection: Projection | None = None
    tips: tuple[Tip, ...] = ()


_SAYS = {
    "en": {
        "yoy_up": "You used {kwh} kWh, {pct}% more than in the same period last year "
                  "({last} kWh).",
        "yoy_down": "You used {kwh} kWh, {pct}% less than in the same period last year "
                    "({last} kWh).",
        "yoy_same": "You used {kwh} kWh, the same as in the same period last year.",
        "use": "You used {kwh} kWh in this period.",
        "high": "That is {times} times your usual use ({usual} kWh): check for a heater, "
                "pump or appliance left running.",
        "pct": "You used more than {pct}% of similar accounts (same category, tariff and "
               "load).",
        "projection": "At this rate this period comes to about {kwh} kWh, a bill of about "
                      "{amount}.",
        "projection_kwh": "At this rate this period comes to about {kwh} kWh.",
    },
    "fr": {
        "yoy_up": "Vous avez consommé {kwh} kWh, {pct} % de plus qu'à la même période l'an "
                  "dernier ({last} kWh).",
        "yoy_down": "Vous avez consommé {kwh} kWh, {pct} % de moins qu'à la même période "
                    "l'an dernier ({last} kWh).",
        "yoy_same": "Vous avez consommé {kwh} kWh, autant qu'à la même période l'an dernier.",
        "use": "Vous avez consommé {kwh} kWh sur cette période.",
        "high": "C'est {times} fois votre consommation habituelle ({usual} kWh) : vérifiez "
                "qu'aucun chauffage, pompe ou appareil ne reste allumé.",
        "pct": "Vous avez consommé plus que {pct} % des comptes comparables (même catégorie, "
               "tarif et puissance).",
        "projection": "À ce rythme, cette période atteindra environ {kwh} kWh, soit une "
                      "facture d'environ {amount}.",
        "projection_kwh": "À ce rythme, cette période atteindra environ {kwh} kWh.",
    },
}


def insight_sentences(ins: Insights, language: str, money: Callable[[Money], str],
                      rate: Fmt, kwh: Fmt = _number, tips: int = 3) -> list[str]:
    """The box as sentences: use against last year, high use, percentile, projection, tips."""
    says = _SAYS.get(language[:2], _SAYS["en"])
    out = []
    if ins.change is None or ins.last_year_kwh is None:
        out.append(says["use"].format(kwh=kwh(ins.kwh)))
    elif ins.change == 0:
        out.append(says["yoy_same"].format(kwh=kwh(ins.kwh)))
    else:
        key = "yoy_up" if ins.change > 0 else "yoy_down"
        out.append(says[key].format(kwh=kwh(ins.kwh), pct=abs(ins.change),
                                    last=kwh(ins.last_year_kwh)))
    if ins.high is not None:
        out.append(says["high"].format(times=_number(ins.high.times),
                                       usual=kwh(ins.high.usual_kwh.to_integral_value(
                                           ROUND_HALF_UP))))
    if ins.percentile is not None:
        out.append(says["pct"].format(pct=ins.percentile))
    if ins.projection is not None:
        p = ins.projection
        if p.amount is not None:
            out.append(says["projection"].format(kwh=kwh(p.kwh), amount=money(p.amount)))
        else:
            out.append(says["projection_kwh"].format(kwh=kwh(p.kwh)))
    out += [tip_text(t, language, rate, kwh) for t in ins.tips[:tips]]
    return out


def period_insights(period: str, points: Sequence[PeriodUse], spec: TariffSpec | None = None,
                    *, percentile_: int | None = None,
                    projection: Projection | None = None) -> Insights:
    """The insights of ``period`` from the account's billed periods (``points``, any order,
    ``period`` among them); earlier periods only make the history."""
    by_period = {p.period: p for p in points}
    now = by_period[period]
    last = by_period.get(period_shift(period, -12))
    history = [by_period[p].kwh for p in sorted(by_period)
               if p < period and not by_period[p].estimated]
    tips = tuple(saving_tips(spec, int(period[5:7]))) if spec is not None else ()
    before = last.kwh if last is not None else None
    return Insights(period, now.kwh, before, change_percent(now.kwh, before),
                    high_usage(now.kwh, history), percentile_, projection, tips)
