"""Pausing the cyclic garbage collector during bulk work.

A bulk job (the demo, a billing run, a readings import) allocates millions of tuples while
it holds large long-lived structures, and every few thousand allocations the collector
walks them all again looking for cycles it almost never finds: measured at 8.5 s of a
95 s demo build (100,000 customers x 12 months), nothing at all gained in memory. The
bulk code makes no cycles worth collecting, so the collector is paused for the job and
one collection runs when the last job ends. Reference counting still frees everything
as usual.

The pause is per process and counted, so jobs may nest or overlap (the desktop app runs
them on worker threads); the collector comes back when the last one ends. Pausing also
keeps full collections from stalling the GUI thread during a run.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            last = _depth == 0
            if last and _was_enabled:
                gc.enable()
        if last:
            gc.collect()


def pausing_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Run the decorated bulk job with the collector paused."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return fn(*args, **kwargs)

    return wrapper
