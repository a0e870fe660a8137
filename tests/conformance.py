"""Where the conformance corpus is: other projects' real files (``../shared/conformance``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def conformance_dir(sub: str) -> Path:
    """The corpus folder ``sub``; skips with the reason when absent, fails under CI=true."""
    override = os.environ.get("EBS_CONFORMANCE_DIR")
    root = (Path(override) if override
            else Path(__file__).resolve().parents[1] / ".." / "shared" / "conformance")
    folder = root / sub
    if not folder.is_dir():
        reason = f"conformance corpus {folder} not found (set EBS_CONFORMANCE_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder
