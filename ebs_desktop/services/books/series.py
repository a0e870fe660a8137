"""The number-series check of the books check: document numbers gapless per series."""

from __future__ import annotations

from collections.abc import Iterable

from ebs_desktop.persistence.stores import books as store
from ebs_desktop.persistence.tx import Session
from ebs_desktop.services.books.records import BooksProblem, Found, SeriesSummary

# Each number is unique by a database constraint, so count = highest = n means 1..n, each
# once (how the numbers are read: persistence.stores.books).
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


def _number(tail: object) -> int | None:
    text_ = str(tail)
    return int(text_) if text_.isascii() and text_.isdigit() else None


def series(s: Session, found: Found) -> list[SeriesSummary]:
    """Each document series of ``number_series`` (and each receipt series) checked."""
    counters: dict[tuple[str, str], tuple[str, int]] = {}
    for code, prefix, next_value in store.number_series(s):
        kind = _series_kind(code, prefix)
        if kind is not None:
            key = code if kind == "receipt" else prefix
            counters[(kind, key)] = (code, next_value)
    docs: dict[tuple[str, str], tuple[int, int | None, int | None]] = {}
    for kind, key in counters:  # bills outside any series are not numbered documents
        if kind != "receipt":
            n, low, high = store.document_range(s, kind, key)
            if n:
                docs[(kind, key)] = (n, _number(low), _number(high))
    for series, n, low, high in store.receipt_series(s):
        docs[("receipt", series)] = (n, low, high)
    summaries: list[SeriesSummary] = []
    for kind, key in sorted(set(docs) | set(counters)):
        n, low, high = docs.get((kind, key), (0, 1, 0))
        code, next_value = counters.get((kind, key), (f"{kind}s {key}", (high or 0) + 1))
        if low == 1 and high == n and next_value == n + 1:
            if n:
                summaries.append(SeriesSummary(code, n, n))
            continue
        found_numbers = (store.receipt_numbers(s, key) if kind == "receipt"
                         else store.document_tails(s, kind, key))
        raw = [str(x) for x in found_numbers]
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

