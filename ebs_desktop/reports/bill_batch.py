"""Print a whole billing run: all cores, progress, cancel, one file (or one file per bill).

Design (why this shape):

* The run is cut into chunks of ``chunk_size`` bills. A ``ProcessPoolExecutor`` with one
  worker per core renders each chunk into its own temporary PDF next to the output; reportlab
  is pure Python, so threads would share one core.
* When every chunk is done, :func:`concat_pdfs` joins the chunk files, in run order, into the
  one output file the print shop asked for (pypdf is a test-only dependency, so the join is
  our own small one for our own files), and the chunk files are removed.
* ``split=True`` writes one file per bill into a directory instead (for email), named
  ``<account>_<bill number>.pdf``.
* Progress is reported in the calling thread as ``progress(bills done, total)`` each time a
  chunk finishes. ``cancel`` is a ``threading.Event`` (or a function returning True once
  cancelled, e.g. ``lambda: task_state.is_cancelled``) the caller (a GUI button, Ctrl-C) may
  set: pending chunks are dropped, running ones stop at the next bill, chunk files are
  removed and no output file is written (in split mode the bills already written stay).
* Worker processes are started with ``forkserver`` where available (safe in a program that
  already runs threads, such as the Qt app), else ``spawn``.

The documents are pickled to the workers: pass frozen :class:`BillDocument` records, never
database objects.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ebs_desktop.reports.bill_document import BillDocument
from ebs_desktop.reports.bill_pdf import render_bill, render_bills
from ebs_desktop.reports.pdf_concat import concat_pdfs

ProgressCallback = Callable[[int, int], None]
CancelFlag = threading.Event | Callable[[], bool]

_worker_cancel: Any = None  # the multiprocessing Event, set in each worker by _init_worker


@dataclass(frozen=True, slots=True)
class BatchResult:
    files: tuple[Path, ...]
    bills: int
    pages: int
    seconds: float
    cancelled: bool
    cpu_seconds: float = 0.0  # CPU time spent rendering, summed over the workers

    @property
    def bills_per_second(self) -> float:
        return self.bills / self.seconds if self.seconds > 0 else 0.0


def bill_file_name(doc: BillDocument) -> str:
    """``<account>_<bill number>.pdf`` with anything unsafe in a file name replaced by ``-``."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", f"{doc.account_number}_{doc.bill_number}") + ".pdf"


class _CheckFlag:
    """An ``is_set()`` view of a cancel function, so both kinds of flag read alike."""

    def __init__(self, check: Callable[[], bool]) -> None:
        self._check = check

    def is_set(self) -> bool:
        return bool(self._check())


def _as_flag(cancel: CancelFlag | None) -> Any:
    if cancel is None or isinstance(cancel, threading.Event):
        return cancel
    return _CheckFlag(cancel)


def _init_worker(cancel: Any) -> None:
    global _worker_cancel
    _worker_cancel = cancel


def _until_cancelled(docs: Sequence[BillDocument], cancel: Any) -> Iterator[BillDocument]:
    for doc in docs:
        if cancel is not None and cancel.is_set():
            return
        yield doc


def _render_chunk(docs: Sequence[BillDocument], target: str, split: bool,
                  cancel: Any = None) -> tuple[int, int, float]:
    """Worker: render a chunk (to one file, or one file per bill).

    Returns (bills, pages, CPU seconds used)."""
    cancel = _worker_cancel if cancel is None else cancel
    cpu = time.process_time()
    if split:
        bills = pages = 0
        for doc in _until_cancelled(docs, cancel):
            pages += render_bill(doc, Path(target) / bill_file_name(doc))
            bills += 1
        return bills, pages, time.process_time() - cpu
    pages = render_bills(_until_cancelled(docs, cancel), target)
    done = len(docs) if cancel is None or not cancel.is_set() else 0
    return done, pages, time.process_time() - cpu


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(["ebs_desktop.reports.bill_batch"])
    return ctx


def render_batch(docs: Sequence[BillDocument], out: Path, *, split: bool = False,
                 workers: int | None = None, chunk_size: int = 200,
                 progress: ProgressCallback | None = None,
                 cancel: CancelFlag | None = None) -> BatchResult:
    """Render a run into ``out`` (a PDF file, or with ``split`` a directory); see module doc."""
    flag = _as_flag(cancel)
    started = time.perf_counter()
    total = len(docs)
    workers = max(1, workers or os.cpu_count() or 1)
    if split:
        out.mkdir(parents=True, exist_ok=True)
    chunks = [docs[i:i + chunk_size] for i in range(0, total, chunk_size)] or [docs]
    targets = [str(out) if split else str(out.with_name(f".{out.name}.part{i:05d}"))
               for i in range(len(chunks))]
    done = pages = 0
    cpu = 0.0
    cancelled = False
    if workers == 1 or len(chunks) == 1:
        for chunk, target in zip(chunks, targets, strict=True):
            if flag is not None and flag.is_set():
                cancelled = True
                break
            bills, chunk_pages, chunk_cpu = _render_chunk(chunk, target, split, flag)
            done, pages, cpu = done + bills, pages + chunk_pages, cpu + chunk_cpu
            if progress:
                progress(done, total)
        cancelled = cancelled or (flag is not None and flag.is_set())
    else:
        ctx = _context()
        worker_cancel = ctx.Event()
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), mp_context=ctx,
                                 initializer=_init_worker, initargs=(worker_cancel,)) as pool:
            pending: set[Future[tuple[int, int, float]]] = {
                pool.submit(_render_chunk, chunk, target, split)
                for chunk, target in zip(chunks, targets, strict=True)}
            while pending:
                finished, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in finished:
                    if not future.cancelled():
                        bills, chunk_pages, chunk_cpu = future.result()
                        done, pages, cpu = done + bills, pages + chunk_pages, cpu + chunk_cpu
                if finished and progress:
                    progress(done, total)
                if flag is not None and flag.is_set() and not cancelled:
                    cancelled = True
                    worker_cancel.set()
                    for future in pending:
                        future.cancel()
    files: tuple[Path, ...]
    if split:
        files = tuple(out / bill_file_name(doc) for doc in docs
                      if (out / bill_file_name(doc)).exists())
    else:
        parts = [Path(t) for t in targets]
        if not cancelled:
            pages = concat_pdfs(parts, out) if len(parts) > 1 else pages
            if len(parts) == 1:
                parts[0].replace(out)
        for part in parts:
            part.unlink(missing_ok=True)
        files = () if cancelled else (out,)
    return BatchResult(files, done, pages, time.perf_counter() - started, cancelled, cpu)
