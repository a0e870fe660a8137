"""Writing priced batches on a thread of their own, in order, while the run goes on.

On PostgreSQL most of a batch's write is the server's work (COPY, an index entry and a
foreign-key check per row), and the client only waits on its socket, with the GIL
released. Handing the write to this thread lets the run receive and price the next
batch meanwhile. Each batch is still one transaction, written strictly in order, so
numbering, crash-safety and idempotency are those of a run that writes inline.

SQLite's insert work happens inside this process and the driver gives the GIL up and
takes it back for every statement, so a writer thread there queues behind the pricing
thread; the run writes inline on SQLite (``wanted``). Measured on 1,000,000 accounts,
when SQLite still took one row per statement: PostgreSQL 99.8-105.9 s with this thread,
111.3 s without; SQLite 46.2 s with it, 39.8-41.7 s without. Not measured again since
``writer.bulk_insert`` sends 500 rows per statement.

The pricing helper process sends its results through the same class (``pipeline``), for
the same reason: so that a slow consumer does not stop the work that feeds it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def wanted(backend: str) -> bool:
    return backend == "postgresql"


class WriteBehind(Generic[T]):
    """``submit`` a batch, it is written by ``write`` on the thread; at most one batch waits
    (so memory stays bounded). The first error stops all later writes and is raised in
    the caller's thread by the next ``submit`` or by ``close``."""

    def __init__(self, write: Callable[[T], None], name: str = "ebs-writer") -> None:
        self._write = write
        self._queue: queue.Queue[tuple[T] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self.written = 0  # batches written so far
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is not None:
                continue  # failed: drop what is still queued, the caller learns of it
            try:
                self._write(item[0])
                self.written += 1
            except BaseException as exc:  # re-raised in the caller's thread
                self._error = exc

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def submit(self, batch: T) -> None:
        self._raise_failure()
        self._queue.put((batch,))

    def close(self) -> None:
        """Wait until every submitted batch is written (or the writer failed)."""
        self._queue.put(None)
        self._thread.join()
        self._raise_failure()
