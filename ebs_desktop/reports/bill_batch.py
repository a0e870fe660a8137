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
* Progress and cancel go through the one protocol of long work,
  :class:`~ebs_desktop.services.progress.TaskState`: ``task.report(bills done, total)`` in
  the calling thread each time a chunk finishes; when the caller (a GUI button, Ctrl-C)
  cancels the task, pending chunks are dropped, running ones stop at the next bill, chunk
  files are removed, no output file is written (in split mode the bills already written
  stay) and :class:`~ebs_desktop.services.progress.TaskCancelled` is raised.
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
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ebs_desktop.reports.batch_result import BatchResult
from ebs_desktop.reports.bill_document import BillDocument
from ebs_desktop.reports.bill_pdf import render_bill, render_bills
from ebs_desktop.reports.pdf_concat import concat_pdfs
from ebs_desktop.services.progress import TaskCancelled, TaskState

__all__ = ["BatchResult", "ChunkLoader", "bill_file_name", "render_batch"]

PROGRESS_MESSAGE = "Rendering bills"

_worker_cancel: Any = None  # the multiprocessing Event, set in each worker by _init_worker


def bill_file_name(doc: BillDocument) -> str:
    """``<account>_<bill number>.pdf`` with anything unsafe in a file name replaced by ``-``."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", f"{doc.account_number}_{doc.bill_number}") + ".pdf"


class _TaskFlag:
    """An ``is_set()`` view of a task's cancellation, read like the workers' Event."""

    def __init__(self, task: TaskState) -> None:
        self._task = task

    def is_set(self) -> bool:
        return self._task.is_cancelled


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
    task: TaskState | None
    done: int = 0
    pages: int = 0
    cpu: float = 0.0
    files: list[str] = field(default_factory=list)

    def add(self, result: ChunkResult) -> None:
        bills, pages, cpu, files = result
        self.done, self.pages, self.cpu = self.done + bills, self.pages + pages, self.cpu + cpu
        self.files.extend(files)

    def report(self) -> None:
        if self.task is not None:
            self.task.report(self.done, self.total, PROGRESS_MESSAGE)


def _in_process(chunks: Iterator[Any], target: Callable[[int], str],
                split: bool, flag: Any, tally: _Tally) -> bool:
    """Render chunk after chunk here; returns True if cancelled."""
    for i, chunk in enumerate(chunks):
        if flag is not None and flag.is_set():
            return True
        tally.add(_render_chunk(chunk, target(i), split, flag))
        tally.report()
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
            if finished:
                tally.report()
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
                 chunks: Iterable[ChunkLoader] | None = None,
                 task: TaskState | None = None,
                 progress: Callable[[int, int], None] | None = None) -> BatchResult:
    """Render a run into ``out`` (a PDF file, or with ``split`` a directory); see module doc.

    ``docs`` may be a generator (read from the database chunk by chunk); ``total`` is then
    the count reported to ``task`` (0 if unknown). With ``chunks`` (loaders run in the
    workers) ``docs`` is ignored. Raises TaskCancelled when ``task`` was cancelled.

    ``progress(done, total)`` is the loose callable of before the TaskState, kept only
    while ``ebs bill pdf`` (cli/reports.py) still passes one; give ``task`` instead."""
    if progress is not None:
        report = progress
        task = task or TaskState(lambda p: report(p.done, p.total))
    flag = _TaskFlag(task) if task is not None else None
    started = time.perf_counter()
    if total is None:
        total = len(docs) if isinstance(docs, Sized) else 0
    workers = max(1, workers or os.cpu_count() or 1)
    if split:
        out.mkdir(parents=True, exist_ok=True)

    def target(i: int) -> str:
        return str(out) if split else str(out.with_name(f".{out.name}.part{i:05d}"))

    tally = _Tally(total, task)
    tally.report()
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
        files = (out,)
    if cancelled:
        raise TaskCancelled(f"cancelled; the {len(files)} bill files written to {out} are kept"
                            if split else f"cancelled; {out.name} was not written")
    return BatchResult(files, tally.done, tally.pages, time.perf_counter() - started,
                       tally.cpu)
