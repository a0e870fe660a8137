"""Before ``make test`` runs the browser tests: is Debian's chromium installed?

The portal's browser tests (``tests/browser/``) drive ``/usr/bin/chromium`` through
Playwright; Playwright's own browser download is not reachable from where this project
builds, so the browser comes from the system's packages. As root on Debian with
``--install`` this installs the ``chromium`` package (``apt-get install -y``, after an
``apt-get update`` when the package lists are missing); otherwise it prints the one
``apt-get install`` line and exits 1.

``EBS_CHROMIUM`` names another browser binary (the tests read it too).

Standard library only; not part of the ``ebs_desktop`` package.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = "chromium"
DEFAULT = Path("/usr/bin/chromium")


def browser_path(env: dict[str, str]) -> Path:
    return Path(env.get("EBS_CHROMIUM", str(DEFAULT)))


def works(binary: Path) -> bool:
    """The binary exists and answers ``--version``."""
    if not binary.exists():
        return False
    done = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                          check=False, timeout=60)
    return done.returncode == 0 and "hromium" in done.stdout


def can_install() -> bool:
    return (hasattr(os, "geteuid") and os.geteuid() == 0
            and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None)


def install() -> bool:
    apt = shutil.which("apt-get")
    assert apt is not None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = [apt, "install", "-y", "--no-install-recommends", PACKAGE]
    print(f"installing Debian's {PACKAGE} for the browser tests", flush=True)
    if subprocess.run(cmd, env=env, check=False).returncode == 0:
        return True
    subprocess.run([apt, "update"], env=env, check=False)  # a fresh machine: no lists yet
    return subprocess.run(cmd, env=env, check=False).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--install", action="store_true",
                        help="as root on Debian, install chromium with apt-get")
    args = parser.parse_args(argv)
    binary = browser_path(dict(os.environ))
    if works(binary):
        return 0
    if args.install and can_install() and install() and works(binary):
        return 0
    print(f"The browser tests need Debian's chromium at {binary}; it is not installed.",
          file=sys.stderr)
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    print(f"{sudo}apt-get install -y --no-install-recommends {PACKAGE}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
