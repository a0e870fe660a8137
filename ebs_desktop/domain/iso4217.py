"""ISO 4217: which currency codes exist today, and how many decimals each one's minor unit has.

Why a table of our own: :func:`ebs_desktop.domain.money.currency_exponent` knows the
currencies whose minor unit is not two decimals and assumes two for every other
well-formed code, which is right for the utility's own currency (set once by a person) but
not for a code that arrives in a file from outside: ``QQQ`` or ``DEM`` would be booked as a
two-decimal currency that does not exist. Files (bank statements) therefore accept only a
code on ISO 4217 list one (current currencies, as of the 2025 amendments) whose minor unit
``Money`` represents the same way; codes without a minor unit (gold ``XAU``, ``XDR``,
the testing code ``XTS``, "no currency" ``XXX``) and withdrawn ones (``DEM``, ``HRK``) are
refused, as is a code whose exponent ``money`` would get wrong (``CLF`` and ``UYW`` have
four decimals, ``UYI`` none).

Source: ISO 4217 list one, "Current currency & funds code list" (SIX, maintenance agency).
"""

from __future__ import annotations

from ebs_desktop.domain.money import currency_exponent

_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES "
    "KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR "
    "SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD "
    "TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL"
)
#: Codes on list one without a minor unit: precious metals, bond units, SDR, test, none.
NO_MINOR_UNIT = frozenset(
    ["XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"])

#: Current ISO 4217 codes with their minor-unit exponent (decimals).
ISO_4217_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}


def known_currency(code: str) -> int:
    """The exponent of a current ISO 4217 currency ``Money`` can hold; ValueError otherwise."""
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"currency must be a three-letter ISO 4217 code, got {code!r}")
    if code in NO_MINOR_UNIT:
        raise ValueError(f"{code} is not a currency with a minor unit (ISO 4217)")
    exponent = ISO_4217_EXPONENTS.get(code)
    if exponent is None:
        raise ValueError(f"{code!r} is not a current ISO 4217 currency code")
    if currency_exponent(code) != exponent:
        raise ValueError(f"{code} has {exponent} decimals; EBS does not handle it")
    return exponent
