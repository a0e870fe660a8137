"""Issue 19, point 4: every command the README lists answers ``--help`` through the real
``ebs`` script, each in a fresh process (so a subcommand that another area adds to a group,
like ``ebs bill pdf``, must be loaded by the lazy loader, not by an earlier import)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path

import click

from ebs_desktop.cli.main import AREA_MODULES, _load_areas, cli

REPO = Path(__file__).resolve().parents[2]
EBS = Path(sys.executable).parent / "ebs"
_WORD = re.compile(r"[a-z][a-z0-9-]*")


def _snippets(readme: str) -> list[str]:
    """The inline code spans of the README that start with ``ebs ``."""
    text = re.sub(r"```.*?```", "", readme, flags=re.S).replace("\n", " ")
    spans = re.findall(r"`([^`]+)`", text)
    return [s.strip() for s in spans if s.strip().startswith("ebs ")]


def _tree() -> dict[str, click.Command]:
    _load_areas(AREA_MODULES)
    return dict(cli.commands)


def readme_commands() -> list[tuple[str, ...]]:
    """Every command path the README names: ``ebs tariff list/import FILE/export CODE``
    gives ``tariff list``, ``tariff import`` and ``tariff export``."""
    top = _tree()
    found: set[tuple[str, ...]] = set()
    for snippet in _snippets((REPO / "README.md").read_text(encoding="utf-8")):
        words = snippet.split()[1:]
        while words and words[0].startswith("--"):  # ebs --user CLERK shift open
            words = words[2:] if words[0] in ("--user", "--db") else words[1:]
        if not words or words[0][:1].isupper():  # ebs --help, ebs COMMAND --help
            found.add(())
            continue
        name = words[0].split("/")[0]
        assert name in top, f"README: {snippet!r} names no command {name!r}"
        command = top[name]
        if not isinstance(command, click.Group) or len(words) == 1:
            found.add((name,))
            continue
        pieces = " ".join(words[1:]).split("/")
        first = pieces[0].split()[0]
        assert first in command.commands, f"README: {snippet!r}: no 'ebs {name} {first}'"
        found.add((name, first))
        for before, piece in pairwise(pieces):
            # "list/import FILE/export CODE" alternates subcommands; "--protocol a/b" and
            # "[on/off]" alternate values: a subcommand follows a subcommand or a PLACEHOLDER.
            last = before.split()[-1] if before.split() else ""
            sub = piece.split()[0] if piece.split() else ""
            if _WORD.fullmatch(sub) and (last in command.commands or last[:1].isupper()):
                assert sub in command.commands, f"README: {snippet!r}: no 'ebs {name} {sub}'"
                found.add((name, sub))
    return sorted(found)


def _help(words: tuple[str, ...]) -> tuple[tuple[str, ...], int, str]:
    env = {**os.environ, "EBS_USER": "", "EBS_PASSWORD": ""}
    done = subprocess.run([str(EBS), *words, "--help"], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    return words, done.returncode, done.stdout + done.stderr


def test_readme_lists_the_bill_pdf_command() -> None:
    commands = readme_commands()
    assert ("bill", "pdf") in commands and ("account", "find") in commands
    assert len(commands) > 40


def test_every_readme_command_answers_help_through_the_ebs_script() -> None:
    commands = readme_commands()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_help, commands))
    failed = [(" ".join(w), code, out.strip().splitlines()[-1:]) for w, code, out in results
              if code != 0 or "Usage: ebs" not in out]
    assert not failed, failed


def test_each_group_loaded_alone_has_all_its_subcommands() -> None:
    """``ebs GROUP --help`` in a fresh process lists what the group has with every area
    loaded: an area adding a subcommand to another's group is named in AREA_MODULES."""
    groups = {name: sorted(c.commands) for name, c in _tree().items()
              if isinstance(c, click.Group) and name != "bench"}

    def listed(name: str) -> tuple[str, list[str]]:
        _, code, out = _help((name,))
        assert code == 0, out
        section = out.split("Commands:", 1)[1]
        return name, sorted(m.group(1) for m in re.finditer(r"^  (\S+)", section, re.M))

    with ThreadPoolExecutor(max_workers=4) as pool:
        alone = dict(pool.map(listed, groups))
    assert alone == groups
