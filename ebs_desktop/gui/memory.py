"""Keep the garbage collector from freezing the window.

A full (generation 2) collection walks every tracked object of the process while holding
the interpreter lock, so the GUI thread waits too: measured at 70-140 ms during a billing
run, over the 100 ms a person notices. Once the window is built, the objects that live for
the whole session (Qt wrappers, modules, caches) are moved out of the collector's sight
with ``gc.freeze()``, so later full collections only walk what the current work created.
"""

from __future__ import annotations

import gc


def settle_after_start() -> None:
    """Call once the main window is up (and again after a large one-off load)."""
    gc.collect()
    gc.freeze()
