"""Cold start of the ``ebs`` command (issue 19, point 3): each command run N times, each
time in a new process, as a person or a script runs it.

For each command: the wall time of the whole process (start of Python, imports, the
work, exit), median and 90th percentile of N runs, and the median CPU time (user + system)
of the child. On a machine other programs keep busy, the wall time measures them too; the
CPU time is what the command itself costs, close to its wall time on an idle machine.

Python's bytecode cache is on, as in an installed program (pip compiles the package when
it installs it), kept in the scratch folder (``PYTHONPYCACHEPREFIX``) so that no source tree
gets a ``__pycache__``; each command runs once untimed first to fill it. Without the cache
(``PYTHONDONTWRITEBYTECODE=1``, as in some development shells) every module of the
package is compiled again on every run: ``--no-bytecode-cache`` measures that.

The commands: ``ebs --version`` (Python and click alone), ``ebs --help`` (lists every
command without importing any area), ``ebs account show NUMBER`` (opens the database,
checks its schema, one read) on a scratch demo utility unless ``--db`` is given.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

EBS = Path(sys.executable).parent / "ebs"


@dataclass(frozen=True)
class ColdStart:
    command: str
    runs: int
    wall_median: float
    wall_p90: float
    cpu_median: float

    def line(self) -> str:
        return (f"{self.command:<32} median {self.wall_median * 1000:5.0f} ms  "
                f"p90 {self.wall_p90 * 1000:5.0f} ms  CPU median "
                f"{self.cpu_median * 1000:5.0f} ms  ({self.runs} runs)")


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def time_command(args: list[str], runs: int, env: dict[str, str], ebs: Path = EBS
                 ) -> ColdStart:
    """Run ``ebs ARGS`` once untimed, then ``runs`` times, one fresh process each; fails
    if it fails."""
    walls: list[float] = []
    cpus: list[float] = []
    subprocess.run([str(ebs), *args], capture_output=True, env=env, check=False)
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run([str(ebs), *args], capture_output=True, env=env, check=False)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise RuntimeError(f"ebs {' '.join(args)} failed: "
                               f"{done.stderr.decode(errors='replace').strip()}")
    shown = " ".join(a for a in args if not a.startswith("sqlite") and a != "--db")
    return ColdStart(f"ebs {shown}", runs, statistics.median(walls), _p90(walls),
                     statistics.median(cpus))


def bench_cold_start(runs: int, db_url: str | None = None, account: str | None = None,
                     ebs: Path = EBS, bytecode_cache: bool = True) -> list[ColdStart]:
    """Time the three commands; builds a small demo utility unless ``db_url`` is given.
    ``ebs``: another installation's script, to compare a version before a change."""
    from ebs_desktop.domain.account_number import make_account_number

    env = {**os.environ, "EBS_USER": "", "EBS_PASSWORD": ""}
    with tempfile.TemporaryDirectory(prefix="ebs-bench-cli-") as tmp:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if bytecode_cache:
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        url = db_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        if db_url is None:
            for setup in (["db", "upgrade"], ["demo", "--customers", "50", "--months", "2"]):
                subprocess.run([str(ebs), "--db", url, *setup], capture_output=True,
                               env=env, check=True)
        number = account or make_account_number(10000001)
        return [time_command(args, runs, env, ebs) for args in (
            ["--version"], ["--help"], ["--db", url, "account", "show", number])]
