"""Account numbers with a Damm check digit.

Why Damm rather than Luhn: Damm detects every single-digit error and every transposition
of adjacent digits (Luhn misses 09 <-> 90), and those are exactly the mistakes made when
an account number is typed at the counter or into a bank transfer reference.

An account number is eight digits of serial followed by the check digit: serial 10000001
gives ``100000011``.
"""

from __future__ import annotations

import re

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

ACCOUNT_NUMBER_LENGTH = 9
_CANDIDATE = re.compile(r"(?<!\d)\d{9}(?!\d)")


def damm_digit(digits: str) -> int:
    """The Damm check digit of a string of decimal digits."""
    interim = 0
    for ch in digits:
        if not ch.isdigit():
            raise ValueError(f"not a digit: {ch!r} in {digits!r}")
        interim = _DAMM[interim][ord(ch) - 48]
    return interim


def make_account_number(serial: int) -> str:
    """Account number for a serial (1 .. 99,999,999): eight digits plus check digit."""
    if not 0 < serial < 10**8:
        raise ValueError(f"account serial must be 1..99999999, got {serial}")
    body = f"{serial:08d}"
    return body + str(damm_digit(body))


def is_valid_account_number(text: str) -> bool:
    """True for nine digits whose Damm check over all nine digits is zero."""
    return (
        len(text) == ACCOUNT_NUMBER_LENGTH and text.isdigit() and damm_digit(text) == 0
    )


def find_account_numbers(text: str) -> list[str]:
    """Valid account numbers standing alone in free text (a bank transfer's reference)."""
    return [m for m in _CANDIDATE.findall(text) if is_valid_account_number(m)]


def account_number_problem(text: str) -> str | None:
    """Why ``text``, typed as an account number, cannot be one; None when it could be.

    Said when no account is found, so that a mistyped digit reads as such rather than as a
    missing customer."""
    t = text.strip()
    if not t.isascii() or not t.isdigit():
        return None
    if len(t) != ACCOUNT_NUMBER_LENGTH:
        return f"an account number has {ACCOUNT_NUMBER_LENGTH} digits, {t} has {len(t)}"
    if damm_digit(t) != 0:
        right = t[:-1] + str(damm_digit(t[:-1]))
        return (f"{t} is not a valid account number: its check digit (the last) does not "
                f"match the first eight digits ({right} would); a digit is mistyped or two "
                "are swapped")
    return None


def no_account_message(account_number: str) -> str:
    """``no account '123'``, with the reason when the number itself is wrong."""
    problem = account_number_problem(account_number)
    return f"no account {account_number!r}" + (f": {problem}" if problem else "")
