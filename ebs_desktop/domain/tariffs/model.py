"""Tariffs as immutable, effective-dated data.

A tariff (``RES-1``) belongs to a customer category and has versions; a change of prices is a
new :class:`TariffVersion` with a later ``effective_from``, never an edit, so an old bill can
always be recomputed under the prices it was issued with. A version's :class:`TariffSpec`
holds every component; :mod:`ebs_desktop.domain.tariffs.spec_dict` turns it into the plain
dict stored as JSON in ``tariff_versions.spec`` and written to TOML files.

All numbers are ``Decimal`` (rates, limits) in the tariff's currency major units; nothing
here rounds. Units: energy limits and rates per kWh, demand per kW, fixed and minimum
charges per month or per day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Per = Literal["month", "day"]
EnergyType = Literal["flat", "telescopic", "volume", "tou"]
DemandBasis = Literal["recorded", "sanctioned"]
TaxBase = Literal["energy", "subtotal"]
Pricing = Literal["telescopic", "volume"]

TOTAL_REGISTER = "total"


@dataclass(frozen=True, slots=True)
class Slab:
    """A block of a ladder: units up to ``up_to`` (``None``: no limit) at ``rate``."""

    rate: Decimal
    up_to: Decimal | None = None


@dataclass(frozen=True, slots=True)
class FixedCharge:
    """A standing charge per month or per day; prorated by days for partial months."""

    amount: Decimal
    per: Per = "month"
    code: str = "FIXED"
    description: str = "Fixed charge"


@dataclass(frozen=True, slots=True)
class EnergyPeriod:
    """A TOU register's price ladder (one slab for a flat price per register)."""

    register: str
    slabs: tuple[Slab, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class TouSchedule:
    """12 months x 24 hours of period indexes (into ``EnergyCharge.periods``).

    Used only when a meter records the total: the total is split over the periods by the
    share of hours each period has in the billing days (weekday or weekend schedule).
    """

    weekday: tuple[tuple[int, ...], ...]
    weekend: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class EnergyCharge:
    """Energy pricing.

    ``flat``/``telescopic``/``volume`` have one period on register ``total``; ``tou`` has one
    period per register. Slab limits count the *total* consumption of the period (NREL SAM's
    rule): with several periods, each period's kWh is spread over the slabs in proportion to
    its share of the total. ``telescopic``: each slab at its own rate; ``volume``: all units
    at the rate of the slab reached. ``limits_per`` ``month`` scales limits by the month
    factor of the billing period, ``day`` multiplies them by its days.
    """

    type: EnergyType
    periods: tuple[EnergyPeriod, ...]
    limits_per: Per = "month"
    schedule: TouSchedule | None = None

    @property
    def pricing(self) -> Pricing:
        return "volume" if self.type == "volume" else "telescopic"


@dataclass(frozen=True, slots=True)
class DemandCharge:
    """Per kW of recorded maximum demand or of sanctioned load, as a ladder of slabs.

    ``months`` (1-12) limits a seasonal charge to those months; empty means every month.
    The charge is monthly and prorated like a fixed charge for partial months.
    """

    slabs: tuple[Slab, ...]
    basis: DemandBasis = "recorded"
    months: tuple[int, ...] = ()
    code: str = "DEMAND"
    description: str = "Demand charge"


@dataclass(frozen=True, slots=True)
class DemandPeriod:
    """A time-of-use demand period: its ladder prices the highest kW recorded in its hours,
    which the meter keeps in demand register ``register`` (URDB imports: ``d0``, ``d1``...)."""

    register: str
    slabs: tuple[Slab, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class TouDemandCharge:
    """Time-of-use demand, as NREL SAM prices URDB's ``demandratestructure``.

    ``schedule`` (12 months x 24 hours, weekday and weekend) names the period of each hour.
    In each calendar month every period that the month's two schedule rows use is charged
    on its own: the period's highest kW (its register) through the period's ladder (tiers
    per period, not shared). Monthly, prorated by the month factor of the months where the
    period occurs, like :class:`DemandCharge`.
    """

    periods: tuple[DemandPeriod, ...]
    schedule: TouSchedule
    code: str = "DEMAND"
    description: str = "Demand"

    def months_of(self, index: int) -> tuple[int, ...]:
        """The months (1-12) whose weekday or weekend schedule uses period ``index``."""
        s = self.schedule
        return tuple(m + 1 for m in range(12) if index in s.weekday[m] or index in s.weekend[m])


@dataclass(frozen=True, slots=True)
class MinimumCharge:
    """A floor on energy + fixed charges (``amount`` per month or per day); with
    ``with_demand`` on energy + fixed + demand charges (NREL SAM's monthly minimum, used
    for URDB imports)."""

    amount: Decimal
    per: Per = "month"
    code: str = "MINIMUM"
    description: str = "Minimum charge top-up"
    with_demand: bool = False


@dataclass(frozen=True, slots=True)
class Tax:
    """A tax or levy on its own line: ``percent`` of a base, or ``per_kwh`` of consumption."""

    code: str
    description: str
    percent: Decimal | None = None
    base: TaxBase = "energy"
    per_kwh: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SubsidyBlock:
    """Lifeline: the first ``kwh`` of the period at ``rate`` instead of the energy ladder.

    Applies only to accounts whose category is in ``categories`` (empty: every account on
    the tariff) and, when ``eligible_up_to`` is set, whose consumption does not exceed it
    (both scaled like slab limits). The rest of the consumption keeps its slab positions.
    """

    kwh: Decimal
    rate: Decimal
    limits_per: Per = "month"
    eligible_up_to: Decimal | None = None
    categories: tuple[str, ...] = ()
    code: str = "LIFELINE"
    description: str = "Lifeline block"


@dataclass(frozen=True, slots=True)
class PromptPaymentDiscount:
    """Rebate of ``percent`` of a base, granted when the account facts say it was earned."""

    percent: Decimal
    base: TaxBase = "energy"
    code: str = "REBATE"
    description: str = "Prompt-payment rebate"


@dataclass(frozen=True, slots=True)
class LatePaymentSurcharge:
    """``percent`` of the overdue amount once ``grace_days`` after the due date have passed."""

    percent: Decimal
    grace_days: int = 0
    cap: Decimal | None = None
    code: str = "LATE"
    description: str = "Late payment surcharge"


@dataclass(frozen=True, slots=True)
class TariffSpec:
    """Every component of one tariff version."""

    fixed: tuple[FixedCharge, ...] = ()
    energy: EnergyCharge | None = None
    demand: tuple[DemandCharge, ...] = ()
    minimum: MinimumCharge | None = None
    demand_tou: TouDemandCharge | None = None
    taxes: tuple[Tax, ...] = ()
    subsidies: tuple[SubsidyBlock, ...] = ()
    prompt_payment: PromptPaymentDiscount | None = None
    late_payment: LatePaymentSurcharge | None = None
    rounding_step: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TariffVersion:
    """One immutable version: in force from ``effective_from`` until the next version."""

    tariff_code: str
    version: int
    effective_from: date
    spec: TariffSpec

    @property
    def ref(self) -> str:
        """Stable name of the version on bill lines: ``RES-1 v2``."""
        return f"{self.tariff_code} v{self.version}"


@dataclass(frozen=True, slots=True)
class Tariff:
    """A tariff with its versions, oldest first."""

    code: str
    name: str
    category: str
    currency: str
    versions: tuple[TariffVersion, ...] = field(default_factory=tuple)
    description: str = ""
