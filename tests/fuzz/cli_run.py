"""Running ``ebs`` in-process for the fuzz suite, and what its outcome must look like.

A command ends either with exit 0 or with a non-zero exit and exactly one line on stderr,
``error: ...``; anything else (a traceback, a usage screen, several lines) is a failure
of the case, reported with the arguments that caused it.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from click.testing import CliRunner, Result

from ebs_desktop.cli.main import cli


@dataclass(frozen=True)
class Outcome:
    ok: bool
    stdout: str
    stderr: str


def ebs(url: str, user: tuple[str, str], *args: str,
        supervisor: tuple[str, str] | None = None) -> Outcome:
    """``ebs --db URL --user NAME ARGS...`` with the password(s) in the environment."""
    env = {"EBS_PASSWORD": user[1], "EBS_COUNTER": None, "EBS_USER": None}
    if supervisor is not None:
        env["EBS_SUPERVISOR_PASSWORD"] = supervisor[1]
    argv = ["--db", url, "--user", user[0], *args]
    result = CliRunner().invoke(cli, argv, env=env)
    return judge(result, argv)


def judge(result: Result, argv: list[str]) -> Outcome:
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        trace = "".join(traceback.format_exception(exc))
        raise AssertionError(f"ebs {argv!r} ended in a traceback:\n{trace}")
    if result.exit_code == 0:
        return Outcome(True, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), (
        f"ebs {argv!r} exited {result.exit_code} without one 'error: ...' line:\n"
        f"{result.stderr}")
    return Outcome(False, result.stdout, result.stderr)
