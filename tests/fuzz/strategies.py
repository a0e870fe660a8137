"""Generators shared by the fuzz suite: texts a person, a script or a file might put where
a money amount or a quantity is expected.

Each generator mixes plainly valid values, the boundary values of the money ceiling
(``domain.money``), the values of issue 17 that once crashed or posted nonsense, and
junk (random text, non-UTF-8 bytes as Python decodes them from argv: lone surrogates).
``exact`` is the reference reading of such a text: the number it plainly says, or None.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from hypothesis import strategies as st

from ebs_desktop.domain.money import MAX_AMOUNT_MINOR, MAX_QUANTITY, MAX_TOTAL_MINOR

_CEILING = Decimal(MAX_AMOUNT_MINOR).scaleb(-2)  # 9999999999.99 in a 2-decimal currency
_TOTAL = Decimal(MAX_TOTAL_MINOR).scaleb(-2)
BOUNDARY_AMOUNTS = (
    str(_CEILING), str(_CEILING + Decimal("0.01")), str(_TOTAL), str(_TOTAL + Decimal("0.01")),
    "92233720368547758.07", "92233720368547758.08", "-92233720368547758.08",
    "9223372036854775807", "9223372036854775808", "99999999999999999999",
    "99999999999999999999.99", "1e309", "1e999999999", "-1e999999999", "1e-999999999",
    "1e30", "1E2", "1e-2", "5e-1", "0.01", "0.001", "0.005", "1.005", "0", "0.00", "-0",
    "-0.01", "-1", "-45.50", "NaN", "nan", "sNaN", "-NaN", "Infinity", "-Infinity", "inf",
    "1_000", "+5", " 5 ", "5.", ".5", "0x10", "1,000.00", "12,50", "1.2.3", "", " ", "--1",
    "\u0661\u0662\u0663", "\uff11\uff12", "12\x00", "\udcff", "12.5\udcff", "\u00bd", "45.50",
    "45.5", "45", "100.00", "0.1", "3.14159",
)
BOUNDARY_QUANTITIES = (
    str(MAX_QUANTITY), str(MAX_QUANTITY + Decimal("0.001")), "999999999999", "1e12",
    "0.0001", "1e-9", "0", "-0", "-1", "-0.001", "1e309", "1e999999999", "NaN", "inf",
    "99999999999999999999", "120", "120.5", "0.001", "7200", "abc", "", "12,5",
)


def _plain(d: Decimal) -> str:
    return f"{d:f}"


valid_amounts = st.decimals(min_value=Decimal("0.01"), max_value=_CEILING, places=2,
                            allow_nan=False, allow_infinity=False).map(_plain)
small_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("120"), places=2,
                            allow_nan=False, allow_infinity=False).map(_plain)
number_like = st.from_regex(r"[-+]?[0-9]{0,22}(\.[0-9]{0,5})?([eE][-+]?[0-9]{1,10})?",
                            fullmatch=True)
junk = st.text(max_size=12)

amount_texts = st.one_of(st.sampled_from(BOUNDARY_AMOUNTS), small_amounts, valid_amounts,
                         number_like, junk)
"""What may be typed into an amount: a fifth each of boundary values, small valid
amounts (so postings happen), any valid amount, number-shaped text and junk."""

valid_quantities = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=3,
                               allow_nan=False, allow_infinity=False).map(_plain)
quantity_texts = st.one_of(st.sampled_from(BOUNDARY_QUANTITIES), valid_quantities,
                           number_like, junk)


def exact(text: str) -> Decimal | None:
    """The finite number ``text`` plainly says (surrounding blanks allowed), else None."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def minor_units(text: str, places: int = 2) -> int | None:
    """The amount in minor units when ``text`` is a positive amount within the ceiling
    with at most ``places`` decimals, else None (a correct parser must refuse it)."""
    value = exact(text)
    if value is None or value < Decimal(1).scaleb(-places) or value > MAX_AMOUNT_MINOR:
        return None
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value() or scaled > MAX_AMOUNT_MINOR:
        return None
    return int(scaled)
