"""A process's own peak memory, for the benchmarks' figures.

Not ``getrusage``: Linux carries the peak of the memory a process replaces at ``exec``
into its ``ru_maxrss``, and a spawned process (multiprocessing's "spawn", or
``subprocess`` through vfork) starts from its parent's memory, so a benchmark timed in a
child reported its parent's peak: 1.6 GB for a billing run that used 286 MB. ``VmHWM``
belongs to the process's present memory map only.
"""

from __future__ import annotations

import resource
import sys

MARK = "ebs-peak-rss-mb:"  # the line a child run by ``run_reporting_peak`` prints at exit


def own_peak_rss_mb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def ebs_command_reporting_peak(args: list[str]) -> list[str]:
    """The argv to run ``ebs ARGS`` in a child that prints its own peak (``MARK``) on
    stderr as it exits."""
    code = ("import atexit, sys\n"
            "from ebs_desktop.services.peak_memory import MARK, own_peak_rss_mb\n"
            "atexit.register(lambda: print(MARK, own_peak_rss_mb(), file=sys.stderr))\n"
            "from ebs_desktop.cli.main import main\n"
            "main(sys.argv[1:])\n")
    return [sys.executable, "-c", code, *args]


def reported_peak(stderr: str) -> int | None:
    for line in reversed(stderr.splitlines()):
        if line.startswith(MARK):
            return int(line[len(MARK):])
    return None
