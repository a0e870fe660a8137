"""Accepted readings held as JSON text until the whole file has been checked.

A reading that passed is three integers (register id, value and consumption in
thousandths) plus what it shares with many others (day, status, code, flags, reader).
So rows are grouped by what they share and kept as ``[register,value,consumption]`` JSON
fragments, joined into windows of 50,000: about 25 bytes a reading, no tuple per row, and
on SQLite each window is one ``INSERT ... SELECT FROM json_each(?)`` (SQLite parses the
JSON in C; binding eleven values a row through the driver costs about twice as much).
PostgreSQL gets the same windows decoded back into tuples for COPY.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

Extra = tuple[str, str | None, str, int | None]  # status, reading code, flags, reader id
WINDOW = 50_000


class RowStore:
    def __init__(self) -> None:
        self.day_texts: list[str] = []
        self.extras: list[Extra] = []
        self.count = 0
        self._days: dict[str, int] = {}
        self._extras: dict[Extra, int] = {}
        self._open: dict[tuple[int, int], list[str]] = {}
        self._windows: list[tuple[int, int, str]] = []

    def day_index(self, iso: str) -> int:
        found = self._days.get(iso)
        if found is None:
            found = self._days[iso] = len(self.day_texts)
            self.day_texts.append(iso)
        return found

    def extra_index(self, status: str, code: str | None, flags: str, reader: int | None) -> int:
        key = (status, code, flags, reader)
        found = self._extras.get(key)
        if found is None:
            found = self._extras[key] = len(self.extras)
            self.extras.append(key)
        return found

    def group(self, day: int, extra: int) -> list[str]:
        """The open list of fragments of (day, extra): the hot loop appends to it and calls
        :meth:`full` when it holds ``WINDOW`` of them."""
        found = self._open.get((day, extra))
        if found is None:
            found = self._open[(day, extra)] = []
        return found

    def full(self, day: int, extra: int) -> list[str]:
        """Close the group's window; a fresh list to go on with."""
        fragments = self._open.pop((day, extra))
        self._windows.append((day, extra, "[" + ",".join(fragments) + "]"))
        self.count += len(fragments)
        return self.group(day, extra)

    def add(self, register_id: int, day: int, value: int, used: int | None,
            extra: int) -> None:
        fragments = self.group(day, extra)
        fragments.append(f"[{register_id},{value},{'null' if used is None else used}]")
        if len(fragments) >= WINDOW:
            self.full(day, extra)

    def windows(self) -> Iterator[tuple[str, Extra, str]]:
        """(day text, shared values, JSON rows) for every window, open ones closed."""
        for day, extra in list(self._open):
            if self._open[(day, extra)]:
                self.full(day, extra)
        for day, extra, text in self._windows:
            yield self.day_texts[day], self.extras[extra], text

    def rows(self, source: str, batch_id: int, created: str) -> Iterator[tuple[object, ...]]:
        """Tuples in ``READING_COLUMNS`` order, a window at a time."""
        for day, (status, code, flags, reader), text in self.windows():
            for register_id, value, used in json.loads(text):
                yield (register_id, day, value, used, source, status, code, flags, reader,
                       batch_id, created)
