"""A tariff version's spec as a plain dict: the JSON in ``tariff_versions.spec`` and the
body of a ``[[versions]]`` table in a TOML file (format: resources/tariffs/README.md).

Numbers are written as strings (``"4.50"``) so that JSON and TOML keep them exact; on
reading, strings and integers are accepted and floats refused. Every error is a
:class:`ValidationError` whose location names the source and the key path
(``res1.toml: versions[1].energy.slabs[2].rate``) and whose message shows the value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ebs_desktop.domain.tariffs.dict_reader import DictReader
from ebs_desktop.domain.tariffs.model import (
    TOTAL_REGISTER,
    DemandCharge,
    DemandPeriod,
    EnergyCharge,
    EnergyPeriod,
    FixedCharge,
    LatePaymentSurcharge,
    MinimumCharge,
    PromptPaymentDiscount,
    Slab,
    SubsidyBlock,
    TariffSpec,
    Tax,
    TouDemandCharge,
    TouSchedule,
)

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _s(value: Decimal) -> str:
    return str(value)


def _slabs_out(slabs: tuple[Slab, ...]) -> list[dict[str, Any]]:
    return [({"up_to": _s(s.up_to)} if s.up_to is not None else {}) | {"rate": _s(s.rate)}
            for s in slabs]


def _hours_out(rows: tuple[tuple[int, ...], ...]) -> list[str]:
    return ["".join(_DIGITS[i] for i in row) for row in rows]


def spec_to_dict(spec: TariffSpec) -> dict[str, Any]:
    """The spec as JSON/TOML-ready data; ``spec_from_dict`` reads it back equal."""
    out: dict[str, Any] = {}
    if spec.fixed:
        out["fixed"] = [{"code": f.code, "description": f.description,
                         "amount": _s(f.amount), "per": f.per} for f in spec.fixed]
    if spec.energy is not None:
        e = spec.energy
        energy: dict[str, Any] = {"type": e.type, "limits_per": e.limits_per}
        if e.type == "tou":
            energy["periods"] = [
                {"register": p.register, "label": p.label, "slabs": _slabs_out(p.slabs)}
                for p in e.periods]
        else:
            energy["slabs"] = _slabs_out(e.periods[0].slabs)
        if e.schedule is not None:
            energy["schedule"] = {"weekday": _hours_out(e.schedule.weekday),
                                  "weekend": _hours_out(e.schedule.weekend)}
        out["energy"] = energy
    if spec.demand:
        out["demand"] = [{"code": d.code, "description": d.description, "basis": d.basis,
                          "months": list(d.months), "slabs": _slabs_out(d.slabs)}
                         for d in spec.demand]
    if spec.demand_tou is not None:
        td = spec.demand_tou
        out["demand_tou"] = {
            "code": td.code, "description": td.description,
            "periods": [{"register": p.register, "label": p.label, "slabs": _slabs_out(p.slabs)}
                        for p in td.periods],
            "schedule": {"weekday": _hours_out(td.schedule.weekday),
                         "weekend": _hours_out(td.schedule.weekend)}}
    if spec.minimum is not None:
        m = spec.minimum
        out["minimum"] = {"code": m.code, "description": m.description,
                          "amount": _s(m.amount), "per": m.per}
        if m.with_demand:  # written only when set: stored specs of older versions stay equal
            out["minimum"]["with_demand"] = True
    if spec.taxes:
        taxes = []
        for t in spec.taxes:
            item: dict[str, Any] = {"code": t.code, "description": t.description}
            if t.percent is not None:
                item |= {"percent": _s(t.percent), "base": t.base}
            if t.per_kwh is not None:
                item["per_kwh"] = _s(t.per_kwh)
            taxes.append(item)
        out["taxes"] = taxes
    if spec.subsidies:
        subs = []
        for b in spec.subsidies:
            item = {"code": b.code, "description": b.description, "kwh": _s(b.kwh),
                    "rate": _s(b.rate), "limits_per": b.limits_per,
                    "categories": list(b.categories)}
            if b.eligible_up_to is not None:
                item["eligible_up_to"] = _s(b.eligible_up_to)
            subs.append(item)
        out["subsidies"] = subs
    if spec.prompt_payment is not None:
        p = spec.prompt_payment
        out["prompt_payment"] = {"code": p.code, "description": p.description,
                                 "percent": _s(p.percent), "base": p.base}
    if spec.late_payment is not None:
        lp = spec.late_payment
        late: dict[str, Any] = {"code": lp.code, "description": lp.description,
                                "percent": _s(lp.percent), "grace_days": lp.grace_days}
        if lp.cap is not None:
            late["cap"] = _s(lp.cap)
        out["late_payment"] = late
    if spec.rounding_step is not None:
        out["rounding_step"] = _s(spec.rounding_step)
    return out


def _slab(r: DictReader) -> Slab:
    slab = Slab(rate=r.req_decimal("rate", minimum=None),
                up_to=r.decimal("up_to", required=False, minimum=Decimal(0)))
    r.done()
    return slab


def _ladder(r: DictReader) -> tuple[Slab, ...]:
    """Slabs from ``slabs = [...]`` or a single ``rate``; limits rising, last unlimited."""
    if r.has("rate") and not r.has("slabs"):
        return (Slab(rate=r.req_decimal("rate", minimum=None)),)
    slabs = r.items("slabs", _slab)
    if not slabs:
        r.fail("needs 'rate' or at least one slab", "slabs")
    previous = Decimal(0)
    for i, slab in enumerate(slabs):
        last = i == len(slabs) - 1
        if slab.up_to is None and not last:
            r.fail("only the last slab may have no 'up_to'", f"slabs[{i}].up_to")
        if slab.up_to is not None and slab.up_to <= previous:
            r.fail(f"up_to {slab.up_to} must be above the previous limit {previous}",
                   f"slabs[{i}].up_to")
        previous = slab.up_to if slab.up_to is not None else previous
    if slabs[-1].up_to is not None:
        slabs = (*slabs, Slab(rate=slabs[-1].rate))  # beyond the last limit: same rate
    return slabs


def _hours_in(r: DictReader, key: str, periods: int) -> tuple[tuple[int, ...], ...]:
    rows = r.raw(key)
    if not isinstance(rows, list) or len(rows) != 12:
        r.fail(f"expected 12 rows (one per month), got {rows!r}", key)
    out = []
    for m, row in enumerate(rows):
        cells = list(row) if isinstance(row, str | list) else None
        if cells is None or len(cells) != 24:
            r.fail(f"expected 24 hours, got {row!r}", f"{key}[{m}]")
        values = [_DIGITS.find(c) if isinstance(c, str) else c for c in cells]
        for h, v in enumerate(values):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < periods:
                r.fail(f"hour {h}: {cells[h]!r} is not a period index below {periods}",
                       f"{key}[{m}]")
        out.append(tuple(values))
    return tuple(out)


def _energy(r: DictReader) -> EnergyCharge:
    kind = r.choice("type", ("flat", "telescopic", "volume", "tou"), "telescopic")
    limits_per = r.choice("limits_per", ("month", "day"), "month")
    if kind == "tou":
        def period(p: DictReader) -> EnergyPeriod:
            result = EnergyPeriod(register=p.text("register"), label=p.text("label", ""),
                                  slabs=_ladder(p))
            p.done()
            return result
        periods = r.items("periods", period)
        if not periods:
            r.fail("a TOU tariff needs at least one period", "periods")
        names = [p.register for p in periods]
        if len(set(names)) != len(names):
            r.fail(f"registers must be distinct, got {names}", "periods")
    else:
        periods = (EnergyPeriod(register=TOTAL_REGISTER, slabs=_ladder(r)),)
        if kind == "flat" and len(periods[0].slabs) != 1:
            r.fail("a flat tariff has one 'rate'; use type = \"telescopic\" for slabs", "type")
    schedule = None
    if r.has("schedule"):
        s = r.child(r.raw("schedule"), "schedule")
        schedule = TouSchedule(weekday=_hours_in(s, "weekday", len(periods)),
                               weekend=_hours_in(s, "weekend", len(periods)))
        s.done()
    return EnergyCharge(type=kind, periods=periods, limits_per=limits_per, schedule=schedule)


def _fixed(r: DictReader) -> FixedCharge:
    f = FixedCharge(amount=r.req_decimal("amount"), per=r.choice("per", ("month", "day"), "month"),
                    code=r.text("code", "FIXED"), description=r.text("description", "Fixed charge"))
    r.done()
    return f


def _demand(r: DictReader) -> DemandCharge:
    months = r.raw("months", [])
    if not isinstance(months, list) or any(
            isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in months):
        r.fail(f"expected month numbers 1-12, got {months!r}", "months")
    d = DemandCharge(slabs=_ladder(r), basis=r.choice("basis", ("recorded", "sanctioned"),
                                                      "recorded"),
                     months=tuple(months), code=r.text("code", "DEMAND"),
                     description=r.text("description", "Demand charge"))
    r.done()
    return d


def _tou_demand(r: DictReader) -> TouDemandCharge:
    def period(p: DictReader) -> DemandPeriod:
        result = DemandPeriod(register=p.text("register"), label=p.text("label", ""),
                              slabs=_ladder(p))
        p.done()
        return result

    periods = r.items("periods", period)
    if not periods:
        r.fail("time-of-use demand needs at least one period", "periods")
    names = [p.register for p in periods]
    if len(set(names)) != len(names):
        r.fail(f"registers must be distinct, got {names}", "periods")
    s = r.child(r.raw("schedule"), "schedule")
    schedule = TouSchedule(weekday=_hours_in(s, "weekday", len(periods)),
                           weekend=_hours_in(s, "weekend", len(periods)))
    s.done()
    t = TouDemandCharge(periods=periods, schedule=schedule, code=r.text("code", "DEMAND"),
                        description=r.text("description", "Demand"))
    r.done()
    return t


def _tax(r: DictReader) -> Tax:
    t = Tax(code=r.text("code"), description=r.text("description", ""),
            percent=r.decimal("percent", required=False), base=r.choice(
                "base", ("energy", "subtotal"), "energy"),
            per_kwh=r.decimal("per_kwh", required=False))
    if (t.percent is None) == (t.per_kwh is None):
        r.fail("give exactly one of 'percent' or 'per_kwh'")
    r.done()
    return t


def _subsidy(r: DictReader) -> SubsidyBlock:
    cats = r.raw("categories", [])
    if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
        r.fail(f"expected a list of category names, got {cats!r}", "categories")
    b = SubsidyBlock(kwh=r.req_decimal("kwh"), rate=r.req_decimal("rate"),
                     limits_per=r.choice("limits_per", ("month", "day"), "month"),
                     eligible_up_to=r.decimal("eligible_up_to", required=False,
                                              minimum=Decimal(0)),
                     categories=tuple(cats), code=r.text("code", "LIFELINE"),
                     description=r.text("description", "Lifeline block"))
    r.done()
    return b


def spec_from_dict(data: object, *, source: str = "spec", path: str = "") -> TariffSpec:
    """Read and check a spec dict; errors name ``source`` and the key path."""
    r = DictReader(data, source, path)
    energy = _energy(r.child(r.raw("energy"), "energy")) if r.has("energy") else None
    minimum = prompt = late = None
    if r.has("minimum"):
        m = r.child(r.raw("minimum"), "minimum")
        minimum = MinimumCharge(amount=m.req_decimal("amount"),
                                per=m.choice("per", ("month", "day"), "month"),
                                code=m.text("code", "MINIMUM"),
                                description=m.text("description", "Minimum charge top-up"),
                                with_demand=m.flag("with_demand"))
        m.done()
    if r.has("prompt_payment"):
        p = r.child(r.raw("prompt_payment"), "prompt_payment")
        prompt = PromptPaymentDiscount(
            percent=p.req_decimal("percent"), base=p.choice("base", ("energy", "subtotal"),
                                                            "energy"),
            code=p.text("code", "REBATE"), description=p.text("description",
                                                              "Prompt-payment rebate"))
        p.done()
    if r.has("late_payment"):
        lr = r.child(r.raw("late_payment"), "late_payment")
        late = LatePaymentSurcharge(
            percent=lr.req_decimal("percent"), grace_days=lr.integer("grace_days", 0),
            cap=lr.decimal("cap", required=False, minimum=Decimal(0)),
            code=lr.text("code", "LATE"),
            description=lr.text("description", "Late payment surcharge"))
        lr.done()
    spec = TariffSpec(
        fixed=r.items("fixed", _fixed), energy=energy, demand=r.items("demand", _demand),
        minimum=minimum,
        demand_tou=_tou_demand(r.child(r.raw("demand_tou"), "demand_tou"))
        if r.has("demand_tou") else None,
        taxes=r.items("taxes", _tax), subsidies=r.items("subsidies", _subsidy),
        prompt_payment=prompt, late_payment=late,
        rounding_step=r.decimal("rounding_step", required=False))
    if spec.rounding_step is not None and spec.rounding_step <= 0:
        r.fail(f"{spec.rounding_step} must be positive", "rounding_step")
    r.done()
    return spec
