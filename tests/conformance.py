"""Where the conformance corpus (other projects' real files) is, for the tests that read it.

The corpus lives beside the repository, in ``<repo>/../shared/conformance`` (see its
README.md for the sources and what the expected values are). A run from another checkout
(a git worktree) names it with ``EBS_CONFORMANCE_DIR``. A missing corpus skips the test
with the reason, except under ``CI=true``, where it fails: CI must read every file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def conformance_dir(sub: str) -> Path:
    """The corpus folder ``sub``; skips with the reason when absent, fails under CI=true."""
    base = os.environ.get("EBS_CONFORMANCE_DIR")
    root = Path(base) if base else REPO / ".." / "shared" / "conformance"
    folder = root / sub
    if not folder.is_dir():
        reason = f"conformance corpus folder not found: {folder}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder
