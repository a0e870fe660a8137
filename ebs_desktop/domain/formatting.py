"""Locale-aware display of money, dates and numbers, through Babel.

Display only: the value is formatted for a person's eyes (``1 234,50 €`` in French,
``$1,234.50`` in US English) and never parsed back or sorted on as text. Money is shown
with exactly its currency's minor-unit places from :mod:`ebs_desktop.domain.money`, so
a bill never shows more or fewer decimals than the ledger holds; no float is involved
(Babel takes the exact ``Decimal``).

Locales are strings (``"en_US"``, ``"fr_FR"``, ``"fr"``) so the GUI can pass Qt's
locale name and the CLI its ``LANG`` without this module knowing either.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

from ebs_desktop.domain.money import Money, currency_exponent

DEFAULT_LOCALE = "en_US"


def normalise_locale(name: str | None) -> str:
    """A Babel locale id from ``fr_FR.UTF-8``, ``fr-FR``, ``C`` or None (falls back to en_US)."""
    if not name:
        return DEFAULT_LOCALE
    base = name.split(".")[0].split("@")[0].replace("-", "_")
    if base in ("C", "POSIX", ""):
        return DEFAULT_LOCALE
    try:
        return str(Locale.parse(base))
    except (ValueError, UnknownLocaleError):
        return DEFAULT_LOCALE


def format_money(amount: Money, locale: str | None = None) -> str:
    """``Money(123450, "EUR")`` in ``fr_FR`` -> ``1 234,50 €``; always the ledger's places.

    The locale's currency pattern is used with its fraction digits set to the currency's
    minor unit from :mod:`ebs_desktop.domain.money` (KWD 3, JPY 0), not CLDR's opinion.
    """
    places = currency_exponent(amount.currency)
    babel_locale = Locale.parse(normalise_locale(locale))
    pattern = copy.copy(babel_locale.currency_formats["standard"])
    pattern.frac_prec = (places, places)
    return str(pattern.apply(amount.amount, babel_locale, currency=amount.currency,
                             currency_digits=False, decimal_quantization=True))


def format_rate(rate: Decimal, currency: str, locale: str | None = None) -> str:
    """A price per unit in the currency's pattern, with at least the currency's places and
    every place the rate has: ``0.085`` USD -> ``$0.085``, ``5`` -> ``$5.00``."""
    places = currency_exponent(currency)
    exponent = rate.normalize().as_tuple().exponent
    shown = max(places, -exponent if isinstance(exponent, int) else places)
    babel_locale = Locale.parse(normalise_locale(locale))
    pattern = copy.copy(babel_locale.currency_formats["standard"])
    pattern.frac_prec = (shown, shown)
    return str(pattern.apply(rate, babel_locale, currency=currency, currency_digits=False,
                             decimal_quantization=True))


def format_decimal(
    value: Decimal | int, locale: str | None = None, places: int | None = None
) -> str:
    """A quantity or rate: ``Decimal("1234.5")`` -> ``1,234.5``; ``places`` fixes the decimals.

    Meter quantities are shown with three places (``places=3``), rates with what they have.
    """
    if isinstance(value, float):
        raise TypeError("format_decimal takes Decimal or int, not float")
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
        fmt = "#,##0" + ("." + "0" * places if places else "")
        return str(_babel_decimal(number, format=fmt, locale=normalise_locale(locale),
                                  decimal_quantization=True))
    return str(_babel_decimal(number, locale=normalise_locale(locale),
                              decimal_quantization=False))


def format_date(value: date, locale: str | None = None, length: str = "medium") -> str:
    """``date(2024, 3, 31)`` -> ``Mar 31, 2024`` (en_US) or ``31 mars 2024`` (fr_FR)."""
    if isinstance(value, datetime):
        return str(_babel_datetime(value, format=length, locale=normalise_locale(locale)))
    return str(_babel_date(value, format=length, locale=normalise_locale(locale)))
