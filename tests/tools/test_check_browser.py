"""Issue 21: ``make test`` installs Debian's chromium for the browser tests, or prints the
one apt-get line. The script runs as ``make`` runs it, with ``EBS_CHROMIUM`` naming a
stand-in browser and a fake ``apt-get`` first on the PATH: nothing is installed here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tools" / "check_browser.py"
FAKE_CHROMIUM = "#!/bin/sh\necho 'Chromium 156.0.0.0 built on Debian GNU/Linux 12'\n"


def run_check(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EBS_CHROMIUM": str(tmp / "chromium"),
           "PATH": f"{tmp / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, env=env, check=False, timeout=60)


def _fake_apt_get(tmp: Path) -> None:
    """An apt-get that records its arguments and 'installs' the stand-in browser."""
    path = tmp / "bin" / "apt-get"
    path.parent.mkdir(exist_ok=True)
    browser = tmp / "chromium"
    path.write_text(f'#!/bin/sh\necho "$@" >> "{tmp}/apt.calls"\n'
                    f"cat > \"{browser}\" <<'X'\n{FAKE_CHROMIUM}X\nchmod +x \"{browser}\"\n",
                    encoding="utf-8")
    path.chmod(0o755)


def test_a_missing_browser_prints_the_one_apt_get_line(tmp_path: Path) -> None:
    _fake_apt_get(tmp_path)
    done = run_check(tmp_path)  # no --install: never installs
    assert done.returncode == 1
    assert done.stdout.strip().removeprefix("sudo ") == (
        "apt-get install -y --no-install-recommends chromium")
    assert "chromium" in done.stderr and not (tmp_path / "apt.calls").exists()


def test_an_installed_browser_needs_nothing(tmp_path: Path) -> None:
    browser = tmp_path / "chromium"
    browser.write_text(FAKE_CHROMIUM, encoding="utf-8")
    browser.chmod(0o755)
    done = run_check(tmp_path, "--install")
    assert done.returncode == 0 and done.stdout == ""


@pytest.mark.skipif(not (hasattr(os, "geteuid") and os.geteuid() == 0
                         and Path("/etc/debian_version").exists()),
                    reason="installing is done as root on Debian only")
def test_as_root_on_debian_it_installs_chromium_with_apt_get(tmp_path: Path) -> None:
    _fake_apt_get(tmp_path)
    done = run_check(tmp_path, "--install")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "apt.calls").read_text(encoding="utf-8").split() == [
        "install", "-y", "--no-install-recommends", "chromium"]


def test_make_test_checks_the_browser_before_pytest() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    pytest_rule = makefile.split("\npytest:", 1)[1].split("\n\n", 1)[0]
    assert "browser" in pytest_rule.splitlines()[0]
    browser_rule = makefile.split("\nbrowser:", 1)[1].split("\n\n", 1)[0]
    assert "tools/check_browser.py --install" in browser_rule
    assert "test: lint typecheck pytest" in makefile
