"""``python -m tools.bench cli``: the cold-start benchmark of docs/performance.md runs and
reports each command (one run each here)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_cli_benchmark_times_each_command() -> None:
    done = subprocess.run([sys.executable, "-m", "tools.bench", "cli", "--runs", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("  ")[0].strip() for line in lines] == [
        "ebs --version", "ebs --help", "ebs account show 100000011"]
    for line in lines:
        assert re.search(r"median +\d+ ms  p90 +\d+ ms  CPU median +\d+ ms  \(2 runs\)$",
                         line), line
