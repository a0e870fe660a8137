"""Writing an output file whole or not at all.

Why: an export that fails or is cancelled halfway must not leave a truncated file that
looks finished (a print shop or an accounting import would take it). The file is written
under a temporary name beside the target (same folder, so the rename is atomic) and
renamed over the target only when everything was written; on any error, cancellation
included, the temporary file is removed and an existing target is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def part_path(out: Path) -> Path:
    """Where ``out`` is written until it is complete."""
    return out.with_name(out.name + ".part")


@contextmanager
def whole_file(out: Path) -> Iterator[Path]:
    """Yield the temporary path to write; on success it becomes ``out``."""
    tmp = part_path(out)
    try:
        yield tmp
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
