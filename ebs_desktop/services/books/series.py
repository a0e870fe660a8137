"""The number-series check of the books check: document numbers gapless per series."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from ebs_desktop.services.books.records import BooksProblem, Found, SeriesSummary

# Bills and credit notes are numbered prefix + 7 digits (``B2026-0000001``): per series,
# the count and the lowest and highest 7-character tail (zero-padded, so text order is
# number order) of the numbers with its prefix. On SQLite a range on the number also lets
# the unique index answer (0.2 s instead of 1.2 s for a year of a 100k-customer utility);
# PostgreSQL's collation may not order punctuation bytewise, so it filters only. Receipts
# carry their series and sequence in columns. Each number is unique by a database
# constraint, so count = highest = n means 1..n, each once.
_OWN = {"bill": ("bills", "bill_number"), "credit note": ("credit_notes", "number")}
_PREFIXED = "substr({c}, 1, :n) = :p AND length({c}) = :n + 7"
_RANGE = "{c} >= :p AND {c} < :upto AND "
_TAIL = "substr({c}, :n + 1)"


def _doc_range(kind: str, backend: str) -> Any:
    table, c = _OWN[kind]
    where = (_RANGE if backend == "sqlite" else "") + _PREFIXED
    return text(f"SELECT COUNT(*), MIN({_TAIL}), MAX({_TAIL}) FROM {table} WHERE {where}"
                .format(c=c))


def _doc_numbers(kind: str) -> Any:
    table, c = _OWN[kind]
    return text(f"SELECT {_TAIL} FROM {table} WHERE {_PREFIXED}".format(c=c))


_RECEIPT_SERIES = text("SELECT series, COUNT(*), MIN(seq), MAX(seq) FROM receipts"
                       " GROUP BY series")
_RECEIPT_NUMBERS = text("SELECT seq FROM receipts WHERE series = :k")
_NUMBER_SERIES = text("SELECT code, prefix, next_value FROM number_series")
_KIND_OF_CODE = (("BILL-", "bill"), ("CN-", "credit note"))


def _series_kind(code: str, prefix: str) -> str | None:
    """Which documents a ``number_series`` row numbers (None: not a document series)."""
    for start, kind in _KIND_OF_CODE:
        if code.startswith(start):
            return kind
    return "receipt" if prefix == f"{code}-" else None


def ranges(numbers: Iterable[int]) -> str:
    """``1, 2, 3, 7, 9, 10`` -> ``1-3, 7, 9-10``."""
    out: list[str] = []
    run: list[int] = []
    for n in [*sorted(numbers), None]:
        if n is not None and run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [] if n is None else [n]
    return ", ".join(out)


def _bounds(prefix: str) -> dict[str, object]:
    """The prefix, its length and the first text after every number with it."""
    upto = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"
    return {"p": prefix, "n": len(prefix), "upto": upto}


def _number(tail: object) -> int | None:
    text_ = str(tail)
    return int(text_) if text_.isascii() and text_.isdigit() else None


def series(s: Session, found: Found) -> list[SeriesSummary]:
    """Each document series of ``number_series`` (and each receipt series) checked."""
    counters: dict[tuple[str, str], tuple[str, int]] = {}
    for code, prefix, next_value in s.execute(_NUMBER_SERIES):
        kind = _series_kind(str(code), str(prefix))
        if kind is not None:
            key = str(code) if kind == "receipt" else str(prefix)
            counters[(kind, key)] = (str(code), int(next_value))
    docs: dict[tuple[str, str], tuple[int, int | None, int | None]] = {}
    backend = s.get_bind().dialect.name
    for kind, key in counters:  # bills outside any series are not numbered documents
        if kind != "receipt":
            n, low, high = s.execute(_doc_range(kind, backend), _bounds(key)).one()
            if n:
                docs[(kind, key)] = (int(n), _number(low), _number(high))
    for series, n, low, high in s.execute(_RECEIPT_SERIES):
        docs[("receipt", str(series))] = (int(n), int(low), int(high))
    summaries: list[SeriesSummary] = []
    for kind, key in sorted(set(docs) | set(counters)):
        n, low, high = docs.get((kind, key), (0, 1, 0))
        code, next_value = counters.get((kind, key), (f"{kind}s {key}", (high or 0) + 1))
        if low == 1 and high == n and next_value == n + 1:
            if n:
                summaries.append(SeriesSummary(code, n, n))
            continue
        found_numbers = (s.execute(_RECEIPT_NUMBERS, {"k": key}) if kind == "receipt"
                         else s.execute(_doc_numbers(kind), _bounds(key)))
        raw = [str(x) for (x,) in found_numbers]
        present = {x for x in map(_number, raw) if x is not None}
        odd = sorted({x for x in raw if (_number(x) or 0) < 1})
        top = max([next_value - 1, *present])
        missing = sorted(set(range(1, top + 1)).difference(present))
        what = [f"{n} {kind}s numbered {min(present, default=0)}-{max(present, default=0)}"
                if n else f"no {kind}s"]
        if missing:
            shown = ranges(missing[:200]) + (" ..." if len(missing) > 200 else "")
            what.append(f"{len(missing)} number(s) missing: {shown}")
        if next_value - 1 != max(present, default=0):
            what.append(f"the series counter has given out {next_value - 1}")
        if odd:
            what.append(f"numbers that are not 1, 2, 3...: {', '.join(odd[:20])}")
        found.problems.append(BooksProblem("series", f"series {code}", "; ".join(what)))
    return summaries

