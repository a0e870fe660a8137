"""Amounts in English words, for receipts ("One hundred twenty-three dollars and 45 cents").

Why words at all: a receipt or cheque with the amount written out cannot be altered by
adding a digit, and many utilities' regulators require it. Why this form: the major units
are spelt out, the minor units stay in figures, the way bank clerks write cheques; the
words never pass through a float (they are built from ``Money.minor``).

Numbering: international (thousand, million, billion) by default; the Indian system
(thousand, lakh, crore) for INR and PKR, where receipts are read that way
("One lakh twenty-five thousand rupees"). Pass ``system=`` to choose explicitly.
Currencies without a name here are written with their ISO code ("Five CHF and 10/100").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ebs_desktop.domain.money import Money, currency_exponent

NumberingSystem = Literal["international", "indian"]

_ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_INTERNATIONAL = (
    (10**18, "quintillion"),
    (10**15, "quadrillion"),
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (10**3, "thousand"),
)
_INDIAN = ((10**7, "crore"), (10**5, "lakh"), (10**3, "thousand"))


@dataclass(frozen=True, slots=True)
class CurrencyWords:
    """Singular and plural names of a currency's major and minor unit."""

    major: str
    majors: str
    minor: str
    minors: str
    system: NumberingSystem = "international"


CURRENCY_WORDS: dict[str, CurrencyWords] = {
    "USD": CurrencyWords("dollar", "dollars", "cent", "cents"),
    "EUR": CurrencyWords("euro", "euros", "cent", "cents"),
    "GBP": CurrencyWords("pound", "pounds", "penny", "pence"),
    "INR": CurrencyWords("rupee", "rupees", "paisa", "paise", "indian"),
    "PKR": CurrencyWords("rupee", "rupees", "paisa", "paise", "indian"),
    "KES": CurrencyWords("shilling", "shillings", "cent", "cents"),
    "NGN": CurrencyWords("naira", "naira", "kobo", "kobo"),
    "ZAR": CurrencyWords("rand", "rand", "cent", "cents"),
    "GHS": CurrencyWords("cedi", "cedis", "pesewa", "pesewas"),
    "UGX": CurrencyWords("shilling", "shillings", "cent", "cents"),
    "TZS": CurrencyWords("shilling", "shillings", "cent", "cents"),
    "AUD": CurrencyWords("dollar", "dollars", "cent", "cents"),
    "CAD": CurrencyWords("dollar", "dollars", "cent", "cents"),
    "NZD": CurrencyWords("dollar", "dollars", "cent", "cents"),
    "BDT": CurrencyWords("taka", "taka", "poisha", "poisha", "indian"),
    "LKR": CurrencyWords("rupee", "rupees", "cent", "cents"),
    "NPR": CurrencyWords("rupee", "rupees", "paisa", "paise", "indian"),
    "PHP": CurrencyWords("peso", "pesos", "centavo", "centavos"),
}


def _below_thousand(n: int) -> str:
    """Words for 0 < n < 1000 ("one hundred twenty-three")."""
    parts: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        parts.append(f"{_ONES[hundreds]} hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        parts.append(_ONES[rest])
    return " ".join(parts)


def _scaled(n: int, scales: tuple[tuple[int, str], ...], top: int) -> str:
    parts: list[str] = []
    for value, name in scales:
        if n >= value:
            count, n = divmod(n, value)
            # In the Indian system counts above 99 crore repeat the system ("hundred crore").
            head = _scaled(count, scales, top) if count >= top else _below_thousand(count)
            parts.append(f"{head} {name}")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def number_to_words(n: int, *, system: NumberingSystem = "international") -> str:
    """Lower-case English words for a whole number: 1234567 -> "one million two hundred ..."."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_to_words needs an int, got {type(n).__name__}")
    if n < 0:
        return "minus " + number_to_words(-n, system=system)
    if n == 0:
        return "zero"
    if system == "indian":
        return _scaled(n, _INDIAN, 100)
    if n >= 10**21:
        raise ValueError(f"{n} is too large to write in words")
    return _scaled(n, _INTERNATIONAL, 1000)


def amount_in_words(amount: Money, *, system: NumberingSystem | None = None) -> str:
    """The amount for a receipt: "One hundred twenty-three dollars and 45 cents".

    Minor units in figures, padded to the currency's places ("and 05 cents"), left out when
    zero. A negative amount (a reversal) starts with "Minus".
    """
    names = CURRENCY_WORDS.get(amount.currency)
    exp = currency_exponent(amount.currency)
    major, minor = divmod(abs(amount.minor), 10**exp)
    numbering = system or (names.system if names else "international")
    words = number_to_words(major, system=numbering)
    if names is None:
        text = f"{words} {amount.currency}"
        if minor:
            text += f" and {minor:0{exp}d}/{10**exp}"
    else:
        text = f"{words} {names.major if major == 1 else names.majors}"
        if minor:
            text += f" and {minor:0{exp}d} {names.minor if minor == 1 else names.minors}"
    if amount.minor < 0:
        text = "minus " + text
    return text[0].upper() + text[1:]
