"""Pricing batches on both cores: a helper process prices while the main process writes.

A billing run is three kinds of work per batch: reading inputs, pricing (pure Python) and
writing. Writing must stay in one process (numbers are taken in order, SQLite has one
writer), but reading and pricing are read-only, so a helper process does them for the
batches ahead while the main process writes, and the main process prices a batch itself
whenever it would otherwise wait. Batches are always *written* in order, so bill numbers
follow account order exactly as in a single-process run.

The helper gets its work over its own pipe and exits when the pipe closes, so a main
process killed with SIGKILL leaves no helper behind (its next ``recv`` fails).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from contextlib import suppress
from datetime import date
from multiprocessing.connection import Connection as Pipe
from typing import Any

from ebs_desktop.persistence.engine import Database, open_database, use_bulk_cache
from ebs_desktop.services.billing.pricing import PricedBill, PricingContext
from ebs_desktop.services.settings import get_settings

AHEAD = 3  # batches priced ahead of the one being written (bounds memory)
PARALLEL_MIN_ACCOUNTS = 30_000  # below this, starting a process costs more than it saves


def default_workers(accounts: int) -> int:
    if accounts < PARALLEL_MIN_ACCOUNTS or (os.cpu_count() or 1) < 2:
        return 0
    return 1


def price_in(db: Database, ctx: PricingContext, batch: list[int], period_end: date,
             issue: date) -> list[PricedBill]:
    """Price one batch in this process, in its own read transaction."""
    from ebs_desktop.services.billing.run import price_batch

    with db.read() as session:
        conn = session.connection()
        use_bulk_cache(conn)
        return price_batch(conn, ctx, batch, period_end, issue)


def _helper(url: str, pipe: Pipe, issue: date) -> None:
    db = open_database(url, create_dirs=False)
    try:
        with db.read() as session:
            ctx = PricingContext(session, get_settings(session))
        while True:
            try:
                item = pipe.recv()
            except (EOFError, OSError):
                return
            if item is None:
                return
            index, batch, period_end = item
            try:
                pipe.send((index, price_in(db, ctx, batch, period_end, issue)))
            except (BrokenPipeError, OSError):
                return
    finally:
        db.dispose()


Job = tuple[list[int], date]  # (account ids, the period's last day for their cycle)


def priced_batches(db: Database, ctx: PricingContext, batches: list[Job], issue: date,
                   workers: int) -> Iterator[tuple[Job, list[PricedBill]]]:
    """(job, its priced bills) in job order, priced by ``workers`` helpers (0 or 1)
    and by this process. One helper serves the whole run, every cycle: starting one
    costs about a second of CPU."""
    if workers <= 0 or len(batches) < 2:
        for job in batches:
            yield job, price_in(db, ctx, job[0], job[1], issue)
        return
    spawn = multiprocessing.get_context("spawn")
    mine, theirs = spawn.Pipe(duplex=True)
    proc = spawn.Process(target=_helper, args=(db.url_text, theirs, issue),
                         name="ebs-billing-pricer", daemon=True)
    proc.start()
    theirs.close()
    done: dict[int, list[PricedBill]] = {}
    helper_on: int | None = None
    helper_ready = False  # it has delivered a batch (it is past its start-up)
    next_assign = next_write = 0
    n = len(batches)

    def take(index: int, priced: list[PricedBill]) -> None:
        nonlocal helper_on, helper_ready
        helper_on, helper_ready = None, True
        if index >= next_write:  # else this process priced and wrote it meanwhile
            done.setdefault(index, priced)

    try:
        while next_write < n:
            if helper_on is None and next_assign < n and next_assign - next_write < AHEAD:
                mine.send((next_assign, *batches[next_assign]))
                helper_on, next_assign = next_assign, next_assign + 1
            if helper_on is not None and mine.poll():
                take(*_receive(mine, proc))
                continue
            if next_write in done:
                yield batches[next_write], done.pop(next_write)
                next_write += 1
                continue
            if helper_on != next_write or (next_assign < n
                                           and next_assign - next_write < AHEAD):
                # the batch due next (or one just ahead) is not with the helper:
                # price it here rather than wait
                batch, period_end = batches[next_assign]
                done[next_assign] = price_in(db, ctx, batch, period_end, issue)
                next_assign += 1
                continue
            if not helper_ready:
                # the helper is still starting (imports take a second or more on a busy
                # machine): price the batch it holds here too rather than sit idle
                batch, period_end = batches[next_write]
                done[next_write] = price_in(db, ctx, batch, period_end, issue)
                continue
            take(*_receive(mine, proc))
    finally:
        with suppress(OSError, BrokenPipeError):
            mine.send(None)
        mine.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()


def _receive(pipe: Pipe, proc: Any) -> tuple[int, list[PricedBill]]:
    try:
        index, priced = pipe.recv()
    except (EOFError, OSError):  # closed, or reset by a helper that died
        raise RuntimeError(f"the billing helper process stopped (exit code "
                           f"{proc.exitcode})") from None
    return int(index), priced
