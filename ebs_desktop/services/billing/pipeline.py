"""Pricing batches on both cores: a helper process prices while the main process writes.

A billing run is three kinds of work per batch: reading inputs, pricing (pure Python) and
writing. Writing must stay in one process (numbers are taken in order, SQLite has one
writer), but reading and pricing are read-only, so a helper process does them for the
batches ahead while the main process writes, and the main process prices a batch itself
whenever it would otherwise wait. Batches are always *written* in order, so bill numbers
follow account order exactly as in a single-process run.

Priced batches come back through ``marshal`` (they are plain ints, text and tuples):
pickling them cost the helper about 30 ms of a 5,000-account batch, marshal 7 ms.

The helper gets its work over its own pipe and exits when the pipe closes, so a main
process killed with SIGKILL leaves no helper behind (its next ``recv`` fails).
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import date
from multiprocessing.connection import Connection as Pipe

from ebs_desktop.persistence.engine import Database, open_database, use_bulk_cache
from ebs_desktop.services.billing.pricing import PricedBill, PricingContext, price_batch
from ebs_desktop.services.billing.write_behind import WriteBehind
from ebs_desktop.services.settings import get_settings

AHEAD = 3  # batches priced ahead of the one being written (bounds memory)
HELPER_QUEUE = 2  # batches sent to the helper at a time: the one it prices and the next
STARTED = -1  # the index of the helper's first message: it is past its start-up
PARALLEL_MIN_ACCOUNTS = 30_000  # below this, starting a process costs more than it saves


def default_workers(accounts: int) -> int:
    if accounts < PARALLEL_MIN_ACCOUNTS or (os.cpu_count() or 1) < 2:
        return 0
    return 1


def price_in(db: Database, ctx: PricingContext, batch: list[int], period_end: date,
             issue: date) -> list[PricedBill]:
    """Price one batch in this process, in its own read transaction."""
    with db.read() as session:
        conn = session.connection()
        use_bulk_cache(conn)
        return price_batch(conn, ctx, batch, period_end, issue)


def _helper(url: str, pipe: Pipe) -> None:
    gc.disable()  # a process of its own, for pricing only (see ``gc_pause``)
    db = open_database(url, create_dirs=False)
    # Results go out on a thread of their own: the main process reads one only between
    # writing batches, and a batch (~1.7 MB) does not fit in the pipe, so a send blocked
    # until then. Measured: 15 s of a 1,000,000-account run spent blocked in ``send``
    # instead of pricing the batch already waiting. The main process bounds how many
    # batches are out (``HELPER_QUEUE``), so at most one result waits behind the send.
    outbox: WriteBehind[bytes] = WriteBehind(pipe.send_bytes, "ebs-pricer-outbox")
    try:
        with db.read() as session:
            ctx = PricingContext(session, get_settings(session))
        outbox.submit(marshal.dumps((STARTED, [])))
        while True:
            try:
                item = pipe.recv()
            except (EOFError, OSError):
                return
            if item is None:
                return
            index, batch, period_end, issue = item
            priced = price_in(db, ctx, batch, period_end, issue)
            try:
                outbox.submit(marshal.dumps((index, [tuple(p) for p in priced])))
            except OSError:  # an earlier send failed: the main process is gone
                return
    finally:
        with suppress(OSError):
            outbox.close()
        db.dispose()


Job = tuple[list[int], date]  # (account ids, the period's last day for their cycle)
Prepare = Callable[[list[int]], None]


class PricingHelper:
    """A helper process pricing one batch at a time, for one run or several in a row.

    Starting one costs about a second of CPU, so a caller billing month after month (the
    demo) keeps one for all of them. It reads the tariffs and settings once, when it
    starts: share it only between runs that do not change them. Each batch is priced in
    its own read transaction, so it sees every batch written before it was sent."""

    def __init__(self, db: Database) -> None:
        spawn = multiprocessing.get_context("spawn")
        self._pipe, theirs = spawn.Pipe(duplex=True)
        self._proc = spawn.Process(target=_helper, args=(db.url_text, theirs),
                                   name="ebs-billing-pricer", daemon=True)
        self._proc.start()
        theirs.close()
        self.ready = False  # it is past its start-up (imports, tariffs): it prices at full speed
        self.delivered = 0  # batches it has priced
        self.pending: deque[int] = deque()  # batches sent, oldest first (the one it prices)

    def send(self, index: int, job: Job, issue: date) -> None:
        self._pipe.send((index, job[0], job[1], issue))
        self.pending.append(index)

    def poll(self) -> bool:
        return (bool(self.pending) or not self.ready) and self._pipe.poll()

    def receive(self) -> tuple[int, list[PricedBill]] | None:
        """The next priced batch, or None for the helper's message that it has started."""
        try:
            index, rows = marshal.loads(self._pipe.recv_bytes())
        except (EOFError, OSError):  # closed, or reset by a helper that died
            self.pending.clear()
            raise RuntimeError(f"the billing helper process stopped (exit code "
                               f"{self._proc.exitcode})") from None
        self.ready = True
        if index == STARTED:
            return None
        self.pending.popleft()
        self.delivered += 1
        return int(index), [PricedBill._make(row) for row in rows]

    def drain(self) -> None:
        """Wait for (and drop) batches still being priced, so the next run starts clean."""
        while self.pending:
            self.receive()

    def close(self) -> None:
        with suppress(OSError, BrokenPipeError):
            self._pipe.send(None)
        self._pipe.close()
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.terminate()

    def __enter__(self) -> PricingHelper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def priced_batches(db: Database, ctx: PricingContext, batches: list[Job], issue: date,
                   workers: int, helper: PricingHelper | None = None,
                   prepare: Prepare | None = None) -> Iterator[tuple[Job, list[PricedBill]]]:
    """(job, its priced bills) in job order, priced by a helper process and by this
    process. ``helper``: one the caller keeps across runs; else one is started for this
    run when ``workers`` is 1 (one helper serves every cycle of the run). ``prepare`` is
    called in this process with each job's account ids, in job order, before the job is
    priced."""
    if helper is None and (workers <= 0 or len(batches) < 2):
        for job in batches:
            if prepare is not None:
                prepare(job[0])
            yield job, price_in(db, ctx, job[0], job[1], issue)
        return
    own = helper is None
    pricer = helper or PricingHelper(db)
    try:
        yield from _shared_with(pricer, db, ctx, batches, issue, prepare)
    finally:
        if own:
            pricer.close()


