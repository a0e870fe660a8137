"""The words a customer is found by: every word of the name and the address, folded.

Folding makes the search tolerant of how a clerk types: lower case (``casefold``, so "ß"
is "ss"), accents dropped ("José Müller" is found as "jose muller" and the other way
round), apostrophes dropped ("O'Brien" is "obrien"), any other punctuation a word break
("Smith-Jones, 12 Main St." is "smith", "jones", "12", "main", "st"). One-letter words
are not kept (initials: too common to find anyone by).

Small typos: :func:`near_words` lists every word one edit away (a letter missing, extra,
changed or two letters swapped): the store asks which of them are real words, so
"hadad" finds "Haddad" and "patrcia" finds "Patricia".

Worked example::

    >>> sorted(customer_words("Patricia Haddad", "12 Rue de l'Église, Zürich"))
    ['12', 'de', 'eglise', 'haddad', 'leglise', 'patricia', 'rue', 'zurich']

(an apostrophe joins: "l'Église" is kept as "leglise", and "eglise" is kept too so the
word is found on its own.)
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORD = 64
"""Longest word kept (the column's width); longer ones are cut."""

_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_WORD = re.compile(r"[^\W_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"


def fold(text: str) -> str:
    """Lower case without accents: what both the index and the query are compared as."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, one-letter words left out, cut to MAX_WORD.

    A word with an apostrophe gives the joined form ("obrien") and its parts longer than
    one letter ("brien"), so either is found."""
    out: list[str] = []
    for chunk in fold(text).split():
        if _APOSTROPHES.search(chunk):
            out.extend(_WORD.findall(_APOSTROPHES.sub("", chunk)))
        out.extend(_WORD.findall(chunk))
    seen: set[str] = set()
    kept: list[str] = []
    for w in out:
        w = w[:MAX_WORD]
        if len(w) > 1 and w not in seen:
            seen.add(w)
            kept.append(w)
    return kept


def customer_words(name: str, address: str) -> set[str]:
    """Every word a customer is found by (name and address)."""
    return set(words(name)) | set(words(address))


def query_words(text: str) -> list[str]:
    """The words of what the clerk typed, most telling first (longest)."""
    return sorted(words(text), key=len, reverse=True)


def near_words(word: str) -> set[str]:
    """Every word one edit from ``word`` (deleted, inserted, changed or swapped letter),
    ``word`` itself left out. Letters only, digits too when the word has a digit."""
    alphabet = _LETTERS + (_DIGITS if any(c.isdigit() for c in word) else "")
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    out |= {a + c + b for a, b in splits for c in alphabet}
    out.discard(word)
    return {w for w in out if len(w) > 1}


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance with swaps (optimal string alignment), for ranking."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]
