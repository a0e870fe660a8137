"""Before ``make run`` starts the desktop app: are the system libraries of Qt's X11 platform
plugin installed?

Qt 6.5+ loads its xcb plugin (``PySide6/Qt/plugins/platforms/libqxcb.so``) under an X
display, and that plugin needs X libraries the PySide6 wheel does not ship
(``libxcb-cursor0``, ``libxcb-icccm4``, ``libxcb-keysyms1``...). Without them the app aborts
with "Could not load the Qt platform plugin "xcb"" and a hint nobody can act on. This script
asks ``ldd`` which libraries the plugin cannot find and names the Debian packages that hold
them: as root on Debian with ``--install`` it installs them (``apt-get install -y``);
otherwise it prints the one ``apt-get install`` line and exits 1.

It checks only when the xcb plugin would be used: a display is set (``DISPLAY``) and
``QT_QPA_PLATFORM`` is unset or ``xcb``. Offscreen runs, Wayland sessions asking for the
wayland plugin, and machines without a display need nothing.

Standard library only; not part of the ``ebs_desktop`` package (it runs before the app).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Library file (soname) -> the Debian/Ubuntu package that installs it.
PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.M)


def xcb_will_be_used(env: dict[str, str]) -> bool:
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip()
    return bool(env.get("DISPLAY")) and platform in ("", "xcb")


def default_plugin() -> Path | None:
    """PySide6's xcb plugin in the running Python's environment, without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def missing_libraries(plugin: Path) -> list[str]:
    """The libraries ``ldd`` reports as not found for ``plugin`` (its own and indirect)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    done = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False)
    return list(dict.fromkeys(_NOT_FOUND.findall(done.stdout)))


def packages_for(libraries: list[str]) -> tuple[list[str], list[str]]:
    """(Debian packages, libraries no package is known for)."""
    known = [PACKAGES[lib] for lib in libraries if lib in PACKAGES]
    unknown = [lib for lib in libraries if lib not in PACKAGES]
    return list(dict.fromkeys(known)), unknown


def can_install() -> bool:
    return (hasattr(os, "geteuid") and os.geteuid() == 0
            and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None)


def install(packages: list[str]) -> bool:
    apt = shutil.which("apt-get")
    assert apt is not None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = [apt, "install", "-y", "--no-install-recommends", *packages]
    print("installing the X11 libraries Qt needs: " + " ".join(packages), flush=True)
    if subprocess.run(cmd, env=env, check=False).returncode == 0:
        return True
    # A fresh machine may have no package lists yet.
    subprocess.run([apt, "update"], env=env, check=False)
    return subprocess.run(cmd, env=env, check=False).returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--plugin", type=Path, default=None,
                        help="the plugin to check (default: PySide6's libqxcb.so)")
    parser.add_argument("--install", action="store_true",
                        help="as root on Debian, install what is missing with apt-get")
    args = parser.parse_args(argv)
    if not xcb_will_be_used(dict(os.environ)):
        return 0
    plugin = args.plugin or default_plugin()
    if plugin is None or not plugin.exists():
        return 0  # no PySide6 here: the install step reports that itself
    libraries = missing_libraries(plugin)
    if not libraries:
        return 0
    packages, unknown = packages_for(libraries)
    if packages and args.install and can_install() and install(packages):
        libraries = missing_libraries(plugin)
        if not libraries:
            return 0
        packages, unknown = packages_for(libraries)
    print(f"Qt's X11 platform plugin cannot start: {', '.join(libraries)} not found.",
          file=sys.stderr)
    if packages:
        print("Install them, then run 'make run' again:", file=sys.stderr)
        sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
        print(f"{sudo}apt-get install -y {' '.join(packages)}")
    if unknown:
        print(f"(no package known for {', '.join(unknown)}: 'apt-file search NAME' finds it)",
              file=sys.stderr)
    print("Or run without a display: QT_QPA_PLATFORM=offscreen .venv/bin/ebs-desktop",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