def _shared_with(helper: PricingHelper, db: Database, ctx: PricingContext,
                 batches: list[Job], issue: date, prepare: Prepare | None
                 ) -> Iterator[tuple[Job, list[PricedBill]]]:
    done: dict[int, list[PricedBill]] = {}
    next_assign = next_write = 0
    n = len(batches)
    prepared = 0 if prepare is not None else n  # jobs prepared so far (in order)

    def ready(index: int) -> None:
        """Prepare every job up to ``index`` (they are prepared in order)."""
        nonlocal prepared
        while prepared <= index:
            assert prepare is not None
            prepare(batches[prepared][0])
            prepared += 1

    def take() -> None:
        got = helper.receive()
        if got is None:  # the helper has started
            return
        index, priced = got
        if index >= next_write:  # else this process priced and wrote it meanwhile
            done.setdefault(index, priced)

    try:
        while next_write < n:
            # keep a second batch queued at the helper, so it never waits for this
            # process to come round (this process is busy writing or pricing)
            while (len(helper.pending) < HELPER_QUEUE and next_assign < n
                   and next_assign - next_write < AHEAD):
                ready(next_assign)
                helper.send(next_assign, batches[next_assign], issue)
                next_assign += 1
            if helper.poll():
                take()
                continue
            if next_write in done:
                yield batches[next_write], done.pop(next_write)
                next_write += 1
                continue
            # the batch due next is at the helper (batches go out in order, and those
            # this process prices are in ``done``)
            if not helper.ready:
                # the helper is still starting (imports take a second or more on a busy
                # machine): price the batch it holds here too rather than sit idle
                batch, period_end = batches[next_write]
                done[next_write] = price_in(db, ctx, batch, period_end, issue)
                continue
            if prepared < n and prepared - next_write < AHEAD:
                # rather than wait, prepare a batch ahead (the caller's work, which only
                # this process can do; the helper prices meanwhile)
                ready(prepared)
                continue
            if next_assign < n and next_assign - next_write < AHEAD:
                # else rather than wait, price a batch ahead here
                batch, period_end = batches[next_assign]
                ready(next_assign)
                done[next_assign] = price_in(db, ctx, batch, period_end, issue)
                next_assign += 1
                continue
            take()
    finally:  # done, cancelled or failed: a batch this process priced first, or one
        # of a run stopped early, may still be with the helper
        helper.drain()
