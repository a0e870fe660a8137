"""The conformance corpus: other projects' test files in ``../shared/conformance/``.

It lives beside the repository, not in it (see its README for sources and licences). Tests
that read it call :func:`conformance_dir`: when the corpus is absent they skip with the
reason, except under ``CI=true``, where an absent corpus fails the run instead of letting a
whole conformance suite pass by skipping. ``EBS_CONFORMANCE_DIR`` points elsewhere (a git
worktree, a packaged copy).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def conformance_root() -> Path:
    override = os.environ.get("EBS_CONFORMANCE_DIR")
    return Path(override) if override else REPO.parent / "shared" / "conformance"


def conformance_dir(sub: str) -> Path:
    """The corpus folder ``sub``; skips with the reason when absent, fails under CI=true."""
    folder = conformance_root() / sub
    if not folder.is_dir():
        reason = f"conformance corpus {folder} is absent (set EBS_CONFORMANCE_DIR)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return folder
