"""Find card numbers (PANs) in text, as a PCI data-discovery scan does.

A candidate is a run of 13-19 digits, written together or in groups split by single spaces
or dashes, that starts like a card of a known scheme (Visa 4, Mastercard 51-55 and
2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 3528-3589, Diners 300-305/36/38,
UnionPay 62) and passes the Luhn check. The scheme prefixes keep dates, phone numbers and
document numbers out (a random 14-digit run passes Luhn one time in ten).
"""

from __future__ import annotations

import re

_RUN = re.compile(r"(?<![\d])(\d(?:[ -]?\d){12,18})(?![\d])")


def luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _scheme(digits: str) -> bool:
    two, three, four = int(digits[:2]), int(digits[:3]), int(digits[:4])
    return (digits[0] == "4" or 51 <= two <= 55 or 2221 <= four <= 2720 or two in (34, 37)
            or four == 6011 or 644 <= three <= 649 or two == 65 or 3528 <= four <= 3589
            or 300 <= three <= 305 or two in (36, 38, 62))


def card_numbers(text: str) -> list[str]:
    found = []
    for match in _RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(1))
        if 13 <= len(digits) <= 19 and _scheme(digits) and luhn(digits):
            found.append(digits)
    return found
