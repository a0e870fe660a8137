"""Print a whole billing run: all cores, progress, cancel, one file (or one file per bill).

Design (why this shape):

* The run is cut into chunks of ``chunk_size`` bills. A ``ProcessPoolExecutor`` with one
  worker per core renders each chunk into its own temporary PDF next to the output; reportlab
  is pure Python, so threads would share one core. ``docs`` may be a generator: at most two
  chunks per worker are in flight, so memory stays bounded for a run of any size.
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
database objects. Or pass *chunk loaders* instead (``chunks=``): picklable callables that
return one chunk's documents, run inside the worker, so reading the bills from the database
is spread over the cores too instead of feeding both workers from one process.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
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


ChunkResult = tuple[int, int, float, tuple[str, ...]]


ChunkLoader = Callable[[], Sequence[BillDocument]]


def _render_chunk(docs: Sequence[BillDocument] | ChunkLoader, target: str, split: bool,
                  cancel: Any = None) -> ChunkResult:
    """Worker: render a chunk (to one file, or one file per bill).

    Returns (bills, pages, CPU seconds used, files written)."""
    cancel = _worker_cancel if cancel is None else cancel
    cpu = time.process_time()
    if callable(docs):
        docs = docs()
    if split:
        bills = pages = 0
        names = []
        for doc in _until_cancelled(docs, cancel):
            names.append(str(Path(target) / bill_file_name(doc)))
            pages += render_bill(doc, names[-1])
            bills += 1
        return bills, pages, time.process_time() - cpu, tuple(names)
    pages = render_bills(_until_cancelled(docs, cancel), target)
    done = len(docs) if cancel is None or not cancel.is_set() else 0
    return done, pages, time.process_time() - cpu, (target,)


def _chunks(docs: Iterable[BillDocument], size: int) -> Iterator[list[BillDocument]]:
    chunk: list[BillDocument] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(["ebs_desktop.reports.bill_batch"])
    return ctx


@dataclass
class _Tally:
    total: int
    progress: ProgressCallback | None
    done: int = 0
    pages: int = 0
    cpu: float = 0.0
    files: list[str] = field(default_factory=list)

    def add(self, result: ChunkResult) -> None:
        bills, pages, cpu, files = result
        self.done, self.pages, self.cpu = self.done + bills, self.pages + pages, self.cpu + cpu
        self.files.extend(files)


def _in_process(chunks: Iterator[Any], target: Callable[[int], str],
                split: bool, flag: Any, tally: _Tally) -> bool:
    """Render chunk after chunk here; returns True if cancelled."""
    for i, chunk in enumerate(chunks):
        if flag is not None and flag.is_set():
            return True
        tally.add(_render_chunk(chunk, target(i), split, flag))
        if tally.progress:
            tally.progress(tally.done, tally.total)
    return flag is not None and flag.is_set()


def _in_pool(chunks: Iterator[Any], target: Callable[[int], str], split: bool,
             flag: Any, tally: _Tally, workers: int) -> bool:
    """Render on ``workers`` processes, at most two chunks each in flight (bounded memory,
    so a generator over the database can feed a run of any size); True if cancelled."""
    ctx = _context()
    worker_cancel = ctx.Event()
    results: dict[int, ChunkResult] = {}
    cancelled = False
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(worker_cancel,)) as pool:
        pending: dict[Future[ChunkResult], int] = {}

        def submit(count: int) -> None:
            for _ in range(count):
                try:
                    i, chunk = next(numbered)
                except StopIteration:
                    return
                pending[pool.submit(_render_chunk, chunk, target(i), split)] = i

        numbered = enumerate(chunks)
        submit(2 * workers)
        while pending:
            finished, _ = wait(list(pending), timeout=0.1, return_when=FIRST_COMPLETED)
            for future in finished:
                i = pending.pop(future)
                if not future.cancelled():
                    results[i] = future.result()
                    tally.add(results[i])
            if finished and tally.progress:
                tally.progress(tally.done, tally.total)
            if flag is not None and flag.is_set() and not cancelled:
                cancelled = True
                worker_cancel.set()
                for future in pending:
                    future.cancel()
            if not cancelled:
                submit(len(finished))
    # files in run order, whatever order the chunks finished in
    tally.files = [name for i in sorted(results) for name in results[i][3]]
    return cancelled


def render_batch(docs: Iterable[BillDocument], out: Path, *, split: bool = False,
                 workers: int | None = None, chunk_size: int = 200, total: int | None = None,
                 progress: ProgressCallback | None = None,
                 cancel: CancelFlag | None = None,
                 chunks: Iterable[ChunkLoader] | None = None) -> BatchResult:
    """Render a run into ``out`` (a PDF file, or with ``split`` a directory); see module doc.

    ``docs`` may be a generator (read from the database chunk by chunk); ``total`` is then
    the count shown by ``progress`` (0 if unknown). With ``chunks`` (loaders run in the
    workers) ``docs`` is ignored."""
    flag = _as_flag(cancel)
    started = time.perf_counter()
    if total is None:
        total = len(docs) if isinstance(docs, Sized) else 0
    workers = max(1, workers or os.cpu_count() or 1)
    if split:
        out.mkdir(parents=True, exist_ok=True)

    def target(i: int) -> str:
        return str(out) if split else str(out.with_name(f".{out.name}.part{i:05d}"))

    tally = _Tally(total, progress)
    if chunks is not None:
        work: Iterator[Any] = iter(chunks)
        small = False
    else:
        work = _chunks(docs, chunk_size)
        small = isinstance(docs, Sized) and total <= chunk_size
    if workers == 1 or small:
        cancelled = _in_process(work, target, split, flag, tally)
    else:
        cancelled = _in_pool(work, target, split, flag, tally, workers)
    files: tuple[Path, ...]
    if split:
        files = tuple(Path(name) for name in tally.files)
    else:
        parts = [Path(name) for name in tally.files]
        if not cancelled:
            if len(parts) == 1:
                parts[0].replace(out)
            elif parts:
                tally.pages = concat_pdfs(parts, out)
            else:
                render_bills([], out)
        for part in parts:
            part.unlink(missing_ok=True)
        files = () if cancelled else (out,)
    return BatchResult(files, tally.done, tally.pages, time.perf_counter() - started, cancelled,
                       tally.cpu)
