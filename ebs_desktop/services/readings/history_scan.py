"""The history half of a big import's register table, scanned by a helper process.

Loading the table of a million-meter sheet is two independent scans: registers (with
meter and installation) and recent readings (last value, day and average use per
register). Both are mostly Python work per row, so on a machine with two cores a helper
process does the readings scan while the main process does the registers, and hands back
its four columns as raw array bytes (a few MB, no pickling per register).

The helper reads the committed state; the import holds the write lock for its whole check
(SQLite: ``BEGIN IMMEDIATE``), so nothing can change between the two scans there. The
main process still compares the register ids the helper scanned with its own and scans
the history itself if they differ (or if the helper fails), so the helper can only make
the import faster, never different.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from array import array
from contextlib import suppress
from datetime import date
from multiprocessing.connection import Connection as Pipe
from typing import Any

from ebs_desktop.persistence.engine import open_database, use_bulk_cache
from ebs_desktop.persistence.stores import readings as store

HELPER_MIN_CORES = 2
_COLUMNS = ("prev_value", "prev_day", "used", "used_days")


class HistoryScan:
    """A running helper; :meth:`fill` takes its columns into a table (or says it can't)."""

    def __init__(self, url: str, today: date) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._pipe, theirs = spawn.Pipe(duplex=False)
        self._proc = spawn.Process(target=_helper, args=(url, today, theirs),
                                   name="ebs-readings-history", daemon=True)
        self._proc.start()
        theirs.close()

    def fill(self, table: Any) -> bool:
        """Copy the helper's columns into ``table`` if it scanned the same registers."""
        try:
            ids = array("q")
            ids.frombytes(self._pipe.recv_bytes())
            if ids != table.register_id:
                return False
            for name in _COLUMNS:
                column = getattr(table, name)
                fresh = array(column.typecode)
                fresh.frombytes(self._pipe.recv_bytes())
                setattr(table, name, fresh)
            return True
        except (EOFError, OSError):
            return False
        finally:
            self.close()

    def close(self) -> None:
        self._pipe.close()
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.terminate()

    def abandon(self) -> None:
        """Stop the helper now (the import failed before it needed the history)."""
        self._pipe.close()
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join(timeout=5)


def start(url: str, today: date) -> HistoryScan | None:
    """A helper for a big import, or None on a single core."""
    if (os.cpu_count() or 1) < HELPER_MIN_CORES:
        return None
    return HistoryScan(url, today)


def _helper(url: str, today: date, pipe: Pipe) -> None:
    from ebs_desktop.services.readings.table import DayCache, RegisterTable, load_history

    gc.disable()  # a process of its own, for one scan (see ``services.gc_pause``)
    db = open_database(url, create_dirs=False)
    try:
        with db.read() as session:
            conn = session.connection()
            use_bulk_cache(conn)
            table = RegisterTable()
            table.register_id = array("q", (row[0] for row in
                                            store.stream_register_ids(conn)))
            n = len(table.register_id)
            for name in _COLUMNS:
                column = getattr(table, name)
                column.frombytes(bytes(column.itemsize * n))
            if n:
                load_history(conn, table, True, today, DayCache())
        with suppress(BrokenPipeError, OSError):
            pipe.send_bytes(table.register_id.tobytes())
            for name in _COLUMNS:
                pipe.send_bytes(getattr(table, name).tobytes())
    finally:
        pipe.close()
        db.dispose()
