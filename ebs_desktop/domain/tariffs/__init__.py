"""Tariffs: effective-dated versions of prices, their dict/TOML forms and URDB import."""

from ebs_desktop.domain.tariffs.model import (
    TOTAL_REGISTER,
    DemandCharge,
    EnergyCharge,
    EnergyPeriod,
    FixedCharge,
    LatePaymentSurcharge,
    MinimumCharge,
    PromptPaymentDiscount,
    Slab,
    SubsidyBlock,
    Tariff,
    TariffSpec,
    TariffVersion,
    Tax,
    TouSchedule,
)
from ebs_desktop.domain.tariffs.spec_dict import spec_from_dict, spec_to_dict
from ebs_desktop.domain.tariffs.toml_io import (
    parse_tariff_toml,
    read_tariff_file,
    tariff_from_dict,
    tariff_to_dict,
    tariff_to_toml,
)

__all__ = [
    "TOTAL_REGISTER",
    "DemandCharge",
    "EnergyCharge",
    "EnergyPeriod",
    "FixedCharge",
    "LatePaymentSurcharge",
    "MinimumCharge",
    "PromptPaymentDiscount",
    "Slab",
    "SubsidyBlock",
    "Tariff",
    "TariffSpec",
    "TariffVersion",
    "Tax",
    "TouSchedule",
    "parse_tariff_toml",
    "read_tariff_file",
    "spec_from_dict",
    "spec_to_dict",
    "tariff_from_dict",
    "tariff_to_dict",
    "tariff_to_toml",
]
