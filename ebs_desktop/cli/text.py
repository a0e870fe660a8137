"""Counted nouns in the command line's sentences: "1 bill, 2 pages", never "1 bills".

Every message that counts something goes through :func:`count`, so the number gets its
thousands separator and the noun its plural in one place.
"""

from __future__ import annotations

# Nouns whose plural is not the noun + "s".
_IRREGULAR: dict[str, str] = {}


def plural(noun: str, n: int) -> str:
    """``noun`` as it reads after the number ``n``."""
    if n == 1:
        return noun
    if noun in _IRREGULAR:
        return _IRREGULAR[noun]
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def count(n: int, noun: str) -> str:
    """``count(1, "bill") == "1 bill"``, ``count(2000, "bill") == "2,000 bills"``;
    in a noun of several words the last one counts: ``count(2, "new line")``."""
    head, sep, last = noun.rpartition(" ")
    return f"{n:,} {head}{sep}{plural(last, n)}"
